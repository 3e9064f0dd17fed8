#if canImport(Glibc)
import Glibc
#endif

/// A body segment's tilt from vertical in its two anatomical planes, from the orientation of an
/// IMU strapped to it with x forward, y to the left and z up along the segment (Stance's sensor
/// frame; `Quaternion` says the earth frame). Both angles come from the direction of gravity in the
/// sensor frame alone, so they do not depend on heading (which a 6-axis AHRS cannot observe).
///
/// - `sagittalRadians`: rotation about the segment's medio-lateral (y) axis, positive when the top
///   of the segment tilts forward (a shank whose knee moves over the toes; a trunk bending
///   forward), −π…π.
/// - `frontalRadians`: rotation about the segment's antero-posterior (x) axis, positive when the
///   top tilts to the subject's right, −π…π.
public struct SegmentAngles: Sendable, Equatable {
    public var sagittalRadians: Double
    public var frontalRadians: Double

    public init(sagittalRadians: Double, frontalRadians: Double) {
        self.sagittalRadians = sagittalRadians
        self.frontalRadians = frontalRadians
    }

    /// The angles of a segment whose sensor has `orientation` (sensor → earth NWU).
    public init(orientation q: Quaternion) {
        // Earth's up (0, 0, 1) in the sensor frame: the third row of the rotation matrix.
        let up = SIMD3(2 * (q.x * q.z - q.w * q.y), 2 * (q.y * q.z + q.w * q.x), 1 - 2 * (q.x * q.x + q.y * q.y))
        // Tilting the top forward about +y by θ puts up at (−sin θ, 0, cos θ) in the sensor frame;
        // tilting it right about +x by φ puts it at (0, sin φ, cos φ).
        sagittalRadians = atan2(-up.x, up.z)
        frontalRadians = atan2(up.y, up.z)
    }

    public var sagittalDegrees: Double { sagittalRadians * 180 / .pi }
    public var frontalDegrees: Double { frontalRadians * 180 / .pi }
}
