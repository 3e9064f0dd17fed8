import StanceDevices
import StanceDSP
import StanceRecording
import StanceWire

extension SessionRecorder {
    /// An IMU a session records, as its stream header describes it.
    public struct ImuSetup: Sendable, Equatable {
        public var devicePath: String
        public var profile: String
        /// Where it is worn, e.g. `imu-left-shank`.
        public var role: String
        /// Nominal output rate (the profile's), Hz.
        public var rateHz: Double
        /// The decoder's full scales: accelerometer, g; gyroscope, °/s.
        public var accelerationRangeG: Double
        public var angularRateRangeDegreesPerSecond: Double
        /// Channels recorded beyond acceleration and angular velocity.
        public var channels: ImuChannels

        public init(devicePath: String, profile: String, role: String, rateHz: Double, accelerationRangeG: Double,
                    angularRateRangeDegreesPerSecond: Double, channels: ImuChannels = []) {
            self.devicePath = devicePath
            self.profile = profile
            self.role = role
            self.rateHz = rateHz
            self.accelerationRangeG = accelerationRangeG
            self.angularRateRangeDegreesPerSecond = angularRateRangeDegreesPerSecond
            self.channels = channels
        }
    }
}

/// The optional parts of an `ImuSample` an IMU sends; acceleration and angular velocity it
/// always does.
public struct ImuChannels: OptionSet, Sendable, Equatable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let magneticField = ImuChannels(rawValue: 1 << 0)
    public static let eulerAngles = ImuChannels(rawValue: 1 << 1)
    public static let orientation = ImuChannels(rawValue: 1 << 2)
    public static let temperature = ImuChannels(rawValue: 1 << 3)

    /// The parts `sample` has.
    public init(_ sample: ImuSample) {
        var channels: ImuChannels = []
        if sample.magneticField != nil { channels.insert(.magneticField) }
        if sample.eulerAnglesRadians != nil { channels.insert(.eulerAngles) }
        if sample.orientation != nil { channels.insert(.orientation) }
        if sample.temperatureCelsius != nil { channels.insert(.temperature) }
        self = channels
    }

    /// Label and unit of each channel, in row order: ax ay az (m/s²), gx gy gz (rad/s), then
    /// mx my mz (the device's raw counts: WitMotion documents no unit on the serial line), roll
    /// pitch yaw (rad), qw qx qy qz and temp (°C), those this set has.
    public var list: [(label: String, unit: String)] {
        var list = ["ax", "ay", "az"].map { ($0, "m/s^2") } + ["gx", "gy", "gz"].map { ($0, "rad/s") }
        if contains(.magneticField) { list += ["mx", "my", "mz"].map { ($0, "count") } }
        if contains(.eulerAngles) { list += ["roll", "pitch", "yaw"].map { ($0, "rad") } }
        if contains(.orientation) { list += ["qw", "qx", "qy", "qz"].map { ($0, "1") } }
        if contains(.temperature) { list.append(("temp", "degC")) }
        return list
    }

    /// Appends `sample`'s row (`list.count` values); a part this set has but the sample lacks is NaN.
    func append(_ sample: ImuSample, to row: inout [Float]) {
        func append(_ vector: SIMD3<Double>?) {
            for lane in 0..<3 { row.append(vector.map { Float($0[lane]) } ?? .nan) }
        }
        append(sample.accelerationMetresPerSecondSquared)
        append(sample.angularVelocityRadiansPerSecond)
        if contains(.magneticField) { append(sample.magneticField) }
        if contains(.eulerAngles) { append(sample.eulerAnglesRadians) }
        if contains(.orientation) {
            for lane in 0..<4 { row.append(sample.orientation.map { Float($0[lane]) } ?? .nan) }
        }
        if contains(.temperature) { row.append(sample.temperatureCelsius.map(Float.init) ?? .nan) }
    }
}

/// A session's IMU streams in `session.xdf`: one per IMU, id `firstStreamID` + its index, float32
/// at the IMU's nominal rate, each sample stamped with its host receive time on `CLOCK_MONOTONIC`
/// (the plate streams' clock). Used by `SessionXDF` on the writer thread.
struct SessionIMUStreams {
    /// Ids below are the plate streams' (`SessionXDF.Stream`), with room for more of them.
    static let firstStreamID: UInt32 = 16
    /// The IMUs' recorded metrics, `RecordedImuMetrics`: id 32 + the IMU's index, for the IMUs
    /// whose role has metrics.
    static let firstMetricsStreamID: UInt32 = 32

    let imus: [SessionRecorder.ImuSetup]
    /// `CLOCK_MONOTONIC` seconds at the daemon's start.
    private let clockOriginSeconds: Double
    private var rows: [[Float]]
    private var times: [[Double]]
    private var metrics: [RecordedImuMetrics?]
    private var metricRows: [[Double]]
    private var metricTimes: [[Double]]

