import StanceDSP

/// What one IMU_METRICS object reports: each IMU-carrying segment's kinematics, left/right
/// asymmetry of the pairs present, and the trunk's lean and sway, over the sliding window.
public struct ImuMetricsSnapshot: Sendable {
    /// A leg segment, by its wire name.
    public enum Segment: String, Sendable, CaseIterable {
        case leftShank = "left_shank", rightShank = "right_shank", leftThigh = "left_thigh", rightThigh = "right_thigh"
    }

    /// Seconds since the daemon started (monotonic).
    public var timeSeconds: Double
    /// Counts IMU_METRICS objects sent, from 0.
    public var sequence: Int
    /// Window length, seconds.
    public var windowSeconds: Double
    /// The segments that have an IMU and a report, in `Segment` order.
    public var segments: [(segment: Segment, report: SegmentKinematicsReport)]
    public var trunk: TrunkSwayReport?
    /// The trunk's sway on each leg in single-leg stance, when there is a trunk IMU.
    public var singleLeg: SingleLegSwayReport?
    /// The stance shank's sway on each leg (left: the left shank while standing on the left), when
    /// both shanks have an IMU.
    public var singleLegShanks: SingleLegSwayReport?

    public init(timeSeconds: Double, sequence: Int, windowSeconds: Double,
                segments: [(segment: Segment, report: SegmentKinematicsReport)], trunk: TrunkSwayReport?,
                singleLeg: SingleLegSwayReport? = nil, singleLegShanks: SingleLegSwayReport? = nil) {
        self.timeSeconds = timeSeconds
        self.sequence = sequence
        self.windowSeconds = windowSeconds
        self.segments = segments
        self.trunk = trunk
        self.singleLeg = singleLeg
        self.singleLegShanks = singleLegShanks
    }

    public func report(_ segment: Segment) -> SegmentKinematicsReport? {
        segments.first { $0.segment == segment }?.report
    }
}

extension WireMessage {
    /// One IMU_METRICS object (`docs/protocol.md`): angles in degrees, angular velocities in
    /// degrees per second, the trunk's tilt sway in degrees and its acceleration sway in m/s².
    public static func imuMetrics(_ snapshot: ImuMetricsSnapshot) -> [UInt8] {
        var json = JSONWriter(capacity: 1536)
        json.string("class", "IMU_METRICS")
        json.number("t_s", snapshot.timeSeconds)
        json.integer("seq", snapshot.sequence)
        json.number("window_s", snapshot.windowSeconds)
        json.object("segments") { segments in
            for (segment, report) in snapshot.segments {
                segments.object(segment.rawValue) { object in
                    object.number("sagittal_deg", report.sagittalDegrees)
                    object.number("frontal_deg", report.frontalDegrees)
                    object.number("angular_velocity_deg_s", report.angularVelocityDegreesPerSecond)
                    object.number("rom_deg", report.rangeOfMotionDegrees)
                    object.number("peak_angular_velocity_deg_s", report.peakAngularVelocityDegreesPerSecond)
                }
            }
        }
        json.object("asymmetry") { asymmetry in
            for (name, left, right) in [("shank", ImuMetricsSnapshot.Segment.leftShank, ImuMetricsSnapshot.Segment.rightShank),
                                        ("thigh", .leftThigh, .rightThigh)] {
                guard let l = snapshot.report(left), let r = snapshot.report(right) else { continue }
                asymmetry.object(name) { pair in
                    pair.object("rom") { asymmetryObject(&$0, Asymmetry(left: l.rangeOfMotionDegrees, right: r.rangeOfMotionDegrees)) }
                    pair.object("peak_angular_velocity") {
                        asymmetryObject(&$0, Asymmetry(left: l.peakAngularVelocityDegreesPerSecond, right: r.peakAngularVelocityDegreesPerSecond))
                    }
                }
            }
        }
        json.object("trunk", present: snapshot.trunk != nil) { trunk in
            guard let report = snapshot.trunk else { return }
            trunk.number("lean_deg", report.leanDegrees)
            trunk.number("sagittal_deg", report.sagittalDegrees)
            trunk.object("tilt_sway") { swayFields(&$0, report.tilt, unit: "deg", area: "deg2", velocity: "deg_s") }
            trunk.object("acceleration_sway") { object in
                swayFields(&object, report.acceleration, unit: "m_s2", area: "m2_s4", velocity: "m_s3")
                object.number("jerk_m2_s5", report.jerk)
            }
        }
        let comparisons = [("trunk", snapshot.singleLeg), ("shank", snapshot.singleLegShanks)]
        json.object("single_leg", present: comparisons.contains { $0.1 != nil }) { object in
            for (segment, legs) in comparisons {
                object.object(segment, present: legs != nil) { singleLegFields(&$0, legs) }
            }
        }
        return json.finishLine()
    }

    /// One segment's sway on each leg in single-leg stance, and their asymmetry.
    private static func singleLegFields(_ object: inout JSONWriter, _ legs: SingleLegSwayReport?) {
        guard let legs else { return }
        for (name, report, seconds) in [("left_stance", legs.left, legs.leftSeconds), ("right_stance", legs.right, legs.rightSeconds)] {
            object.object(name, present: report != nil) { side in
                guard let report else { return }
                side.number("seconds", seconds)
                side.number("path_length_deg", report.tilt.pathLengthMetres)
                side.number("rms_distance_deg", report.tilt.rmsDistanceMetres)
                side.number("ellipse95_area_deg2", report.tilt.ellipse95AreaSquareMetres)
                side.number("acceleration_rms_m_s2", report.acceleration.rmsDistanceMetres)
                side.number("jerk_m2_s5", report.jerk)
            }
        }
        object.object("sway_path", present: legs.pathAsymmetry != nil) { pair in legs.pathAsymmetry.map { asymmetryObject(&pair, $0) } }
        object.object("sway_area", present: legs.areaAsymmetry != nil) { pair in legs.areaAsymmetry.map { asymmetryObject(&pair, $0) } }
    }

    /// Prieto measures of a path whose "metres" are another unit (degrees, m/s²).
    private static func swayFields(_ json: inout JSONWriter, _ metrics: SwayMetrics, unit: String, area: String, velocity: String) {
        json.number("path_length_\(unit)", metrics.pathLengthMetres)
        json.number("mean_velocity_\(velocity)", metrics.meanVelocityMetresPerSecond)
        json.number("mean_distance_\(unit)", metrics.meanDistanceMetres)
        json.number("rms_distance_\(unit)", metrics.rmsDistanceMetres)
        json.number("range_ml_\(unit)", metrics.rangeMLMetres)
        json.number("range_ap_\(unit)", metrics.rangeAPMetres)
        json.number("ellipse95_area_\(area)", metrics.ellipse95AreaSquareMetres)
        json.number("mean_frequency_hz", metrics.meanFrequencyHz)
    }
}
