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
    public var leftThigh: SegmentMotion
    public var rightThigh: SegmentMotion
    public var trunk: SegmentMotion
    /// Repetition in progress (squats, step-ups), counting from 0; `nil` for static tasks.
    public var repetition: Int?

    /// Share of the total vertical force on the left foot, 0…1 (0.5 when there is no force).
    public var leftShare: Double {
        let total = leftForceNewtons + rightForceNewtons
        return total > 0 ? leftForceNewtons / total : 0.5
    }

    /// The motion of one IMU-carrying segment.
    public subscript(segment: ImuSegment) -> SegmentMotion {
        switch segment {
        case .leftShank: return leftShank
        case .rightShank: return rightShank
        case .leftThigh: return leftThigh
        case .rightThigh: return rightThigh
        case .trunk: return trunk
        }
    }
}

/// The body segments the simulator puts IMUs on.
public enum ImuSegment: String, Sendable, CaseIterable {
    case leftShank = "left-shank"
    case rightShank = "right-shank"
    case leftThigh = "left-thigh"
    case rightThigh = "right-thigh"
    case trunk

    /// The emulated device's name, e.g. `imu-left-shank`.
    public var deviceName: String { "imu-" + rawValue }

    /// The seed of this segment's IMU noise in a trial seeded `trialSeed`: the emulators and
    /// `ImuCSV` draw the same noise.
    public func noiseSeed(trialSeed: UInt64) -> UInt64 {
        trialSeed &+ 201 &+ UInt64(Self.allCases.firstIndex(of: self) ?? 0)
    }
}

/// The exact motion of an IMU on a body segment at one instant: orientation, and what an ideal
/// gyroscope, accelerometer and magnetometer strapped to it read. Sensor frame: x forward, y to
/// the left, z up along the segment when standing (so standing upright facing the earth's x is
/// the identity). The readings are mutually consistent: the angular velocity is the exact
/// derivative of the orientation (q̇ = ½ q ⊗ (0, ω)), the specific force is the second
/// derivative of the sensor's position minus gravity, both in the sensor frame.
public struct SegmentMotion: Sendable, Equatable {
    /// Rotation from the sensor frame to the earth frame (NWU: x magnetic north, the way the
    /// subject faces; y west, to the subject's left; z up).
    public var orientation: Quaternion
    /// Angular velocity about the sensor's axes, rad/s.
    public var angularVelocityRadiansPerSecond: SIMD3<Double>
    /// Specific force in the sensor frame, R^T (a − g) with g = (0, 0, −9.80665) m/s²: what an
    /// accelerometer reads (a still upright sensor reads (0, 0, +9.80665)), m/s².
    public var specificForceMetresPerSecondSquared: SIMD3<Double>
    /// The earth's magnetic field in the sensor frame (`EarthMagneticField.simulated`), µT.
    public var magneticFieldMicroteslas: SIMD3<Double>
    /// Where the sensor is, earth frame, metres (origin on the floor midway between the ankles of
    /// a subject standing on both feet).
    public var positionMetres: SIMD3<Double>

    public init(orientation: Quaternion, angularVelocityRadiansPerSecond: SIMD3<Double>,
                specificForceMetresPerSecondSquared: SIMD3<Double>,
                magneticFieldMicroteslas: SIMD3<Double>, positionMetres: SIMD3<Double> = SIMD3()) {
        self.orientation = orientation
        self.angularVelocityRadiansPerSecond = angularVelocityRadiansPerSecond
        self.specificForceMetresPerSecondSquared = specificForceMetresPerSecondSquared
        self.magneticFieldMicroteslas = magneticFieldMicroteslas
        self.positionMetres = positionMetres
    }

    /// A segment held still at `orientation`.
    public init(stillAt orientation: Quaternion) {
        self.init(orientation: orientation, angularVelocityRadiansPerSecond: SIMD3(),
                  specificForceMetresPerSecondSquared: orientation.conjugate.rotate(SIMD3(0, 0, standardGravity)),
                  magneticFieldMicroteslas: orientation.conjugate.rotate(EarthMagneticField.simulated.microteslas))
    }

    /// Upright and still.
    public static let still = SegmentMotion(stillAt: .identity)

    /// Sagittal and frontal angles (`StanceDSP.SegmentAngles`' definitions).
    public var angles: SegmentAngles { SegmentAngles(orientation: orientation) }

    /// The motion of a sensor at `position` (earth frame, metres, with derivatives) whose segment
    /// turns as `orientation`.
    init(orientation segment: SegmentOrientation, position: JetVector) {
        let q = segment.quaternion
        let gravity = SIMD3<Double>(0, 0, -standardGravity)
        self.init(orientation: q, angularVelocityRadiansPerSecond: segment.angularVelocityRadiansPerSecond,
                  specificForceMetresPerSecondSquared: q.conjugate.rotate(position.acceleration - gravity),
                  magneticFieldMicroteslas: q.conjugate.rotate(EarthMagneticField.simulated.microteslas),
                  positionMetres: position.value)
    }
}

/// The geomagnetic field the simulated IMUs sit in, in the earth frame (NWU).
public struct EarthMagneticField: Sendable, Equatable {
    /// North (magnetic), west, up components, µT.
    public var microteslas: SIMD3<Double>

    /// London (51.507° N, 0.128° W) at sea level on 2025-07-01 by IGRF-14 (computed with the
    /// `ppigrf` 2.1.0 package): total intensity 49.08 µT, inclination 66.53° (down), declination
    /// 0.98° E. The earth frame's x is magnetic north, so the field has no west component:
    /// horizontal 19.55 µT north, vertical 45.02 µT down.
    public static let simulated = EarthMagneticField(microteslas: SIMD3(19.550, 0, -45.020))
}
