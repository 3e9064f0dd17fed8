import ArgumentParser
import Foundation
import StanceDSP

/// `stance ahrs --csv IN --output OUT`: a developer command that runs ``OrientationFilter`` over a
/// recorded or simulated IMU CSV, for scripts/imu/compare_ahrs.py. Hidden from `stance --help`.
struct Ahrs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the orientation filter (AHRS) over an IMU CSV and write the estimated quaternions.",
        discussion: """
        IN has a header naming its columns; used are time_s, gx_rad_s, gy_rad_s, gz_rad_s, \
        ax_m_s2, ay_m_s2, az_m_s2 and, when present and without --no-mag, mx_uT, my_uT, mz_uT \
        (others, such as the true_q* columns of `stance simulate --imu-csv`, are ignored). The step \
        of each update is the difference of time_s. OUT gets one row per input row:
          \(AhrsOutput.header)
        (the orientation sensor → earth NWU, the gyroscope-bias estimate in rad/s). Exit status 2 \
        when IN cannot be read (the message names the file, line and column).
        """,
        shouldDisplay: false
    )

    @Option(help: "The IMU CSV to read.")
    var csv: String

    @Option(help: "Where to write the estimated orientation (CSV).")
    var output: String

    @Flag(name: .customLong("no-mag"), help: "Ignore the magnetometer columns (6-axis update).")
    var noMagnetometer = false

    @Option(name: .customLong("proportional-gain"), help: "k_P, 1/s (default \(OrientationFilter.Settings().proportionalGain)).")
    var proportionalGain: Float?

    @Option(name: .customLong("integral-gain"), help: "k_I, 1/s² (default \(OrientationFilter.Settings().integralGain)).")
    var integralGain: Float?

    @Option(name: .customLong("acceleration-rejection-deg"), help: "Acceleration rejection angle, degrees; 90 = off.")
    var accelerationRejectionDegrees: Float?

    @Option(name: .customLong("acceleration-tolerance"), help: "Largest relative deviation of |a| from g; 1 = off.")
    var accelerationMagnitudeTolerance: Float?

    @Option(name: .customLong("rate-scale"), help: "ω₀, rad/s: the accelerometer's weight is 1/(1 + |ω|²/ω₀²); 0 = off.")
    var rotationRateScale: Float?

    @Option(name: .customLong("rejection-timeout-s"), help: "Rejection timeout, s; 0 = no rejection.")
    var rejectionTimeoutSeconds: Float?

    @Option(name: .customLong("velocity-gain"), help: "k_V, 1/s² (default \(OrientationFilter.Settings().velocityGain)); 0 = no velocity aiding.")
    var velocityGain: Float?

    @Option(name: .customLong("velocity-leak"), help: "λ, 1/s: the leak rate of the aiding velocity (default \(OrientationFilter.Settings().velocityLeakRate)).")
    var velocityLeakRate: Float?
    @Option(name: .customLong("vertical-averaging-s"), help: "τ_v, s: 6-axis, the bias learns nothing along the vertical averaged this long (default \(OrientationFilter.Settings().verticalAveragingSeconds)); 0 = off.")
    var verticalAveragingSeconds: Float?

    @Option(name: .customLong("settling-s"), help: "After startup, k_P and k_I fall from --settling-gain-factor times their settings to them over this long, s (default \(OrientationFilter.Settings().settlingSeconds)); 0 = off.")
    var settlingSeconds: Float?

    @Option(name: .customLong("settling-gain-factor"), help: "k_P and k_I start the settling at this many times their settings (default \(OrientationFilter.Settings().settlingGainFactor)); 1 = no settling.")
    var settlingGainFactor: Float?

    @Option(name: .customLong("settling-end-rate"), help: "rad/s: the first gyroscope reading faster than this ends the settling (default \(OrientationFilter.Settings().settlingEndRateRadiansPerSecond)).")
    var settlingEndRate: Float?

    func validate() throws {
        let values = [("--proportional-gain", proportionalGain), ("--integral-gain", integralGain),
                      ("--acceleration-rejection-deg", accelerationRejectionDegrees),
                      ("--acceleration-tolerance", accelerationMagnitudeTolerance),
                      ("--rate-scale", rotationRateScale), ("--rejection-timeout-s", rejectionTimeoutSeconds),
                      ("--velocity-gain", velocityGain), ("--velocity-leak", velocityLeakRate),
                      ("--vertical-averaging-s", verticalAveragingSeconds), ("--settling-s", settlingSeconds),
                      ("--settling-gain-factor", settlingGainFactor), ("--settling-end-rate", settlingEndRate)]
        for (name, value) in values {
            if let value, !(value.isFinite && value >= 0) {
                throw ValidationError("\(name) must be a number ≥ 0, got \(value)")
            }
        }
    }

    /// The defaults, with the options given.
    var settings: OrientationFilter.Settings {
        var settings = OrientationFilter.Settings()
        if let proportionalGain { settings.proportionalGain = proportionalGain }
        if let integralGain { settings.integralGain = integralGain }
        if let accelerationRejectionDegrees { settings.accelerationRejectionDegrees = accelerationRejectionDegrees }
        if let accelerationMagnitudeTolerance { settings.accelerationMagnitudeTolerance = accelerationMagnitudeTolerance }
        if let rotationRateScale { settings.rotationRateScaleRadiansPerSecond = rotationRateScale }
        if let rejectionTimeoutSeconds { settings.rejectionTimeoutSeconds = rejectionTimeoutSeconds }
        if let velocityGain { settings.velocityGain = velocityGain }
        if let velocityLeakRate { settings.velocityLeakRate = velocityLeakRate }
        if let verticalAveragingSeconds { settings.verticalAveragingSeconds = verticalAveragingSeconds }
        if let settlingSeconds { settings.settlingSeconds = settlingSeconds }
        if let settlingGainFactor { settings.settlingGainFactor = settlingGainFactor }
        if let settlingEndRate { settings.settlingEndRateRadiansPerSecond = settlingEndRate }
        return settings
    }

    func run() throws {
        let samples: AhrsInput
        do {
            samples = try AhrsInput(path: csv)
        } catch {
            FileHandle.standardError.write(Data("stance ahrs: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var filter = OrientationFilter(settings: settings)
        var out = AhrsOutput(capacity: samples.rows.count)
        var previousTime: Double?
        for row in samples.rows {
            let dt = previousTime.map { row.timeSeconds - $0 } ?? 0
            previousTime = row.timeSeconds
            filter.update(gyroscope: row.gyroscope, accelerometer: row.accelerometer,
                          magnetometer: noMagnetometer ? nil : row.magnetometer, deltaSeconds: dt)
            out.append(timeSeconds: row.timeSeconds, filter: filter)
        }
        do {
            try out.text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("stance ahrs: cannot write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The rows of an IMU CSV, by column name.
struct AhrsInput {
    struct Row {
        var timeSeconds: Double
        var gyroscope: SIMD3<Double>
        var accelerometer: SIMD3<Double>
        var magnetometer: SIMD3<Double>?
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static let required = ["time_s", "gx_rad_s", "gy_rad_s", "gz_rad_s", "ax_m_s2", "ay_m_s2", "az_m_s2"]
    static let magnetometerColumns = ["mx_uT", "my_uT", "mz_uT"]

    var rows: [Row] = []

    init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ReadError(description: "\(path): cannot read the file")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next() else { throw ReadError(description: "\(path): empty file") }
        let names = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let indices = try Self.required.map { name in
            guard let index = names.firstIndex(of: name) else {
                throw ReadError(description: "\(path):1: no column \(name) in the header")
            }
            return index
        }
        let magnetometer = Self.magnetometerColumns.compactMap { names.firstIndex(of: $0) }
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func value(_ index: Int) throws -> Double {
                guard index < fields.count, let number = Double(fields[index].trimmingCharacters(in: .whitespaces)) else {
                    throw ReadError(description: "\(path):\(lineNumber): column \(index + 1) (\(names[index])) is not a number")
                }
                return number
            }
            let v = try indices.map(value)
            let m = magnetometer.count == 3 ? try magnetometer.map(value) : nil
            rows.append(Row(timeSeconds: v[0], gyroscope: SIMD3(v[1], v[2], v[3]), accelerometer: SIMD3(v[4], v[5], v[6]),
                            magnetometer: m.map { SIMD3($0[0], $0[1], $0[2]) }))
        }
    }
}

/// The estimated orientation, one CSV row per update.
struct AhrsOutput {
    static let header = "time_s,qw,qx,qy,qz,bias_x_rad_s,bias_y_rad_s,bias_z_rad_s"
    private(set) var text: String

    init(capacity: Int) {
        text = Self.header + "\n"
        text.reserveCapacity(capacity * 96)
    }

    mutating func append(timeSeconds: Double, filter: OrientationFilter) {
        let q = filter.orientation
        let b = filter.gyroscopeBias
        // Float state: 9 significant digits carry all of it.
        let fields = [q.w, q.x, q.y, q.z, b.x, b.y, b.z].map { String(Float($0)) }
        text += "\(timeSeconds),\(fields.joined(separator: ","))\n"
    }
}
