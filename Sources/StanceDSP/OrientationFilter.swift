/// Orientation of a 6-axis (gyroscope, accelerometer) or 9-axis (and magnetometer) IMU: a
/// Mahony-style complementary filter with gyroscope-bias estimation.
///
/// The gyroscope is integrated; the accelerometer's direction of gravity and the magnetometer's
/// direction of west (gravity × field) pull the estimate through proportional and integral
/// feedback (Mahony, Hamel and Pflimlin 2008, "Nonlinear complementary filters on the special
/// orthogonal group", IEEE TAC 53(5), the "explicit complementary filter"); the integral is the
/// gyroscope-bias estimate. The error terms, the startup ramp and the rejection rules follow
/// Madgwick's revised AHRS in x-io Fusion (Madgwick, Wilson and Turner 2020, "An extended
/// complementary filter for full-body MARG orientation estimation using the hybrid systems
/// approach", the basis of Fusion): the magnetometer enters only through its horizontal part, so
/// it corrects heading and never tilt; a sensor whose error exceeds a threshold is ignored for
/// that update, and used again if it has been ignored for too long. The accelerometer is weighted
/// down while |a| is far from g and while the sensor turns fast, and ignored beyond g (1 ± 0.6):
/// movement and impacts. Velocity aiding (on by default) adds a second accelerometer term: the accelerometer's
/// horizontal part (a minus the estimated gravity) is integrated into a leaky velocity, which a
/// tilt error makes grow steadily while a body segment's movement keeps it bounded, and the
/// estimate turns to null that velocity. docs/imu.md has the equations, the parameters and how
/// they were chosen. After the startup, a settling of a few seconds at higher gains learns the
/// gyroscope bias while the sensor is still, and ends at its first movement.
///
/// Without a magnetometer, the gyroscope bias about the vertical is unobservable; for a sensor that
/// turns back and forth (a thigh in squats) so is, on average, the bias about its *mean* vertical:
/// its tilt effect cancels over each repetition. Left free, the integral term then winds the bias
/// up along that axis from any small rectified residual (linear acceleration in phase with the
/// movement): in 5 minutes of simulated squats, to 4.7 °/s with the plain filter's gains (k_P 0.7,
/// k_I 0.5), 2.0 °/s in 4 minutes with the defaults. The 6-axis bias estimate therefore learns
/// nothing along the mean vertical of the last `verticalAveragingSeconds`.
///
/// Frames: ``orientation`` rotates sensor → earth, earth NWU (x north or forward, y west or left,
/// z up); a still upright sensor reads a = (0, 0, +9.80665) m/s² and has the identity orientation.
/// Without a magnetometer, heading starts at 0 and follows the gyroscope only.
///
/// The state and arithmetic are `Float`, as Fusion's are: the measurement noise of any MEMS IMU is
/// orders of magnitude above Float's 6e-8 rounding, and the quaternion is renormalised every
/// update, so rounding does not accumulate. `update` allocates nothing, has no trigonometry and at most two square roots.
public struct OrientationFilter: Sendable {
    /// Standard gravity, m/s², the magnitude the acceleration test expects.
    public static let standardGravity: Float = 9.80665

    public let settings: Settings
    let thresholds: Thresholds

    // Orientation, a unit quaternion.
    var qw: Float = 1, qx: Float = 0, qy: Float = 0, qz: Float = 0
    // Gyroscope bias estimate, rad/s (the integral term, negated). Scalars, as the quaternion:
    // SIMD3 lanes cost shuffles on the update's loop-carried path.
    var bx: Float = 0, by: Float = 0, bz: Float = 0
    var initialised = false
    var startupRemainingSeconds: Float
    var settlingRemainingSeconds: Float
    // This update's k_P, 1/s, and 2 k_I, 1/s²: the settings' after the startup and the settling
    // (step 7), which set them while `gainsScheduled` (OrientationFilterSteps.swift, scheduleGains).
    var proportionalGainNow: Float
    var twiceIntegralGainNow: Float
    var gainsScheduled = true
    // Fusion's recovery triggers, in seconds: up 1 per second rejected, down 9 per second accepted.
    var accelerationTrigger: Float = 0, magneticTrigger: Float = 0
    var accelerationRecovering = false, magneticRecovering = false
    // Velocity aiding: P, the leaky integral of ½ a × v̂, m/s, in sensor axes
    // (OrientationFilterSteps.swift, step).
    var pvx: Float = 0, pvy: Float = 0, pvz: Float = 0
    // The mean vertical: earth z in sensor axes, low-passed over `verticalAveragingSeconds`
    // (not normalised; it starts at the first sample's). The 6-axis bias estimate learns nothing
    // along it (OrientationFilterSteps.swift, step).
    var mvx: Float = 0, mvy: Float = 0, mvz: Float = 1
    // The part along m of the last integral step, rad/s, which the next update takes back.
    var alongX: Float = 0, alongY: Float = 0, alongZ: Float = 0

