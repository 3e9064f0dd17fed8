import StanceDSP

/// Turns ground truth into what sensors report: load-cell forces with noise, IMU readings with
/// noise and a gyroscope bias. Deterministic for a seed.
public struct SensorNoise: Sendable, Equatable {
    /// Standard deviation of each load cell's noise, newtons.
    public var cellNewtons = 0.5
    /// Accelerometer noise, m/s² per axis.
    public var accelerationMetresPerSecondSquared = 0.02
    /// Gyroscope noise, rad/s per axis.
    public var angularRateRadiansPerSecond = 0.002
    /// Constant gyroscope bias, rad/s per axis.
    public var gyroscopeBiasRadiansPerSecond = SIMD3<Double>(0.004, -0.003, 0.002)

    public init() {}

    /// No noise at all: sensors report the ground truth exactly.
    public static var none: SensorNoise {
        var noise = SensorNoise()
        noise.cellNewtons = 0
        noise.accelerationMetresPerSecondSquared = 0
        noise.angularRateRadiansPerSecond = 0
        noise.gyroscopeBiasRadiansPerSecond = SIMD3()
        return noise
    }
}

/// The eight cells of a dual plate for a simulated instant: each foot's force split over its
/// plate's cells so that they reproduce the foot's COP exactly (bilinear weights), plus noise.
public struct DualPlateSignal: Sendable {
    public let geometry: PlateGeometry
    public let noise: SensorNoise
    private var random: SplitMix64

    public init(geometry: PlateGeometry = .wiiBalanceBoard, noise: SensorNoise = SensorNoise(), seed: UInt64 = 7) {
        self.geometry = geometry
        self.noise = noise
        random = SplitMix64(seed: seed)
    }

    /// The four cell forces (TL, TR, BL, BR, newtons) that put `forceNewtons` at `copMetres`.
    public func cells(forceNewtons: Double, copMetres: SIMD2<Double>) -> SIMD4<Double> {
        let u = copMetres.x / geometry.cellXMetres[1]
        let v = copMetres.y / geometry.cellYMetres[0]
        return forceNewtons / 4 * SIMD4((1 - u) * (1 + v), (1 + u) * (1 + v), (1 - u) * (1 - v), (1 + u) * (1 - v))
    }

    /// Cells of both plates, newtons: left TL TR BL BR, right TL TR BL BR.
    public mutating func cells(for instant: SimulatedInstant) -> SIMD8<Double> {
        var frame = SIMD8(lowHalf: cells(forceNewtons: instant.leftForceNewtons, copMetres: instant.leftCopMetres),
                          highHalf: cells(forceNewtons: instant.rightForceNewtons, copMetres: instant.rightCopMetres))
        if noise.cellNewtons > 0 {
            for lane in 0..<8 { frame[lane] += noise.cellNewtons * random.nextGaussian() }
        }
        return frame
    }
}

/// What an IMU on a segment reports for a simulated instant.
public struct ImuSignal: Sendable {
    public let noise: SensorNoise
    private var random: SplitMix64

    public init(noise: SensorNoise = SensorNoise(), seed: UInt64 = 11) {
        self.noise = noise
        random = SplitMix64(seed: seed)
    }

    public mutating func sample(for motion: SegmentMotion, timeSeconds: Double) -> ImuSample {
        func gaussian3() -> SIMD3<Double> { SIMD3(random.nextGaussian(), random.nextGaussian(), random.nextGaussian()) }
        return ImuSample(
            accelerationMetresPerSecondSquared: motion.specificForceMetresPerSecondSquared
                + gaussian3() * noise.accelerationMetresPerSecondSquared,
            angularVelocityRadiansPerSecond: motion.angularVelocityRadiansPerSecond + noise.gyroscopeBiasRadiansPerSecond
                + gaussian3() * noise.angularRateRadiansPerSecond,
            eulerAnglesRadians: motion.anglesRadians,
            temperatureCelsius: 31.5,
            deviceTimeMicroseconds: UInt64((timeSeconds * 1e6).rounded()))
    }
}
