#if canImport(Glibc)
import Glibc
#endif

/// The orientation trajectories of the legs and trunk for each scenario, as exact functions of
/// time (see docs/imu.md, "Simulation"). Angles follow `StanceDSP.SegmentAngles`: sagittal
/// positive when the segment's top tilts forward, frontal positive when it tilts to the right.
/// So knee flexion = shank sagittal − thigh sagittal, and a thigh whose hip flexes has a
/// negative sagittal angle.
///
/// - Sway: an ankle-strategy inverted pendulum (all segments tilt together by a smooth random
///   angle, `SmoothSway`, whose RMS is the plates' sway RMS over the 0.95 m pendulum), plus a
///   hip-strategy sway of the trunk at half that RMS and a heading wander (0.2° RMS at 4 mm);
///   ×2.5 on one leg.
/// - Squats: shank and thigh flex as s = (1 − cos 2πt/T)/2; at the bottom the right shank tilts
///   0.61 rad × depth/0.35 m and the right thigh so far back that the right hip drops by the set
///   depth; the left leg's sagittal angles (sway included) are `leftRangeOfMotionRatio` × the
///   right's at every instant, so the ROM ratio is exact. Knees move 2° medially (valgus), tibiae
///   rotate 3° internally, thighs 1°; the trunk leans forward 30° × depth/0.35 m.
/// - Step-ups: the leading foot stays on a 0.20 m step; as the weight moves onto it (the plates'
///   load curve s) its knee extends from 80° to 5° of flexion; the trailing foot leaves the
///   floor and its knee flexes 45°, hip 20°. The ROM ratio scales the left leg's sagittal angles.
/// - Single-leg stance: the lifted leg hangs from the pelvis, hip flexed 20°, knee 90°.
/// - Frontal lean of the trunk towards the loaded side: −5° · tanh((left share − 0.5)/0.16)
///   (2.3° to the left at a 58 % left share, 5° towards the stance leg on one leg). A model for
///   testing, not physiology.
struct ImuTrajectories: Sendable {
    let scenario: Scenario
    let parameters: ScenarioParameters
    private let bodySway: (ap: SmoothSway, ml: SmoothSway)
    private let trunkSway: (ap: SmoothSway, ml: SmoothSway)
    private let headingSway: SmoothSway

    /// Right shank tilt at the bottom of a 0.35 m squat, radians (~35°).
    static let shankTiltAtFullDepth = 0.61
    static let trunkLeanAtFullDepth = 0.52
    static let pendulumLengthMetres = 0.95
    static let stepHeightMetres = 0.20

    init(scenario: Scenario, parameters: ScenarioParameters) {
        self.scenario = scenario
        self.parameters = parameters
        let scale = scenario == .singleLegStance ? 2.5 : 1.0
        // Per-axis RMS of the COP sway, as an angle of the inverted pendulum.
        let axis = parameters.swayRmsMillimetres / 1000 / 2.0.squareRoot() / Self.pendulumLengthMetres * scale
        let seed = parameters.seed &* 7919 &+ 500
        bodySway = (SmoothSway(rmsRadians: axis, seed: seed), SmoothSway(rmsRadians: axis, seed: seed &+ 1))
        trunkSway = (SmoothSway(rmsRadians: axis / 2, seed: seed &+ 2), SmoothSway(rmsRadians: axis / 2, seed: seed &+ 3))
        // 0.2° RMS of heading wander at the default 4 mm of COP sway: none when sway is off.
        headingSway = SmoothSway(rmsRadians: 0.2 * .pi / 180 * parameters.swayRmsMillimetres / 4 * scale, seed: seed &+ 4)
    }

    private static func degrees(_ value: Double) -> Double { value * .pi / 180 }

    /// Trunk frontal lean for a left share, radians (negative: to the left).
    static func lean(leftShare: Jet) -> Jet { -degrees(5) * Jet.tanh(6.25 * (leftShare + -0.5)) }

    /// The right thigh's backward tilt at the bottom of a squat, radians: the hip drops by the depth.
    private var thighTiltAtFullDepth: Double {
        let shank = Self.shankTiltAtFullDepth * parameters.squatDepthMetres / 0.35
        let thighDrop = parameters.squatDepthMetres - BodyModel.shankMetres * (1 - cos(shank))
        return acos(min(max(1 - thighDrop / BodyModel.thighMetres, -1), 1))
    }

