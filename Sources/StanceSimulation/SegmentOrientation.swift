#if canImport(Glibc)
import Glibc
#endif
import StanceDSP

/// A segment's orientation as a trajectory: its sagittal and frontal angles exactly as
/// `StanceDSP.SegmentAngles` reads them back from a quaternion, and its heading, each with its
/// first and second time derivatives.
///
/// The rotation (sensor → earth NWU) is yaw ψ about z, after pitch p about y, after roll φ about x
/// (`q = q_z(ψ) ⊗ q_y(p) ⊗ q_x(φ)`), with φ the frontal angle and p = atan(tan θ · cos φ) for the
/// sagittal angle θ: then earth's up in the sensor frame is ∝ (−tan θ, tan φ, 1), which is what
/// `SegmentAngles(orientation:)` reads as (θ, φ). Valid for |θ| < 90°.
struct SegmentOrientation: Sendable {
    var sagittal: Jet
    var frontal: Jet
    var heading: Jet

    init(sagittal: Jet, frontal: Jet = Jet(0), heading: Jet = Jet(0)) {
        self.sagittal = sagittal
        self.frontal = frontal
        self.heading = heading
    }

    /// The pitch of the yaw–pitch–roll decomposition.
    private var pitch: Jet { Jet.atan(Jet.tan(sagittal) * Jet.cos(frontal)) }

    var quaternion: Quaternion {
        Quaternion(rollRadians: frontal.value, pitchRadians: pitch.value, yawRadians: heading.value)
    }

    /// The angular velocity in the sensor frame, rad/s: ω with q̇ = ½ q ⊗ (0, ω), from the
    /// angles' exact rates (Euler kinematics of the z-y-x sequence).
    var angularVelocityRadiansPerSecond: SIMD3<Double> {
        let p = pitch
        let (roll, yaw) = (frontal, heading)
        return SIMD3(roll.rate - yaw.rate * sin(p.value),
                     p.rate * cos(roll.value) + yaw.rate * cos(p.value) * sin(roll.value),
                     -p.rate * sin(roll.value) + yaw.rate * cos(p.value) * cos(roll.value))
    }

    /// `v` (sensor frame, constant or moving) rotated into the earth frame, with derivatives.
    func rotate(_ v: JetVector) -> JetVector {
        let p = pitch
        let (cr, sr) = (Jet.cos(frontal), Jet.sin(frontal))
        let (cp, sp) = (Jet.cos(p), Jet.sin(p))
        let (cy, sy) = (Jet.cos(heading), Jet.sin(heading))
        let rolled = JetVector(v.x, cr * v.y - sr * v.z, sr * v.y + cr * v.z)
        let pitched = JetVector(cp * rolled.x + sp * rolled.z, rolled.y, cp * rolled.z - sp * rolled.x)
        return JetVector(cy * pitched.x - sy * pitched.y, sy * pitched.x + cy * pitched.y, pitched.z)
    }
}

extension Quaternion {
    /// Roll (about x), pitch (about y), yaw (about z) of the z-y-x sequence, radians: what a
    /// WitMotion IMU sends in its angle frame. Pitch −π/2…π/2, roll and yaw −π…π.
    var rollPitchYawRadians: SIMD3<Double> {
        SIMD3(atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)),
              asin(min(max(2 * (w * y - x * z), -1), 1)),
              atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)))
    }
}
