/// The exercises the simulator can perform.
public enum Scenario: String, Sendable, CaseIterable {
    case quietStance = "quiet-stance"
    case squat
    case stepUp = "step-up"
    case isometricHold = "isometric-hold"
    case singleLegStance = "single-leg-stance"

    /// One line for `stance simulate --list`.
    public var summary: String {
        switch self {
        case .quietStance: return "standing still on both plates: COP sway per foot, set weight split"
        case .squat: return "bodyweight squats: reps, tempo, depth, left share that may change rep by rep"
        case .stepUp: return "step-ups: the leading leg takes the body weight over a transfer time, the other lifts off"
        case .isometricHold: return "isometric hold: ramp from quiet stance to a set force per leg, plateau, release"
        case .singleLegStance: return "single-leg stance on one plate, the other foot lifted, larger sway"
        }
    }
}

/// Which leg.
public enum Leg: String, Sendable, CaseIterable {
    case left
    case right
}

/// Settings of a simulated trial. Units are in the names; defaults give a plausible adult.
public struct ScenarioParameters: Sendable, Equatable {
    public var bodyMassKilograms = 75.0
    /// Share of body weight on the left foot, 0…1 (quiet stance, squats, double-stance phases).
    public var leftShare = 0.5
    /// Change of the left share from one repetition to the next (squats), e.g. −0.01 per rep.
    public var leftShareChangePerRepetition = 0.0
    /// RMS distance of each foot's COP from its mean in quiet stance, millimetres.
    public var leftSwayRmsMillimetres = 4.0
    public var rightSwayRmsMillimetres = 4.0
    /// Time constant of the sway's random walk, seconds: shorter is faster, higher-frequency sway
    /// (mean frequency ≈ 1/(2π·τ) for the walk; default 1 s).
    public var swayTimeConstantSeconds = 1.0
    /// Both feet's sway RMS at once, millimetres.
    public var swayRmsMillimetres: Double {
        get { (leftSwayRmsMillimetres + rightSwayRmsMillimetres) / 2 }
        set {
            leftSwayRmsMillimetres = newValue
            rightSwayRmsMillimetres = newValue
        }
    }
    public var repetitions = 5
    /// Duration of one repetition (down and up), seconds.
    public var repetitionSeconds = 3.0
    /// How far the centre of mass drops at the bottom of a squat, metres.
    public var squatDepthMetres = 0.35
    /// Left shank's and thigh's sagittal range of motion as a fraction of the right's (IMU
    /// asymmetry in squats and step-ups; the left leg's sagittal angles are scaled by it), 0…1+.
    public var leftRangeOfMotionRatio = 1.0
    /// Leading leg of step-ups, stance leg of single-leg stance.
    public var leg = Leg.left
    /// Time for the weight to move onto the leading leg (step-ups), seconds.
    public var transferSeconds = 0.6
    /// Isometric hold: ramp time, plateau time (seconds) and plateau force per leg (newtons).
    public var holdRampSeconds = 1.5
    public var holdPlateauSeconds = 5.0
    public var holdLeftNewtons = 600.0
    public var holdRightNewtons = 500.0
    /// Length of static trials, seconds (squats and step-ups last repetitions × repetitionSeconds).
    public var staticSeconds = 30.0
    public var seed: UInt64 = 1

    public init() {}

    /// Body weight, newtons.
    public var bodyWeightNewtons: Double { bodyMassKilograms * 9.80665 }
}