    func pose(atSeconds seconds: Double) -> BodyModel.Pose {
        let t = Jet.time(seconds)
        let sway = (ap: bodySway.ap.angle(at: t), ml: bodySway.ml.angle(at: t))
        let heading = headingSway.angle(at: t)
        func swaying(sagittal: Jet = Jet(0), frontal: Jet = Jet(0), heading extra: Jet = Jet(0), headingShare: Double = 0.5) -> SegmentOrientation {
            SegmentOrientation(sagittal: sagittal + sway.ap, frontal: frontal + sway.ml, heading: extra + headingShare * heading)
        }
        let trunkExtra = (ap: trunkSway.ap.angle(at: t), ml: trunkSway.ml.angle(at: t))
        func trunk(sagittal: Jet, leftShare: Jet) -> SegmentOrientation {
            SegmentOrientation(sagittal: sagittal + sway.ap + trunkExtra.ap,
                               frontal: Self.lean(leftShare: leftShare) + sway.ml + trunkExtra.ml, heading: heading)
        }
        func scaledLeft(_ leg: BodyModel.LegPose) -> BodyModel.LegPose {
            var scaled = leg
            scaled.shank.sagittal = parameters.leftRangeOfMotionRatio * leg.shank.sagittal
            scaled.thigh.sagittal = parameters.leftRangeOfMotionRatio * leg.thigh.sagittal
            return scaled
        }
        let standing = (left: JetVector(BodyModel.ankle(.left)), right: JetVector(BodyModel.ankle(.right)))
        let period = parameters.repetitionSeconds

        switch scenario {
        case .quietStance, .isometricHold:
            var share = Jet(parameters.leftShare)
            if scenario == .isometricHold {
                // The plates' ramp between quiet stance and the plateau's split.
                let level = parameters.holdLevel(at: t)
                let plateau = parameters.holdLeftNewtons / max(parameters.holdLeftNewtons + parameters.holdRightNewtons, 1e-9)
                share = Jet(0.5) + (plateau - 0.5) * level
            }
            let leg = BodyModel.LegPose(shank: swaying(), thigh: swaying(), ankle: nil)
            var left = leg, right = leg
            (left.ankle, right.ankle) = (standing.left, standing.right)
            return BodyModel.Pose(left: left, right: right, trunk: trunk(sagittal: Jet(0), leftShare: share))

        case .squat:
            let s = 0.5 * (Jet(1) - Jet.cos((2 * Double.pi / period) * t))
            let depth = parameters.squatDepthMetres / 0.35
            func leg(_ side: Double) -> BodyModel.LegPose {
                BodyModel.LegPose(
                    shank: swaying(sagittal: Self.shankTiltAtFullDepth * depth * s, frontal: side * Self.degrees(2) * s,
                                   heading: -side * Self.degrees(3) * s),
                    thigh: swaying(sagittal: -thighTiltAtFullDepth * s, heading: -side * Self.degrees(1) * s),
                    ankle: nil)
            }
            var left = scaledLeft(leg(1)), right = leg(-1)
            (left.ankle, right.ankle) = (standing.left, standing.right)
            // The split changes by leftShareChangePerRepetition per rep, linearly in time (the
            // plates step it at each rep's start; a lean cannot jump).
            var share = Jet(parameters.leftShare + parameters.leftShareChangePerRepetition * (seconds / period - 0.5),
                            rate: parameters.leftShareChangePerRepetition / period)
            if share.value < 0 || share.value > 1 { share = Jet(min(max(share.value, 0), 1)) }
            return BodyModel.Pose(left: left, right: right,
                                  trunk: trunk(sagittal: Self.trunkLeanAtFullDepth * depth * s, leftShare: share))

        case .stepUp:
            let rep = Double(min(Int(seconds / period), parameters.repetitions - 1))
            let s = parameters.stepUpLoad(within: t - Jet(rep * period))
            let leadingSide = parameters.leg == .left ? 1.0 : -1.0
            let leading = BodyModel.LegPose(
                shank: swaying(sagittal: Jet(Self.degrees(25)) + -Self.degrees(20) * s),
                thigh: swaying(sagittal: Jet(-Self.degrees(55)) + Self.degrees(55) * s),
                ankle: JetVector(BodyModel.ankle(parameters.leg) + SIMD3(0.30, 0, Self.stepHeightMetres)))
            let trailingAnkle = BodyModel.ankle(parameters.leg == .left ? .right : .left)
            let trailing = BodyModel.LegPose(
                shank: swaying(sagittal: Self.degrees(25) * s), thigh: swaying(sagittal: -Self.degrees(20) * s),
                ankle: JetVector(trailingAnkle) + s * JetVector(SIMD3(0.15, 0, 0.10)))
            let (left, right) = parameters.leg == .left ? (scaledLeft(leading), trailing) : (scaledLeft(trailing), leading)
            return BodyModel.Pose(left: left, right: right,
                                  trunk: trunk(sagittal: 0.15 * s, leftShare: Jet(0.5) + 0.5 * leadingSide * s))

        case .singleLegStance:
            let stance = parameters.leg
            let supporting = BodyModel.LegPose(shank: swaying(), thigh: swaying(), ankle: JetVector(BodyModel.ankle(stance)))
            let lifted = BodyModel.LegPose(shank: swaying(sagittal: Jet(Self.degrees(70))),
                                           thigh: swaying(sagittal: Jet(-Self.degrees(20))), ankle: nil)
            let (left, right) = stance == .left ? (supporting, lifted) : (lifted, supporting)
            return BodyModel.Pose(left: left, right: right, trunk: trunk(sagittal: Jet(0), leftShare: Jet(stance == .left ? 1 : 0)))
        }
    }

    /// The motions of the five IMU segments at `seconds`.
    func motions(atSeconds seconds: Double) -> BodyModel.Motions { BodyModel.motions(pose(atSeconds: seconds)) }
}
