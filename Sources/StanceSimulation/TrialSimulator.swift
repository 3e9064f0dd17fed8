#if canImport(Glibc)
import Glibc
#endif
import StanceDSP

/// Produces the ground truth of a simulated trial, one instant per sample, deterministically for
/// a seed. Forces follow the mechanics of each exercise (vertical force = m·(g + z̈) of the centre
/// of mass), COPs sway, and the IMU segments move consistently with the forces (their angular
/// velocities integrate to their angles).
public struct TrialSimulator: Sendable {
    public let scenario: Scenario
    public let parameters: ScenarioParameters
    /// Samples per second.
    public let rateHz: Double
    private var index = 0
    private var leftSway: SwayGenerator
    private var rightSway: SwayGenerator
    private var weightShift: SwayGenerator
    private var previousAngles = (left: SIMD2<Double>(), right: SIMD2<Double>(), trunk: SIMD2<Double>())

    /// Where each foot stands on its plate, metres (a little forward of centre, feet apart).
    static let leftFootOffset = SIMD2<Double>(0.010, 0.020)
    static let rightFootOffset = SIMD2<Double>(-0.008, 0.015)
    /// Height of the body's centre of mass above the ankles, metres (inverted pendulum).
    static let pendulumLengthMetres = 0.95
    /// Shank tilt at the bottom of a 0.35 m squat, radians (~35°).
    static let shankTiltAtFullDepth = 0.61

    public init(scenario: Scenario, parameters: ScenarioParameters = ScenarioParameters(), rateHz: Double) {
        self.scenario = scenario
        self.parameters = parameters
        self.rateHz = rateHz
        let swayScale = scenario == .singleLegStance ? 2.5 : 1.0
        let tau = parameters.swayTimeConstantSeconds
        leftSway = SwayGenerator(rmsMetres: parameters.leftSwayRmsMillimetres / 1000 * swayScale, rateHz: rateHz,
                                 seed: parameters.seed &* 3 &+ 1, timeConstantSeconds: tau)
        rightSway = SwayGenerator(rmsMetres: parameters.rightSwayRmsMillimetres / 1000 * swayScale, rateHz: rateHz,
                                  seed: parameters.seed &* 3 &+ 2, timeConstantSeconds: tau)
        weightShift = SwayGenerator(rmsMetres: 0.01, rateHz: rateHz, seed: parameters.seed &* 3 &+ 3)
    }

    /// Length of the trial, seconds.
    public var durationSeconds: Double {
        switch scenario {
        case .squat, .stepUp: return Double(parameters.repetitions) * parameters.repetitionSeconds
        case .isometricHold: return 2 + 2 * parameters.holdRampSeconds + parameters.holdPlateauSeconds + 2
        case .quietStance, .singleLegStance: return parameters.staticSeconds
        }
    }

    /// Samples in the trial.
    public var sampleCount: Int { Int((durationSeconds * rateHz).rounded()) }