    /// Whether the last update ignored the accelerometer (rejected, or not a usable vector).
    public internal(set) var accelerometerIgnored = true
    /// Whether the last update ignored the magnetometer (rejected, absent or unusable).
    public internal(set) var magnetometerIgnored = true

    public init(settings: Settings = Settings()) {
        self.settings = settings
        thresholds = Thresholds(settings)
        startupRemainingSeconds = max(settings.startupSeconds, 0)
        settlingRemainingSeconds = thresholds.settlingProportionalExcess != 0 || thresholds.settlingTwiceIntegralExcess != 0
            ? settings.settlingSeconds : 0
        proportionalGainNow = settings.proportionalGain
        twiceIntegralGainNow = thresholds.twiceIntegralGain
    }

    /// The current estimate, sensor → earth (NWU). The identity until the first usable
    /// accelerometer sample.
    public var orientation: Quaternion {
        Quaternion(w: Double(qw), x: Double(qx), y: Double(qy), z: Double(qz))
    }

    /// The gyroscope-bias estimate, rad/s per sensor axis (subtracted from the gyroscope). The
    /// component about the vertical is observable only with a magnetometer.
    public var gyroscopeBias: SIMD3<Double> { SIMD3<Double>(Double(bx), Double(by), Double(bz)) }

    /// Whether the filter has had a usable accelerometer sample to start from.
    public var isInitialised: Bool { initialised }

    /// Whether the startup (high gain, no rejection, bias held) is still running.
    public var isStartingUp: Bool { startupRemainingSeconds > 0 }

    /// Starts again from the next sample; keeps the bias estimate unless `keepingBias` is false.
    public mutating func reset(keepingBias: Bool = true) {
        let kept = (bx, by, bz)
        self = OrientationFilter(settings: settings)
        if keepingBias { (bx, by, bz) = kept }
    }

    /// One IMU sample, `deltaSeconds` after the previous one.
    ///
    /// - Parameters:
    ///   - gyroscope: angular velocity, rad/s, sensor axes.
    ///   - accelerometer: specific force, m/s², sensor axes (upright and still: (0, 0, +9.81)).
    ///     A zero or non-finite vector is ignored.
    ///   - magnetometer: the magnetic field in any unit (µT typical), calibrated for hard and soft
    ///     iron; `nil` for a 6-axis update. A zero or non-finite vector is ignored.
    ///   - deltaSeconds: time since the previous sample, s; ≤ 0 or not finite integrates nothing,
    ///     longer than `settings.maximumDeltaSeconds` is clamped to it.
    public mutating func update(gyroscope: SIMD3<Float>, accelerometer: SIMD3<Float>,
                                magnetometer: SIMD3<Float>?, deltaSeconds: Float) {
        guard initialised else {
            initialise(accelerometer: accelerometer, magnetometer: magnetometer)
            return
        }
        // Four copies of the step, so that each carries only the code its inputs and settings use.
        let aided = thresholds.velocityGainOverGravity > 0
        switch (magnetometer, aided) {
        case (let m?, true):
            step(gyroscope, accelerometer, m, hasMagnetometer: true, velocityAided: true, deltaSeconds: deltaSeconds)
        case (let m?, false):
            step(gyroscope, accelerometer, m, hasMagnetometer: true, velocityAided: false, deltaSeconds: deltaSeconds)
        case (nil, true):
            step(gyroscope, accelerometer, SIMD3(), hasMagnetometer: false, velocityAided: true, deltaSeconds: deltaSeconds)
        case (nil, false):
            step(gyroscope, accelerometer, SIMD3(), hasMagnetometer: false, velocityAided: false, deltaSeconds: deltaSeconds)
        }
    }

    /// One IMU sample in double precision (``ImuSample``'s units): converted and passed on.
    public mutating func update(gyroscope: SIMD3<Double>, accelerometer: SIMD3<Double>,
                                magnetometer: SIMD3<Double>?, deltaSeconds: Double) {
        update(gyroscope: SIMD3<Float>(gyroscope), accelerometer: SIMD3<Float>(accelerometer),
               magnetometer: magnetometer.map { SIMD3<Float>($0) }, deltaSeconds: Float(deltaSeconds))
    }
}
