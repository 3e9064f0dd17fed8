/// One sample as a device reported it, before calibration: up to 16 channels in the device's own
/// units (newtons, kilograms, ADC counts, SI IMU units — the stream's header or the device profile
/// says which), with the device's sample counter and clock when it has them.
///
/// A plain value with inline storage: making, copying and passing one never allocates.
public struct DeviceSample: Sendable, Equatable {
    /// The most channels a sample carries.
    public static let maximumChannels = 16

    /// The device's sample counter (wraps as the protocol says, e.g. at 2³²), if it sends one.
    public var sequence: UInt32?
    /// The device's clock at this sample, microseconds, as the device reports it (the stance
    /// protocols wrap at 2³²; evdev gives the kernel's event time), if it has one.
    public var deviceTimeMicroseconds: UInt64?
    /// Channels in use, 0…16.
    public var channelCount: Int
    /// Channel values; lanes at and beyond `channelCount` are zero.
    public var values: SIMD16<Double>

    public init(sequence: UInt32? = nil, deviceTimeMicroseconds: UInt64? = nil, channelCount: Int, values: SIMD16<Double>) {
        self.sequence = sequence
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
        self.channelCount = channelCount
        self.values = values
    }

    /// The channels in use, as an array (allocates: for tests and tools, not the per-sample path).
    public var channels: [Double] { (0..<channelCount).map { values[$0] } }

    /// The first eight channels (a dual plate: left TL TR BL BR, right TL TR BL BR).
    public var dualPlateCells: SIMD8<Double> { values.lowHalf }

    /// The first four channels (one plate: TL TR BL BR).
    public var plateCells: SIMD4<Double> { values.lowHalf.lowHalf }
}

/// One inertial sample in SI units, in the sensor's own axes.
public struct ImuSample: Sendable, Equatable {
    /// Specific force (accelerometer), m/s².
    public var accelerationMetresPerSecondSquared: SIMD3<Double>
    /// Angular velocity (gyroscope), rad/s.
    public var angularVelocityRadiansPerSecond: SIMD3<Double>
    /// Magnetic field in the device's units (µT when the stream says so), if reported.
    public var magneticField: SIMD3<Double>?
    /// Roll, pitch, yaw computed by the device, radians, if reported.
    public var eulerAnglesRadians: SIMD3<Double>?
    /// Orientation quaternion (w, x, y, z) computed by the device, if reported.
    public var orientation: SIMD4<Double>?
    /// Sensor temperature, °C, if reported.
    public var temperatureCelsius: Double?
    /// The device's clock at this sample, microseconds, if it has one.
    public var deviceTimeMicroseconds: UInt64?

    public init(
        accelerationMetresPerSecondSquared: SIMD3<Double>, angularVelocityRadiansPerSecond: SIMD3<Double>,
        magneticField: SIMD3<Double>? = nil, eulerAnglesRadians: SIMD3<Double>? = nil,
        orientation: SIMD4<Double>? = nil, temperatureCelsius: Double? = nil, deviceTimeMicroseconds: UInt64? = nil
    ) {
        self.accelerationMetresPerSecondSquared = accelerationMetresPerSecondSquared
        self.angularVelocityRadiansPerSecond = angularVelocityRadiansPerSecond
        self.magneticField = magneticField
        self.eulerAnglesRadians = eulerAnglesRadians
        self.orientation = orientation
        self.temperatureCelsius = temperatureCelsius
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
    }
}
