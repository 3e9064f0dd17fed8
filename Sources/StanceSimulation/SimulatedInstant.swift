#if canImport(Glibc)
import Glibc
#endif
import StanceDSP

/// The ground truth of one instant of a simulated trial: what the plates and IMUs should report.
public struct SimulatedInstant: Sendable, Equatable {
    /// Seconds since the trial started.
    public var timeSeconds: Double
    /// Vertical force under each foot, newtons (0 when the foot is off its plate).
    public var leftForceNewtons: Double
    public var rightForceNewtons: Double
    /// Centre of pressure of each foot in its plate's frame, metres.
    public var leftCopMetres: SIMD2<Double>
    public var rightCopMetres: SIMD2<Double>
    /// Motion of the segments carrying IMUs.
    public var leftShank: SegmentMotion
    public var rightShank: SegmentMotion
    public var trunk: SegmentMotion
    /// Repetition in progress (squats, step-ups), counting from 0; `nil` for static tasks.
    public var repetition: Int?

    /// Share of the total vertical force on the left foot, 0…1 (0.5 when there is no force).
    public var leftShare: Double {
        let total = leftForceNewtons + rightForceNewtons
        return total > 0 ? leftForceNewtons / total : 0.5
    }
}

/// The orientation and motion of a body segment, in the segment's sensor frame: x forward,
/// y to the left, z up when standing (angles: roll about x = frontal plane, pitch about y =
/// sagittal plane, yaw about z).
public struct SegmentMotion: Sendable, Equatable {
    /// Roll (frontal), pitch (sagittal), yaw, radians.
    public var anglesRadians: SIMD3<Double>
    /// Angular velocity about the sensor axes, rad/s.
    public var angularVelocityRadiansPerSecond: SIMD3<Double>
    /// Specific force (what an accelerometer reads: linear acceleration minus gravity, in the
    /// sensor frame), m/s².
    public var specificForceMetresPerSecondSquared: SIMD3<Double>

    public static let still = SegmentMotion(anglesRadians: SIMD3(), angularVelocityRadiansPerSecond: SIMD3(),
                                            specificForceMetresPerSecondSquared: SIMD3(0, 0, standardGravity))

    public init(anglesRadians: SIMD3<Double>, angularVelocityRadiansPerSecond: SIMD3<Double>,
                specificForceMetresPerSecondSquared: SIMD3<Double>) {
        self.anglesRadians = anglesRadians
        self.angularVelocityRadiansPerSecond = angularVelocityRadiansPerSecond
        self.specificForceMetresPerSecondSquared = specificForceMetresPerSecondSquared
    }

    /// A segment tilted by `roll` and `pitch` (rad) changing at `rollRate`, `pitchRate` (rad/s),
    /// with `linear` acceleration (world frame, m/s²): gravity seen through the tilt, plus the
    /// linear acceleration (small-angle approximation for the latter).
    public static func tilted(roll: Double, pitch: Double, rollRate: Double, pitchRate: Double,
                              linear: SIMD3<Double> = SIMD3()) -> SegmentMotion {
        // Specific force of gravity in a frame rotated by roll (x) then pitch (y): R^T · (0, 0, g).
        let g = standardGravity
        let gravity = SIMD3(-g * sin(pitch), g * sin(roll) * cos(pitch), g * cos(roll) * cos(pitch))
        return SegmentMotion(anglesRadians: SIMD3(roll, pitch, 0),
                             angularVelocityRadiansPerSecond: SIMD3(rollRate, pitchRate, 0),
                             specificForceMetresPerSecondSquared: gravity + linear)
    }
}
