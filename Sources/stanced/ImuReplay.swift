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
        guard stream.info.type == "IMU", stream.info.name.hasPrefix("imu-"), case .float32(let recorded) = stream.values,
              stream.info.nominalRateHz > 0 else { return nil }
        guard let labels = stream.info.channelLabels?.map(\.label),
              Array(labels.prefix(6)) == ["ax", "ay", "az", "gx", "gy", "gz"] else { return nil }
        let acquisition = stream.info.desc.first { $0.name == "acquisition" }
        role = stream.info.name
        rateHz = stream.info.nominalRateHz
        accelerationRangeG = acquisition?.childText("acceleration_range_g").flatMap(Double.init) ?? 16
        angularRateRangeDegreesPerSecond = acquisition?.childText("angular_rate_range_dps").flatMap(Double.init) ?? 2000
        sampleCount = stream.sampleCount
        let encoder = WitMotionEncoder(configuration: WitMotion.Configuration(
            accelerationRangeG: accelerationRangeG, angularRateRangeDegreesPerSecond: angularRateRangeDegreesPerSecond))
        let width = labels.count, count = stream.sampleCount
        // The columns of the optional parts, found once: nil where the stream lacks one.
        func columns(_ names: String...) -> [Int]? {
            let found = names.compactMap { labels.firstIndex(of: $0) }
            return found.count == names.count ? found : nil
        }
        let field = columns("mx", "my", "mz"), angles = columns("roll", "pitch", "yaw"), quaternion = columns("qw", "qx", "qy", "qz")
        let temperature = columns("temp")
        emulator = try DeviceEmulator(
            configuration: DeviceEmulator.Configuration(rateHz: rateHz * speed, fast: asFastAsRead, drainSeconds: 10, waitsForReader: true)
        ) { index in
            guard index < count else { return nil }
            let start = index * width
            // A part whose values are NaN (the device did not send it with this sample) is left out.
            func read(_ columns: [Int]?) -> [Double]? {
                guard let columns else { return nil }
                let part = columns.map { Double(recorded[start + $0]) }
                return part.contains(where: \.isNaN) ? nil : part
            }
            func vector(_ columns: [Int]?) -> SIMD3<Double>? { read(columns).map { SIMD3($0[0], $0[1], $0[2]) } }
            var sample = ImuSample(accelerationMetresPerSecondSquared: vector([0, 1, 2]) ?? .zero,
                                   angularVelocityRadiansPerSecond: vector([3, 4, 5]) ?? .zero)
            sample.magneticField = vector(field)
            sample.eulerAnglesRadians = vector(angles)
            sample.orientation = read(quaternion).map { SIMD4($0[0], $0[1], $0[2], $0[3]) }
            sample.temperatureCelsius = read(temperature)?[0]
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
