/// The legs and trunk as rigid segments in a kinematic chain, and where the IMUs sit on them.
/// Lengths for a 1.75 m adult from Winter's segment fractions of height (Biomechanics and Motor
/// Control of Human Movement, 4th ed., table 4.1: shank 0.246 H, thigh 0.245 H, ankle height
/// 0.039 H).
///
/// Each leg hangs from its root: a grounded leg from its ankle (knee = ankle + R_shank·(0, 0,
/// shank), hip = knee + R_thigh·(0, 0, thigh)), a lifted leg from its hip (the pelvis). The two
/// legs are not a closed chain: with a set left/right asymmetry their hips would not meet, so
/// the trunk rides on the midpoint of the two grounded legs' hips (or on the one grounded leg's
/// hip, offset by half the hip width). Each sensor's acceleration is the exact second
/// derivative of its position on its segment.
struct BodyModel {
    static let shankMetres = 0.43
    static let thighMetres = 0.43
    static let ankleHeightMetres = 0.07
    /// Half the distance between the hip joint centres, and between the ankles, metres.
    static let hipHalfWidthMetres = 0.09
    /// Sensor positions in their segment's frame, metres: shank IMU on the front of the tibia a
    /// little above mid-shank (from the ankle), thigh IMU on the front of the thigh (from the
    /// knee), trunk IMU on the back at L5 (from the midpoint of the hip joints).
    static let shankSensorMetres = SIMD3<Double>(0.04, 0, 0.25)
    static let thighSensorMetres = SIMD3<Double>(0.07, 0, 0.22)
    static let trunkSensorMetres = SIMD3<Double>(-0.10, 0, 0.08)

    /// Where a standing subject's ankle is, earth frame, metres (left: +y).
    static func ankle(_ leg: Leg) -> SIMD3<Double> {
        SIMD3(0, leg == .left ? hipHalfWidthMetres : -hipHalfWidthMetres, ankleHeightMetres)
    }

    /// One leg's segment orientations and, for a grounded leg, its ankle's path (nil: the leg
    /// hangs from the hip).
    struct LegPose {
        var shank: SegmentOrientation
        var thigh: SegmentOrientation
        var ankle: JetVector?
    }

    struct Pose {
        var left: LegPose
        var right: LegPose
        var trunk: SegmentOrientation
    }

    struct Motions {
        var leftShank, rightShank, leftThigh, rightThigh, trunk: SegmentMotion
    }

    static func motions(_ pose: Pose) -> Motions {
        let up = (shank: JetVector(SIMD3(0, 0, shankMetres)), thigh: JetVector(SIMD3(0, 0, thighMetres)))
        func pelvisOffset(_ leg: Leg) -> JetVector {
            pose.trunk.rotate(JetVector(SIMD3(0, leg == .left ? hipHalfWidthMetres : -hipHalfWidthMetres, 0)))
        }
        func hip(_ leg: LegPose, ankle: JetVector) -> JetVector {
            ankle + leg.shank.rotate(up.shank) + leg.thigh.rotate(up.thigh)
        }
        let hipCentre: JetVector
        switch (pose.left.ankle, pose.right.ankle) {
        case let (left?, right?): hipCentre = 0.5 * (hip(pose.left, ankle: left) + hip(pose.right, ankle: right))
        case let (left?, nil): hipCentre = hip(pose.left, ankle: left) - pelvisOffset(.left)
        case let (nil, right?): hipCentre = hip(pose.right, ankle: right) - pelvisOffset(.right)
        case (nil, nil): preconditionFailure("a pose needs a grounded leg")
        }
        func leg(_ pose: LegPose, _ side: Leg) -> (shank: SegmentMotion, thigh: SegmentMotion) {
            let ankle: JetVector
            let knee: JetVector
            if let grounded = pose.ankle {
                ankle = grounded
                knee = ankle + pose.shank.rotate(up.shank)
            } else {
                knee = hipCentre + pelvisOffset(side) - pose.thigh.rotate(up.thigh)
                ankle = knee - pose.shank.rotate(up.shank)
            }
            return (SegmentMotion(orientation: pose.shank, position: ankle + pose.shank.rotate(JetVector(shankSensorMetres))),
                    SegmentMotion(orientation: pose.thigh, position: knee + pose.thigh.rotate(JetVector(thighSensorMetres))))
        }
        let left = leg(pose.left, .left)
        let right = leg(pose.right, .right)
        return Motions(leftShank: left.shank, rightShank: right.shank, leftThigh: left.thigh, rightThigh: right.thigh,
                       trunk: SegmentMotion(orientation: pose.trunk, position: hipCentre + pose.trunk.rotate(JetVector(trunkSensorMetres))))
    }
}