    /// The next instant of the trial (it goes on past the end, repeating the final state's pattern).
    public mutating func next() -> SimulatedInstant {
        let t = Double(index) / rateHz
        index += 1
        let weight = parameters.bodyWeightNewtons
        var left = weight * parameters.leftShare
        var right = weight - left
        var repetition: Int?
        var leftTilt = 0.0  // sagittal tilt of each shank from the task, radians
        var rightTilt = 0.0
        var trunkPitch = 0.0
        var verticalAcceleration = 0.0
        let sway = (left: leftSway.next(), right: rightSway.next())
        // Slow weight shifts of ~1 % of body weight between the feet in static tasks.
        let shift = weightShift.next().x * weight

        switch scenario {
        case .quietStance:
            left += shift
            right -= shift
        case .squat:
            let rep = min(Int(t / parameters.repetitionSeconds), parameters.repetitions - 1)
            repetition = rep
            let phase = 2 * Double.pi * (t / parameters.repetitionSeconds - Double(rep))
            let omega = 2 * Double.pi / parameters.repetitionSeconds
            // COM height z = −d(1 − cos φ)/2, so z̈ = −(d/2)·ω²·cos φ.
            verticalAcceleration = -parameters.squatDepthMetres / 2 * omega * omega * cos(phase)
            let total = parameters.bodyMassKilograms * (9.80665 + verticalAcceleration)
            let share = min(max(parameters.leftShare + Double(rep) * parameters.leftShareChangePerRepetition, 0), 1)
            left = total * share
            right = total - left
            rightTilt = Self.shankTiltAtFullDepth * parameters.squatDepthMetres / 0.35 * (1 - cos(phase)) / 2
            leftTilt = rightTilt * parameters.leftRangeOfMotionRatio
            trunkPitch = 0.6 * rightTilt
        case .stepUp:
            let rep = min(Int(t / parameters.repetitionSeconds), parameters.repetitions - 1)
            repetition = rep
            let within = t - Double(rep) * parameters.repetitionSeconds
            let onLeading = stepUpLoad(within)
            let leading = weight * (0.5 + 0.5 * onLeading)
            (left, right) = parameters.leg == .left ? (leading, weight - leading) : (weight - leading, leading)
            // The leading shank tilts forward onto the step; the trailing one follows a little.
            (leftTilt, rightTilt) = parameters.leg == .left ? (0.35 * onLeading, 0.07 * onLeading) : (0.07 * onLeading, 0.35 * onLeading)
            trunkPitch = 0.15 * onLeading
        case .isometricHold:
            let ramp = holdLevel(t)
            left = weight * 0.5 * (1 - ramp) + parameters.holdLeftNewtons * ramp
            right = weight * 0.5 * (1 - ramp) + parameters.holdRightNewtons * ramp
        case .singleLegStance:
            (left, right) = parameters.leg == .left ? (weight, 0) : (0, weight)
        }

        // Quiet-stance sway of the whole body, seen by the shanks and trunk as an inverted pendulum.
        let leftCop = Self.leftFootOffset + sway.left
        let rightCop = Self.rightFootOffset + sway.right
        let bodySway = (sway.left + sway.right) / 2 / Self.pendulumLengthMetres
        let leftAngles = SIMD2(bodySway.x, bodySway.y + leftTilt)
        let rightAngles = SIMD2(bodySway.x, bodySway.y + rightTilt)
        let trunkAngles = SIMD2(bodySway.x * 1.5, bodySway.y * 1.5 + trunkPitch)
        let linear = SIMD3(0, 0, verticalAcceleration)
        let instant = SimulatedInstant(
            timeSeconds: t,
            leftForceNewtons: max(left, 0), rightForceNewtons: max(right, 0),
            leftCopMetres: leftCop, rightCopMetres: rightCop,
            leftShank: motion(leftAngles, previous: previousAngles.left, linear: linear),
            rightShank: motion(rightAngles, previous: previousAngles.right, linear: linear),
            trunk: motion(trunkAngles, previous: previousAngles.trunk, linear: linear),
            repetition: repetition)
        previousAngles = (leftAngles, rightAngles, trunkAngles)
        return instant
    }

    /// A segment at `angles` (roll, pitch) whose rates are the differences from the previous
    /// sample, so they integrate exactly to the angles.
    private func motion(_ angles: SIMD2<Double>, previous: SIMD2<Double>, linear: SIMD3<Double>) -> SegmentMotion {
        let rates = index == 1 ? SIMD2<Double>() : (angles - previous) * rateHz
        return .tilted(roll: angles.x, pitch: angles.y, rollRate: rates.x, pitchRate: rates.y, linear: linear)
    }

    /// Share of the weight that has moved onto the leading leg during one step-up, 0…1.
    private func stepUpLoad(_ within: Double) -> Double {
        let period = parameters.repetitionSeconds
        let transfer = min(parameters.transferSeconds, period / 4)
        let up = 0.2 * period
        let down = 0.7 * period
        func smooth(_ x: Double) -> Double { x <= 0 ? 0 : (x >= 1 ? 1 : (1 - cos(Double.pi * x)) / 2) }
        return smooth((within - up) / transfer) * (1 - smooth((within - down) / transfer))
    }

    /// Level of an isometric hold, 0 (quiet stance) … 1 (plateau).
    private func holdLevel(_ t: Double) -> Double {
        let ramp = parameters.holdRampSeconds
        let start = 2.0
        let release = start + ramp + parameters.holdPlateauSeconds
        if t < start { return 0 }
        if t < start + ramp { return (1 - cos(Double.pi * (t - start) / ramp)) / 2 }
        if t < release { return 1 }
        if t < release + ramp { return (1 + cos(Double.pi * (t - release) / ramp)) / 2 }
        return 0
    }
}
