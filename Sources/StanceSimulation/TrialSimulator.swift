#if canImport(Glibc)
import Glibc
#endif
import StanceDSP

/// Produces the ground truth of a simulated trial, one instant per sample, deterministically for
/// a seed. Forces follow the mechanics of each exercise (vertical force = m·(g + z̈) of the centre
/// of mass), COPs sway, and the IMU segments (shanks, thighs, trunk) move through the same
/// exercise with exact kinematics (`ImuTrajectories`, `BodyModel`).
public struct TrialSimulator: Sendable {
    public let scenario: Scenario
    public let parameters: ScenarioParameters
    /// Samples per second.
    public let rateHz: Double
    private var index = 0
    private var leftSway: SwayGenerator
    private var rightSway: SwayGenerator
    private var weightShift: SwayGenerator
    private let trajectories: ImuTrajectories

    /// Where each foot stands on its plate, metres (a little forward of centre, feet apart).
    static let leftFootOffset = SIMD2<Double>(0.010, 0.020)
    static let rightFootOffset = SIMD2<Double>(-0.008, 0.015)

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
        trajectories = ImuTrajectories(scenario: scenario, parameters: parameters)
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
            let verticalAcceleration = -parameters.squatDepthMetres / 2 * omega * omega * cos(phase)
            let total = parameters.bodyMassKilograms * (9.80665 + verticalAcceleration)
            let share = min(max(parameters.leftShare + Double(rep) * parameters.leftShareChangePerRepetition, 0), 1)
            left = total * share
            right = total - left
        case .stepUp:
            let rep = min(Int(t / parameters.repetitionSeconds), parameters.repetitions - 1)
            repetition = rep
            let within = t - Double(rep) * parameters.repetitionSeconds
            let onLeading = parameters.stepUpLoad(within: Jet(within)).value
            let leading = weight * (0.5 + 0.5 * onLeading)
            (left, right) = parameters.leg == .left ? (leading, weight - leading) : (weight - leading, leading)
        case .isometricHold:
            let ramp = parameters.holdLevel(at: Jet(t)).value
            left = weight * 0.5 * (1 - ramp) + parameters.holdLeftNewtons * ramp
            right = weight * 0.5 * (1 - ramp) + parameters.holdRightNewtons * ramp
        case .singleLegStance:
            (left, right) = parameters.leg == .left ? (weight, 0) : (0, weight)
        }

        let segments = trajectories.motions(atSeconds: t)
        return SimulatedInstant(
            timeSeconds: t,
            leftForceNewtons: max(left, 0), rightForceNewtons: max(right, 0),
            leftCopMetres: Self.leftFootOffset + sway.left, rightCopMetres: Self.rightFootOffset + sway.right,
            leftShank: segments.leftShank, rightShank: segments.rightShank,
            leftThigh: segments.leftThigh, rightThigh: segments.rightThigh, trunk: segments.trunk,
            repetition: repetition)
    }
}
