/// One IMU-carrying segment (a shank, a thigh) over a sliding window: its sagittal and frontal
/// angles now, its sagittal angular velocity now, and over the window the sagittal range of motion
/// and the peak sagittal angular velocity. `update` is O(1) and allocates nothing (storage is
/// made at `init`).
public struct SegmentKinematics: Sendable {
    /// Sagittal angle (x, degrees) and sagittal angular velocity (y, degrees per second) over the
    /// window: its extremes are the range of motion and the peak angular velocity.
    private var window: SlidingSwayWindow
    public private(set) var angles = SegmentAngles(sagittalRadians: 0, frontalRadians: 0)
    /// Angular velocity about the sensor's medio-lateral (y) axis, degrees per second, positive
    /// when the top of the segment moves forward.
    public private(set) var sagittalAngularVelocityDegreesPerSecond = 0.0

    /// - Parameters:
    ///   - windowSeconds: length of the window, seconds (> 0).
    ///   - rateHz: the IMU's sample rate, hertz (> 0).
    public init(windowSeconds: Double, rateHz: Double) {
        window = SlidingSwayWindow(capacity: Int((windowSeconds * rateHz).rounded()), rateHz: rateHz)
    }

    /// Takes one sample: the segment's orientation (sensor → earth) and the gyroscope's reading
    /// (rad/s, sensor frame, bias removed).
    public mutating func update(orientation: Quaternion, angularVelocityRadiansPerSecond gyroscope: SIMD3<Double>) {
        angles = SegmentAngles(orientation: orientation)
        sagittalAngularVelocityDegreesPerSecond = gyroscope.y * 180 / .pi
        window.push(SIMD2(angles.sagittalDegrees, sagittalAngularVelocityDegreesPerSecond))
    }

    /// Samples in the window.
    public var sampleCount: Int { window.sampleCount }

    /// What the window holds; nil before the first sample.
    public var report: SegmentKinematicsReport? {
        guard let (minimum, maximum) = window.extremes else { return nil }
        return SegmentKinematicsReport(
            sagittalDegrees: angles.sagittalDegrees, frontalDegrees: angles.frontalDegrees,
            angularVelocityDegreesPerSecond: sagittalAngularVelocityDegreesPerSecond,
            rangeOfMotionDegrees: maximum.x - minimum.x,
            peakAngularVelocityDegreesPerSecond: max(maximum.y, -minimum.y))
    }
}

/// A segment's kinematics as reported: angles now and the window's range and peak.
public struct SegmentKinematicsReport: Sendable, Equatable {
    /// Sagittal angle now, degrees, positive with the top forward.
    public var sagittalDegrees: Double
    /// Frontal angle now, degrees, positive with the top to the subject's right.
    public var frontalDegrees: Double
    /// Sagittal angular velocity now, degrees per second.
    public var angularVelocityDegreesPerSecond: Double
    /// Largest minus smallest sagittal angle over the window, degrees (≥ 0).
    public var rangeOfMotionDegrees: Double
    /// Largest |sagittal angular velocity| over the window, degrees per second (≥ 0).
    public var peakAngularVelocityDegreesPerSecond: Double
}
