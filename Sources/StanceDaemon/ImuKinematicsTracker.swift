import StanceDevices
import StanceDSP
import StanceWire

/// One IMU's orientation and what its segment's metrics need, per sample on its reader thread
/// (no lock, no allocation): a leg segment's `SegmentKinematics` or the trunk's `TrunkSway`.
///
/// Orientation comes from Stance's `OrientationFilter` (6-axis: the metrics need the tilt only,
/// and an uncalibrated magnetometer would add nothing to it), stepped at the profile's nominal
/// rate, the gyroscope's bias estimate removed from the angular velocity the metrics use; or,
/// with `device.orientation = "device"` in the profile, from the device itself (a WitMotion's
/// quaternion, else its Euler angles, Z-Y-X). The sensor must sit with x forward, y to the left
/// and z up along the segment.
struct ImuKinematicsTracker {
    // Optionals, not an enum with payloads: mutating through `?.` works in place, where taking a
    // payload out and putting it back would copy the window's storage on every sample.
    private let segment: ImuMetricsSnapshot.Segment?
    private var kinematics: SegmentKinematics?
    private var trunk: TrunkSway?
    private var singleLeg: SingleLegSway?
    /// A shank's sway while its leg is the stance leg.
    private var stanceSway: StanceTrialSway?
    /// The leg a shank is on.
    private let side: SingleLegSway.Stance?
    /// Stance's filter, unless the device's own orientation is used.
    private var filter: OrientationFilter?
    private let periodSeconds: Double

    init(role: DeviceRole, windowSeconds: Double, rateHz: Double, orientationSource: ImuOrientationSource = .ahrs) {
        segment = ImuMetricsBoard.segment(role)
        periodSeconds = 1 / rateHz
        if orientationSource == .ahrs { filter = OrientationFilter() }
        if segment != nil { kinematics = SegmentKinematics(windowSeconds: windowSeconds, rateHz: rateHz) }
        side = segment == .leftShank ? .left : segment == .rightShank ? .right : nil
        if side != nil { stanceSway = StanceTrialSway(windowSeconds: windowSeconds, rateHz: rateHz) }
        if role == .imuTrunk {
            trunk = TrunkSway(windowSeconds: windowSeconds, rateHz: rateHz)
            singleLeg = SingleLegSway(windowSeconds: windowSeconds, rateHz: rateHz)
        }
    }

    /// The device's own orientation of `sample`, if it sent one.
    static func deviceOrientation(_ sample: ImuSample) -> Quaternion? {
        if let q = sample.orientation { return Quaternion(w: q[0], x: q[1], y: q[2], z: q[3]).normalized }
        if let angles = sample.eulerAnglesRadians {
            return Quaternion(rollRadians: angles.x, pitchRadians: angles.y, yawRadians: angles.z)
        }
        return nil
    }

    /// One sample; a leg segment's angle goes to `board` (for the single-leg comparison); the
    /// trunk and the shanks take from it which leg the subject stands on.
    mutating func update(_ sample: ImuSample, board: ImuMetricsBoard) {
        var angularVelocity = sample.angularVelocityRadiansPerSecond
        let orientation: Quaternion
        if filter != nil {
            filter?.update(gyroscope: angularVelocity, accelerometer: sample.accelerationMetresPerSecondSquared, magnetometer: nil,
                           deltaSeconds: periodSeconds)
            guard let estimate = filter, estimate.isInitialised else { return }
            orientation = estimate.orientation
            angularVelocity -= estimate.gyroscopeBias
        } else if let reported = Self.deviceOrientation(sample) {
            orientation = reported
        } else {
            return   // the device sent no orientation: nothing to compute from
        }
        if let segment {
            kinematics?.update(orientation: orientation, angularVelocityRadiansPerSecond: angularVelocity)
            if let angles = kinematics?.angles { board.store(sagittalDegrees: angles.sagittalDegrees, segment: segment) }
        }
        let force = sample.accelerationMetresPerSecondSquared
        if let side, stanceSway != nil {
            stanceSway?.update(standing: board.stance == side, orientation: orientation, specificForceMetresPerSecondSquared: force)
        }
        trunk?.update(orientation: orientation, specificForceMetresPerSecondSquared: force)
        if singleLeg != nil { singleLeg?.update(stance: board.stance, orientation: orientation, specificForceMetresPerSecondSquared: force) }
    }

    var report: ImuMetricsBoard.Report? {
        if let segment, let report = kinematics?.report {
            return .segment(segment, report, stance: stanceSway.map { ($0.report, $0.seconds) })
        }
        if let report = trunk?.report, let legs = singleLeg?.report { return .trunk(report, singleLeg: legs) }
        return nil
    }
}
