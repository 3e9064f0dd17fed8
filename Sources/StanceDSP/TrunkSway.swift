/// Sway of the trunk from an IMU on it (sensor x forward, y left, z up; near the lumbar spine,
/// L5, as in the instrumented-sway literature), over a sliding window:
/// - lean: the frontal angle now, degrees, positive to the subject's right: the IMU's proxy for
///   weight shift (no force is measured, none is invented);
/// - tilt sway: the Prieto measures (`SwayMetrics`) of the path of (frontal, sagittal) tilt, in
///   degrees: path length (deg), RMS distance (deg), ranges (deg), 95 % ellipse area (deg²), mean
///   velocity (deg/s), mean frequency (Hz);
/// - acceleration sway after Mancini et al. (2012, J NeuroEng Rehabil 9:59, "ISway"): the same
///   measures of the horizontal acceleration the sensor reads, ML = −a_y (positive right), AP =
///   a_x, m/s² (RMS, path, range, ellipse area in (m/s²)²…), and JERK = ½ ∫ ((dAP/dt)² + (dML/dt)²)
///   dt over the window, m²/s⁵ (the paper's definition: it grows with the window's length). As in
///   the paper, the acceleration is first low-passed at 3.5 Hz by a 4th-order Butterworth filter
///   (``accelerationLowPassHz``); here it is causal, started at the first sample's level, where
///   the paper's was zero-phase and offline. Without it the jerk measures the sensor's noise: it
///   grows with the cube of the rate.
///
/// `update` is O(1) and allocates nothing.
public struct TrunkSway: Sendable {
    private var tilt: SlidingSwayWindow
    private var acceleration: SlidingSwayWindow
    private var jerk: SlidingSum
    private var previousAcceleration: SIMD2<Double>?
    private var lowPass: SOSCascade<SIMD2<Double>>?
    private let rateHz: Double
    public private(set) var angles = SegmentAngles(sagittalRadians: 0, frontalRadians: 0)

    /// - Parameters:
    ///   - windowSeconds: window length, seconds (> 0).
    ///   - rateHz: the IMU's sample rate, hertz (> 0).
    public init(windowSeconds: Double, rateHz: Double) {
        let capacity = Int((windowSeconds * rateHz).rounded())
        tilt = SlidingSwayWindow(capacity: capacity, rateHz: rateHz)
        acceleration = SlidingSwayWindow(capacity: capacity, rateHz: rateHz)
        jerk = SlidingSum(capacity: capacity)
        self.rateHz = rateHz
        // Below 7 Hz there is nothing above 3.5 Hz to remove.
        lowPass = (try? Butterworth.sections(order: Self.accelerationLowPassOrder, cutoffHz: Self.accelerationLowPassHz,
                                             rateHz: rateHz, type: .lowpass)).map { SOSCascade(sections: $0) }
    }

    /// Cut-off of the acceleration's low-pass filter, Hz (Mancini et al. 2012).
    public static let accelerationLowPassHz = 3.5
    /// Its order (two second-order sections).
    public static let accelerationLowPassOrder = 4

    /// Takes one sample: the trunk's orientation (sensor → earth) and the accelerometer's specific
    /// force (m/s², sensor frame).
    public mutating func update(orientation: Quaternion, specificForceMetresPerSecondSquared force: SIMD3<Double>) {
        angles = SegmentAngles(orientation: orientation)
        tilt.push(SIMD2(angles.frontalDegrees, angles.sagittalDegrees))
        var horizontal = SIMD2(-force.y, force.x)
        if lowPass != nil {
            if previousAcceleration == nil { lowPass!.settle(at: horizontal) }
            horizontal = lowPass!.process(horizontal)
        }
        acceleration.push(horizontal)
        if let previous = previousAcceleration {
            let derivative = (horizontal - previous) * rateHz
            jerk.push(0.5 * (derivative * derivative).sum() / rateHz)
        }
        previousAcceleration = horizontal
    }

    /// Samples in the window.
    public var sampleCount: Int { tilt.sampleCount }

    /// Empties the window (a new trial starts).
    public mutating func removeAll() {
        tilt.removeAll()
        acceleration.removeAll()
        jerk.removeAll()
        previousAcceleration = nil
    }

    /// What the window holds; nil before 3 samples.
    public var report: TrunkSwayReport? {
        guard let tiltMetrics = tilt.metrics, let accelerationMetrics = acceleration.metrics else { return nil }
        return TrunkSwayReport(leanDegrees: angles.frontalDegrees, sagittalDegrees: angles.sagittalDegrees,
                               tilt: tiltMetrics, acceleration: accelerationMetrics, jerk: jerk.sum)
    }
}

/// The trunk's sway as reported (`TrunkSway` defines each figure).
public struct TrunkSwayReport: Sendable, Equatable {
    /// Frontal lean now, degrees, positive to the right.
    public var leanDegrees: Double
    /// Sagittal tilt now, degrees, positive forward.
    public var sagittalDegrees: Double
    /// Prieto measures of the (frontal, sagittal) tilt path; "metres" fields hold degrees.
    public var tilt: SwayMetrics
    /// Prieto measures of the (ML, AP) acceleration path; "metres" fields hold m/s².
    public var acceleration: SwayMetrics
    /// ½ ∫ ((dAP/dt)² + (dML/dt)²) dt over the window, m²/s⁵.
    public var jerk: Double
}
