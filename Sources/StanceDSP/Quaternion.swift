#if canImport(Glibc)
import Glibc
#endif

/// A rotation as a unit quaternion w + xi + yj + zk (Hamilton convention).
///
/// Stance's orientations rotate vectors from a sensor's frame into the earth frame, which is
/// NWU: x forward (north, or wherever the subject faced at the start), y to the left (west),
/// z up. A sensor on a standing subject's segment has x forward, y to the left, z up along the
/// segment, so standing upright facing x is the identity.
public struct Quaternion: Sendable, Equatable {
    public var w: Double
    public var x: Double
    public var y: Double
    public var z: Double

    public init(w: Double, x: Double, y: Double, z: Double) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    /// No rotation.
    public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// The rotation by `angle` radians about `axis` (any non-zero length; right-handed).
    public init(axis: SIMD3<Double>, angleRadians angle: Double) {
        let unit = axis / (axis * axis).sum().squareRoot()
        let half = angle / 2
        let s = sin(half)
        self.init(w: cos(half), x: unit.x * s, y: unit.y * s, z: unit.z * s)
    }

    /// From Euler angles in the aerospace Z-Y-X order (heading, then pitch, then roll), radians, as
    /// IMUs such as WitMotion's report them: roll about x, pitch about y, yaw about z.
    public init(rollRadians roll: Double, pitchRadians pitch: Double, yawRadians yaw: Double) {
        self = Quaternion(axis: SIMD3(0, 0, 1), angleRadians: yaw) * Quaternion(axis: SIMD3(0, 1, 0), angleRadians: pitch)
            * Quaternion(axis: SIMD3(1, 0, 0), angleRadians: roll)
    }

    /// The vector part (x, y, z).
    @inlinable public var vector: SIMD3<Double> { SIMD3(x, y, z) }

    /// The inverse rotation (for a unit quaternion).
    @inlinable public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

    @inlinable public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }

    /// Scaled to unit length.
    @inlinable public var normalized: Quaternion {
        let scale = 1 / norm
        return Quaternion(w: w * scale, x: x * scale, y: y * scale, z: z * scale)
    }

    /// The Hamilton product: `a * b` rotates by `b`, then by `a`.
    @inlinable public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
        Quaternion(w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
                   x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
                   y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
                   z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    /// `v` rotated by this (unit) quaternion: from the sensor frame into the earth frame.
    @inlinable public func rotate(_ v: SIMD3<Double>) -> SIMD3<Double> {
        // v + 2w(q × v) + 2 q × (q × v), q the vector part.
        let q = vector
        let t = 2 * Self.cross(q, v)
        return v + w * t + Self.cross(q, t)
    }

    /// The angle of the rotation from `self` to `other`, radians, 0…π (sign of either ignored).
    public func angle(to other: Quaternion) -> Double {
        let dot = abs(w * other.w + x * other.x + y * other.y + z * other.z) / (norm * other.norm)
        return 2 * acos(min(1, dot))
    }

    @inlinable static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}
