import StanceDSP

/// An IMU's metrics as a session records them, computed from the values exactly as the session
/// file holds them (float32 acceleration and angular velocity): `OrientationFilter` (6-axis) at
/// the nominal rate, then a leg segment's `SegmentKinematics` or the trunk's `TrunkSway`,
/// decimated on `MetricsGrid`. The recorder runs it on its writer thread; a replay runs it on the
/// values read back, so the two agree bit for bit. (Live IMU_METRICS may use the device's own
/// orientation instead, per profile; the file's are always from the filter, so the file alone can
/// reproduce them.)
public struct RecordedImuMetrics: Sendable {
    public enum Kind: Sendable { case segment, trunk }

    public let kind: Kind
    /// Rate of the rows, Hz (at most the IMU's).
    public let metricsRateHz: Double
    private let periodSeconds: Double
    private var filter = OrientationFilter()
    private var kinematics: SegmentKinematics?
    private var trunk: TrunkSway?
    private var grid = MetricsGrid()

    /// Nil for a role without metrics (only `imu-…-shank`, `imu-…-thigh` and `imu-trunk` have them).
    /// - Parameters:
    ///   - role: the IMU's role, e.g. `imu-left-shank`.
    ///   - rateHz: its nominal rate, Hz (> 0).
    ///   - windowSeconds: the sliding window, seconds.
    ///   - metricsRateHz: rows per second, Hz.
    public init?(role: String, rateHz: Double, windowSeconds: Double, metricsRateHz: Double) {
        if role.hasSuffix("-shank") || role.hasSuffix("-thigh") {
            kind = .segment
            kinematics = SegmentKinematics(windowSeconds: windowSeconds, rateHz: rateHz)
        } else if role == "imu-trunk" {
            kind = .trunk
            trunk = TrunkSway(windowSeconds: windowSeconds, rateHz: rateHz)
        } else {
            return nil
        }
        periodSeconds = 1 / rateHz
        self.metricsRateHz = min(metricsRateHz, rateHz)
    }

    /// The row's channels, with units.
    public static func channels(_ kind: Kind) -> [(label: String, unit: String)] {
        switch kind {
        case .segment:
            return [("sagittal", "deg"), ("frontal", "deg"), ("angular_velocity", "deg/s"), ("rom", "deg"),
                    ("peak_angular_velocity", "deg/s")]
        case .trunk:
            var list: [(String, String)] = [("lean", "deg"), ("sagittal", "deg")]
            for (path, unit, velocity, area) in [("tilt", "deg", "deg/s", "deg2"), ("acceleration", "m/s^2", "m/s^3", "m2/s4")] {
                list += [("\(path)_path_length", unit), ("\(path)_mean_velocity", velocity), ("\(path)_mean_distance", unit),
                         ("\(path)_rms_distance", unit), ("\(path)_range_ml", unit), ("\(path)_range_ap", unit),
                         ("\(path)_ellipse95_area", area), ("\(path)_mean_frequency", "Hz")]
            }
            return list + [("jerk", "m2/s5")]
        }
    }

    /// Takes one recorded sample; when it completes a row, appends the row (`channels(kind).count`
    /// values, NaN before the window has anything) to `row` and returns true.
    public mutating func push(acceleration: SIMD3<Float>, angularVelocity: SIMD3<Float>, into row: inout [Double]) -> Bool {
        filter.update(gyroscope: angularVelocity, accelerometer: acceleration, magnetometer: nil, deltaSeconds: Float(periodSeconds))
        if filter.isInitialised {
            let orientation = filter.orientation
            kinematics?.update(orientation: orientation,
                               angularVelocityRadiansPerSecond: SIMD3<Double>(angularVelocity) - filter.gyroscopeBias)
            trunk?.update(orientation: orientation, specificForceMetresPerSecondSquared: SIMD3<Double>(acceleration))
        }
        guard grid.advance(periodSeconds: periodSeconds, metricsRateHz: metricsRateHz) else { return false }
        appendRow(to: &row)
        return true
    }

    private func appendRow(to row: inout [Double]) {
        switch kind {
        case .segment:
            let report = kinematics?.report
            row += [report?.sagittalDegrees, report?.frontalDegrees, report?.angularVelocityDegreesPerSecond,
                    report?.rangeOfMotionDegrees, report?.peakAngularVelocityDegreesPerSecond].map { $0 ?? .nan }
        case .trunk:
            let report = trunk?.report
            row.append(report?.leanDegrees ?? .nan)
            row.append(report?.sagittalDegrees ?? .nan)
            for metrics in [report?.tilt, report?.acceleration] {
                row += [metrics?.pathLengthMetres, metrics?.meanVelocityMetresPerSecond, metrics?.meanDistanceMetres,
                        metrics?.rmsDistanceMetres, metrics?.rangeMLMetres, metrics?.rangeAPMetres,
                        metrics?.ellipse95AreaSquareMetres, metrics?.meanFrequencyHz].map { $0 ?? .nan }
            }
            row.append(report?.jerk ?? .nan)
        }
    }
}
