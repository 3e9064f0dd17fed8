import Foundation
import StanceDSP
import StanceProtocols
import StanceRecording
import StanceSimulation

/// One recorded IMU stream of `stanced --replay`, played into a pseudo-terminal of its own as the
/// WitMotion IMU stanced reads (the only IMU protocol it reads), at the stream's nominal rate, with
/// the recorded acceleration and gyroscope ranges. WitMotion frames carry int16 counts of those
/// ranges: values recorded from a WitMotion IMU encode back to the counts they came from, so the
/// daemon decodes the recorded values again; magnetometer counts, angles, quaternion and
/// temperature go out when the stream has them.
struct ImuReplay {
    let role: String
    let rateHz: Double
    let accelerationRangeG: Double
    let angularRateRangeDegreesPerSecond: Double
    let emulator: DeviceEmulator
    /// Samples in the stream.
    let sampleCount: Int

    /// The profile name the replay's device spec uses for this IMU.
    var profileName: String { "replay-\(role)" }

    /// Nil for a stream that is not a recorded IMU (type `IMU`, float32, ax…gz first, named by an
    /// `imu-` role).
    init?(stream: XDFRecordedStream, speed: Double, asFastAsRead: Bool) throws {
        guard stream.info.type == "IMU", stream.info.name.hasPrefix("imu-"), case .float32(let values) = stream.values,
              stream.info.nominalRateHz > 0 else { return nil }
        let labels = stream.info.desc.first { $0.name == "channels" }?.children.compactMap { $0.childText("label") } ?? []
        guard labels.count == stream.info.channelCount, Array(labels.prefix(6)) == ["ax", "ay", "az", "gx", "gy", "gz"] else { return nil }
        let acquisition = stream.info.desc.first { $0.name == "acquisition" }
        role = stream.info.name
        rateHz = stream.info.nominalRateHz
        accelerationRangeG = acquisition?.childText("acceleration_range_g").flatMap(Double.init) ?? 16
        angularRateRangeDegreesPerSecond = acquisition?.childText("angular_rate_range_dps").flatMap(Double.init) ?? 2000
        sampleCount = stream.sampleCount
        let encoder = WitMotionEncoder(configuration: WitMotion.Configuration(
            accelerationRangeG: accelerationRangeG, angularRateRangeDegreesPerSecond: angularRateRangeDegreesPerSecond))
        let width = labels.count, count = stream.sampleCount
        let column = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        emulator = try DeviceEmulator(
            configuration: DeviceEmulator.Configuration(rateHz: rateHz * speed, fast: asFastAsRead, drainSeconds: 10, waitsForReader: true)
        ) { index in
            guard index < count else { return nil }
            let row = values[(index * width)..<((index + 1) * width)]
            func value(_ label: String) -> Double? {
                guard let at = column[label] else { return nil }
                let recorded = Double(row[row.startIndex + at])
                return recorded.isNaN ? nil : recorded
            }
            func vector(_ x: String, _ y: String, _ z: String) -> SIMD3<Double>? {
                guard let x = value(x), let y = value(y), let z = value(z) else { return nil }
                return SIMD3(x, y, z)
            }
            var sample = ImuSample(accelerationMetresPerSecondSquared: vector("ax", "ay", "az") ?? .zero,
                                   angularVelocityRadiansPerSecond: vector("gx", "gy", "gz") ?? .zero)
            sample.magneticField = vector("mx", "my", "mz")
            sample.eulerAnglesRadians = vector("roll", "pitch", "yaw")
            if let w = value("qw"), let x = value("qx"), let y = value("qy"), let z = value("qz") { sample.orientation = SIMD4(w, x, y, z) }
            sample.temperatureCelsius = value("temp")
            var bytes: [UInt8] = []
            bytes.reserveCapacity(64)
            encoder.encode(sample, into: &bytes)
            return bytes
        }
    }

    /// A device profile for this IMU (TOML): WitMotion at the recorded rate and ranges.
    var profile: String {
        """
        [profile]
        name = "\(profileName)"
        summary = "stanced --replay: the recorded \(role)"
        [match]
        subsystem = "tty"
        [device]
        protocol = "witmotion"
        baud = 115200
        rate_hz = \(rateHz)
        role = "\(role)"
        acceleration_range_g = \(accelerationRangeG)
        angular_rate_range_dps = \(angularRateRangeDegreesPerSecond)

        """
    }
}
