#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OrientationFilter {
    /// The gains and thresholds of an ``OrientationFilter``. The defaults suit body-worn IMUs at
    /// 100–1000 Hz (docs/imu.md, "Orientation (AHRS)", says how they were chosen).
    public struct Settings: Sendable, Equatable {
        /// Proportional gain k_P, 1/s (0–10, default 0.4): the rate, rad/s per radian of error, at
        /// which the accelerometer's direction (and the magnetometer) pull the estimate. Without
        /// velocity aiding the filter's crossover: gyroscope above k_P / 2π Hz, gravity and field
        /// below.
        public var proportionalGain: Float
        /// Integral gain k_I, 1/s² (0–5, default 0.15): how fast the gyroscope-bias estimate
        /// follows the remaining error; 0 turns bias estimation off. Without velocity aiding the
        /// error loop is s² + k_P s + k_I; with it (k_V, λ below) the tilt loop is
        /// s³ + (λ + k_P) s² + (k_P λ + k_V + k_I) s + k_I λ, whose poles for the defaults are
        /// −0.14 and −0.73 ± 0.89i /s: the slow one, the bias, settles in about 30 s. The heading
        /// loop (magnetometer) is s² + k_P s + k_I: −0.2 ± 0.33i /s.
        public var integralGain: Float
        /// Proportional gain at the first update, 1/s (default 10), falling linearly to
        /// `proportionalGain` (times `settlingGainFactor` when a settling follows) over
        /// `startupSeconds`. During startup nothing is rejected and the bias estimate is held, so
        /// the first second converges fast without winding up the bias.
        public var startupGain: Float
        /// Length of the startup, seconds (0–10, default 1).
        public var startupSeconds: Float
        /// The settling that follows startup, seconds (0–60, default 6; 0 turns it off): k_P and
        /// k_I start at `settlingGainFactor` times their settings and fall linearly to them over
        /// it (startup's gain falls to that start instead of k_P), so the bias estimate, held
        /// during startup, is learnt fast while the sensor is still. Without it the first
        /// seconds after startup carry the whole gyroscope bias into the error, through a loop
        /// that takes tens of seconds to learn it. The first movement ends it
        /// (`settlingEndRateRadiansPerSecond`): high gains in movement pass linear acceleration
        /// into the tilt (docs/imu.md, step 7).
        public var settlingSeconds: Float
        /// How many times k_P and k_I the gains are at the start of the settling (1–10, default 3;
        /// 1 turns the settling off).
        public var settlingGainFactor: Float
        /// The settling ends for good at the first gyroscope reading faster than this, rad/s
        /// (default 0.2 = 11.5 °/s): a movement, not a still sensor's sway, noise or bias.
        public var settlingEndRateRadiansPerSecond: Float
        /// The accelerometer corrects only while the angle between measured and estimated gravity
        /// is at most this, degrees (0–90, default 90: off). Fusion's rule; on our trajectories
        /// the weights below did better (docs/imu.md).
        public var accelerationRejectionDegrees: Float
        /// The accelerometer's weight falls linearly from 1 at |a| = g to 0 at this fraction of
        /// standard gravity from it (0–1, default 0.6: 0 below 3.9 and above 15.7 m/s²; 1 turns
        /// it off), so impacts and fast movement count little or not at all.
        public var accelerationMagnitudeTolerance: Float
        /// ω₀, rad/s (default 0.9 = 52 °/s; 0 turns it off): the accelerometer's weight is
        /// 1 / (1 + |ω|²/ω₀²), ½ at ω₀, with ω the gyroscope as measured; velocity aiding's
        /// correction is weighted the same. Fast rotation comes with tangential and centripetal
        /// acceleration that the accelerometer cannot tell from gravity.
        public var rotationRateScaleRadiansPerSecond: Float
        /// The magnetometer corrects heading only while the heading error it indicates is at most
        /// this, degrees (0–90, default 10; 90 turns the test off).
        public var magneticRejectionDegrees: Float
        /// After this long with a sensor rejected most of the time (Fusion's rule: more than 90 % of
        /// updates), seconds (default 5), it is used again until the error subsides, so a wrong
        /// estimate cannot lock itself out. 0 disables rejection altogether.
        public var rejectionTimeoutSeconds: Float
        /// Velocity-aiding gain k_V, 1/s² (0–5, default 0.9; 0 turns it off, leaving the plain
        /// complementary filter): the rate, rad/s, at which the estimate turns per unit of v/g,
        /// where v (m/s) is a leaky integral of the accelerometer's horizontal part, a − g v̂
        /// (kept in sensor axes as ½ v × v̂, which needs no rotation).
        /// A tilt error θ makes v grow as g θ t; a body segment's own movement keeps it bounded and
        /// zero-mean, so this term passes movement at angular frequency ω into the tilt at about
        /// k_V / ω² of the apparent tilt it causes, where the accelerometer's direction passes
        /// k_P / ω: k_V adds stiffness that rolls off faster with frequency. What it costs per
        /// update: docs/imu.md, "Speed".
        public var velocityGain: Float
        /// Leak rate λ of that velocity, 1/s (0.05–5, default 1.2): v loses λ v per second (a
        /// high-pass at λ / 2π Hz), so it forgets the accelerometer's bias, slow drift, and
        /// directions the sensor has turned away from. The velocity integrates only while
        /// g (1 − τ) < |a| < g (1 + τ) (τ = `accelerationMagnitudeTolerance`): not through impacts.
        public var velocityLeakRate: Float
        /// τ_v, seconds (0–600, default 10; 0 turns it off): without a magnetometer, the bias
        /// estimate learns nothing along the sensor's mean vertical, earth z in sensor axes
        /// low-passed with this time constant. Still, that is the vertical itself, which the
        /// accelerometer cannot see anyway; moving back and forth, it is the axis whose bias
        /// cancels in the tilt over each repetition and would otherwise wind up (docs/imu.md,
        /// step 6). A few repetitions long.
        public var verticalAveragingSeconds: Float
        /// Largest magnitude of each axis of the bias estimate, rad/s (default 0.0873 = 5 °/s).
        public var maximumBiasRadiansPerSecond: Float
        /// A longer step (a gap in the stream) is integrated as this long, seconds (default 0.1).
        public var maximumDeltaSeconds: Float

        public init(
            proportionalGain: Float = 0.4, integralGain: Float = 0.15,
            startupGain: Float = 10, startupSeconds: Float = 1,
            settlingSeconds: Float = 6, settlingGainFactor: Float = 3, settlingEndRateRadiansPerSecond: Float = 0.2,
            accelerationRejectionDegrees: Float = 90, accelerationMagnitudeTolerance: Float = 0.6,
            rotationRateScaleRadiansPerSecond: Float = 0.9,
            magneticRejectionDegrees: Float = 10, rejectionTimeoutSeconds: Float = 5,
            velocityGain: Float = 0.9, velocityLeakRate: Float = 1.2,
            verticalAveragingSeconds: Float = 10,
            maximumBiasRadiansPerSecond: Float = 0.0873, maximumDeltaSeconds: Float = 0.1
        ) {
            self.proportionalGain = proportionalGain
            self.integralGain = integralGain
            self.startupGain = startupGain
            self.startupSeconds = startupSeconds
            self.settlingSeconds = settlingSeconds
            self.settlingGainFactor = settlingGainFactor
            self.settlingEndRateRadiansPerSecond = settlingEndRateRadiansPerSecond
            self.accelerationRejectionDegrees = accelerationRejectionDegrees
            self.accelerationMagnitudeTolerance = accelerationMagnitudeTolerance
            self.rotationRateScaleRadiansPerSecond = rotationRateScaleRadiansPerSecond
            self.magneticRejectionDegrees = magneticRejectionDegrees
            self.rejectionTimeoutSeconds = rejectionTimeoutSeconds
            self.velocityGain = velocityGain
            self.velocityLeakRate = velocityLeakRate
            self.verticalAveragingSeconds = verticalAveragingSeconds
            self.maximumBiasRadiansPerSecond = maximumBiasRadiansPerSecond
            self.maximumDeltaSeconds = maximumDeltaSeconds
        }
    }

    /// Settings turned into the quantities the update compares against, once.
    struct Thresholds: Sendable {
        /// (½ sin θ)² for the acceleration and magnetic rejection angles: the update compares the
        /// squared norm of its half-scaled residual with these (no trigonometry per sample).
        var accelerationResidualSquared: Float
        var magneticResidualSquared: Float
        /// 1 / (tolerance × g), s²/m²: the slope of the accelerometer's weight.
        var inverseMagnitudeTolerance: Float
        /// 1 / ω₀², s²: the accelerometer's weight is 1 / (1 + |ω|² / ω₀²).
        var inverseRateScaleSquared: Float
        /// 2 k_I, 1/s², and k_startup − k_P, 1/s: products the update would otherwise form per
        /// sample (k_startup − k_settling when there is a settling).
        var twiceIntegralGain: Float
        var startupGainExcess: Float
        /// The settling's excess over k_P, 1/s, and over 2 k_I, 1/s², at its start; 0 without one.
        var settlingProportionalExcess: Float
        var settlingTwiceIntegralExcess: Float
        /// The settling's end rate squared, rad²/s² (infinite when it is not finite: no end).
        var settlingEndRateSquared: Float
        /// k_V / g, 1/(m s): 0 when velocity aiding is off.
        var velocityGainOverGravity: Float
        /// λ, 1/s, at least 0.
        var velocityLeakRate: Float
        /// (g (1 ∓ τ))², m²/s⁴: the velocity integrates the accelerometer while |a|² is strictly
        /// between these (above the smallest normal Float and finite when τ is off).
        var velocityLowerSquared: Float
        var velocityUpperSquared: Float
        /// 1 / τ_v, 1/s: 0 when the mean vertical is off.
        var inverseVerticalAveragingSeconds: Float

        init(_ settings: Settings) {
            func halfSineSquared(_ degrees: Float) -> Float {
                if degrees >= 90 { return .greatestFiniteMagnitude }
                let half = 0.5 * sinf(max(degrees, 0) * .pi / 180)
                return half * half
            }
            let rejecting = settings.rejectionTimeoutSeconds > 0
            accelerationResidualSquared = rejecting ? halfSineSquared(settings.accelerationRejectionDegrees) : .greatestFiniteMagnitude
            magneticResidualSquared = rejecting ? halfSineSquared(settings.magneticRejectionDegrees) : .greatestFiniteMagnitude
            let tolerance = min(max(settings.accelerationMagnitudeTolerance, 0), 1)
            let scale = settings.rotationRateScaleRadiansPerSecond
            inverseRateScaleSquared = scale > 0 && scale.isFinite ? 1 / (scale * scale) : 0
            inverseMagnitudeTolerance = rejecting && tolerance < 1 ? 1 / (tolerance * OrientationFilter.standardGravity) : 0
            twiceIntegralGain = 2 * settings.integralGain
            let settling = settings.settlingSeconds > 0 && settings.settlingSeconds.isFinite
                && settings.settlingGainFactor.isFinite && settings.settlingGainFactor != 1
            let excess = settling ? settings.settlingGainFactor - 1 : 0
            settlingProportionalExcess = excess * settings.proportionalGain
            settlingTwiceIntegralExcess = excess * twiceIntegralGain
            startupGainExcess = settings.startupGain - settings.proportionalGain - settlingProportionalExcess
            let endRate = settings.settlingEndRateRadiansPerSecond
            settlingEndRateSquared = endRate.isFinite ? endRate * endRate : .infinity
            let velocityGain = settings.velocityGain
            velocityGainOverGravity = velocityGain > 0 && velocityGain.isFinite ? velocityGain / OrientationFilter.standardGravity : 0
            let leak = settings.velocityLeakRate
            velocityLeakRate = leak > 0 && leak.isFinite ? leak : 0
            let averaging = settings.verticalAveragingSeconds
            inverseVerticalAveragingSeconds = averaging > 0 && averaging.isFinite ? 1 / averaging : 0
            let g = OrientationFilter.standardGravity
            if inverseMagnitudeTolerance > 0 {
                velocityLowerSquared = max(g * g * (1 - tolerance) * (1 - tolerance), .leastNormalMagnitude)
                velocityUpperSquared = g * g * (1 + tolerance) * (1 + tolerance)
            } else {
                velocityLowerSquared = .leastNormalMagnitude
                velocityUpperSquared = .greatestFiniteMagnitude
            }
        }
    }
}