    /// - Parameters:
    ///   - windowSeconds: the metrics' sliding window, seconds.
    ///   - metricsRateHz: rows of metrics per second, Hz.
    init(imus: [SessionRecorder.ImuSetup], clockOriginSeconds: Double, windowSeconds: Double = 30, metricsRateHz: Double = 50) {
        self.imus = imus
        self.clockOriginSeconds = clockOriginSeconds
        rows = imus.map { _ in [] }
        times = imus.map { _ in [] }
        metrics = imus.map { RecordedImuMetrics(role: $0.role, rateHz: $0.rateHz, windowSeconds: windowSeconds, metricsRateHz: metricsRateHz) }
        metricRows = imus.map { _ in [] }
        metricTimes = imus.map { _ in [] }
    }

    var streamIDs: [UInt32] {
        imus.indices.map { Self.firstStreamID + UInt32($0) }
            + metrics.indices.filter { metrics[$0] != nil }.map { Self.firstMetricsStreamID + UInt32($0) }
    }

    /// Adds each IMU's stream header, and its metrics stream's.
    func declare(in writer: inout XDFWriter, createdAt: Double) throws {
        for (index, imu) in imus.enumerated() {
            try writer.addStream(Self.firstStreamID + UInt32(index), info(imu, createdAt: createdAt))
            if let recorded = metrics[index] {
                try writer.addStream(Self.firstMetricsStreamID + UInt32(index), metricsInfo(imu, recorded, createdAt: createdAt))
            }
        }
    }

    /// Takes one sample of IMU `index` for the next chunk, and into its metrics.
    mutating func append(_ sample: ImuSessionFeed.Sample, imu index: Int) {
        let start = rows[index].count
        imus[index].channels.append(sample.sample, to: &rows[index])
        let time = clockOriginSeconds + sample.hostSeconds
        times[index].append(time)
        guard metrics[index] != nil else { return }
        // The values as the file holds them: float32 ax ay az gx gy gz, the row's first six.
        let written = rows[index]
        let acceleration = SIMD3(written[start], written[start + 1], written[start + 2])
        let angularVelocity = SIMD3(written[start + 3], written[start + 4], written[start + 5])
        if metrics[index]?.push(acceleration: acceleration, angularVelocity: angularVelocity, into: &metricRows[index]) == true {
            metricTimes[index].append(time)
        }
    }

    /// Encodes what was taken as one chunk per IMU (and per metrics stream).
    mutating func encode(into writer: inout XDFWriter) {
        for index in imus.indices where !times[index].isEmpty {
            try? writer.appendSamples(Self.firstStreamID + UInt32(index), float32: rows[index], timestamps: .each(times[index]))
            rows[index].removeAll(keepingCapacity: true)
            times[index].removeAll(keepingCapacity: true)
        }
        for index in imus.indices where !metricTimes[index].isEmpty {
            try? writer.appendSamples(Self.firstMetricsStreamID + UInt32(index), double64: metricRows[index],
                                      timestamps: .each(metricTimes[index]))
            metricRows[index].removeAll(keepingCapacity: true)
            metricTimes[index].removeAll(keepingCapacity: true)
        }
    }

    private func metricsInfo(_ imu: SessionRecorder.ImuSetup, _ recorded: RecordedImuMetrics, createdAt: Double) -> XDFStreamInfo {
        let channels = RecordedImuMetrics.channels(recorded.kind)
        return XDFStreamInfo(
            name: "\(name(imu)) metrics", type: "Metrics", channelCount: channels.count, nominalRateHz: recorded.metricsRateHz,
            format: .double64, createdAtSeconds: createdAt,
            desc: [
                SessionXDF.channels(channels),
                XMLTag("computation", children: [
                    XMLTag("source", "stream \(Self.firstStreamID + UInt32(imus.firstIndex(of: imu) ?? 0))'s ax..gz as recorded (float32)"),
                    XMLTag("orientation", "OrientationFilter, 6-axis, default settings, at the nominal rate"),
                    XMLTag("role", imu.role),
                ]),
            ])
    }

    /// The stream's name: the IMU's role, with its path when another IMU has the same role.
    private func name(_ imu: SessionRecorder.ImuSetup) -> String {
        imus.filter { $0.role == imu.role }.count > 1 ? "\(imu.role) \(imu.devicePath)" : imu.role
    }

    private func info(_ imu: SessionRecorder.ImuSetup, createdAt: Double) -> XDFStreamInfo {
        let channels = imu.channels.list
        return XDFStreamInfo(
            name: name(imu), type: "IMU", channelCount: channels.count, nominalRateHz: imu.rateHz, format: .float32,
            createdAtSeconds: createdAt,
            desc: [
                SessionXDF.channels(channels),
                XMLTag("acquisition", children: [
                    XMLTag("device", imu.devicePath), XMLTag("profile", imu.profile), XMLTag("role", imu.role),
                    XMLTag("acceleration_range_g", imu.accelerationRangeG),
                    XMLTag("angular_rate_range_dps", imu.angularRateRangeDegreesPerSecond),
                ]),
                XMLTag("frame", "the sensor's own axes"),
                XMLTag("timing", "host receive time of each sample on CLOCK_MONOTONIC; samples decoded from one read share it"),
            ])
    }
}
