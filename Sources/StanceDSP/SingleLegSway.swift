/// Single-leg stance on the left against the right, from a trunk IMU: the trunk's sway while the
/// subject stands on each leg, kept apart, and its left/right asymmetry (the IMUs' version of the
/// plates' per-foot sway asymmetry).
///
/// Which leg carries the subject comes from the leg IMUs (`stance(left:right:)`): a leg whose shank
/// or thigh tilts more than `liftedDegrees` from vertical in the sagittal plane is lifted; with
/// exactly one leg lifted, the subject stands on the other. Each side's window holds that side's
/// latest trial (``StanceTrialSway``). `update` is O(1) and allocates nothing.
public struct SingleLegSway: Sendable {
    public enum Stance: UInt8, Sendable {
        case left = 1, right = 2
    }

    /// Tilt beyond which a leg segment counts as lifted, degrees.
    public static let liftedDegrees = 25.0
    /// A stance interrupted for longer than this starts a new trial, seconds.
    public static let pauseSeconds = 1.0
    /// The first this-many seconds of each stance are left out, seconds.
    public static let settleSeconds = 0.5

    private var left: StanceTrialSway
    private var right: StanceTrialSway

    /// - Parameters:
    ///   - windowSeconds: each side's window, seconds (> 0).
    ///   - rateHz: the trunk IMU's rate, hertz (> 0).
    public init(windowSeconds: Double, rateHz: Double) {
        left = StanceTrialSway(windowSeconds: windowSeconds, rateHz: rateHz)
        right = StanceTrialSway(windowSeconds: windowSeconds, rateHz: rateHz)
    }

    /// The leg the subject stands on, from the sagittal angles (degrees) of each leg's shank and
    /// thigh (nil where that segment has no IMU); nil on both legs, in the air, or without an IMU
    /// on each leg.
    public static func stance(leftShank: Double?, leftThigh: Double?, rightShank: Double?, rightThigh: Double?) -> Stance? {
        func lifted(_ shank: Double?, _ thigh: Double?) -> Bool? {
            guard shank != nil || thigh != nil else { return nil }
            return abs(shank ?? 0) > liftedDegrees || abs(thigh ?? 0) > liftedDegrees
        }
        guard let left = lifted(leftShank, leftThigh), let right = lifted(rightShank, rightThigh) else { return nil }
        switch (left, right) {
        case (true, false): return .right
        case (false, true): return .left
        default: return nil
        }
    }

    /// Takes one trunk sample, into the window of the leg the subject stands on (none: neither).
    public mutating func update(stance: Stance?, orientation: Quaternion, specificForceMetresPerSecondSquared force: SIMD3<Double>) {
        left.update(standing: stance == .left, orientation: orientation, specificForceMetresPerSecondSquared: force)
        right.update(standing: stance == .right, orientation: orientation, specificForceMetresPerSecondSquared: force)
    }

    /// Each side's sway (nil until it has 3 samples) and, with both, their asymmetry.
    public var report: SingleLegSwayReport {
        SingleLegSwayReport(left: left.report, right: right.report, leftSeconds: left.seconds, rightSeconds: right.seconds)
    }
}

/// The trunk's sway on each leg, and how they compare (the larger sway is the less stable leg).
public struct SingleLegSwayReport: Sendable, Equatable {
    /// The trunk's sway while standing on the left leg (its latest trial), if any.
    public var left: TrunkSwayReport?
    public var right: TrunkSwayReport?
    /// Seconds in each side's window.
    public var leftSeconds: Double
    public var rightSeconds: Double
    /// Asymmetry of the tilt path length and of the 95 % tilt ellipse area (nil without both sides).
    public var pathAsymmetry: Asymmetry? {
        guard let left, let right else { return nil }
        return Asymmetry(left: left.tilt.pathLengthMetres, right: right.tilt.pathLengthMetres)
    }

    public var areaAsymmetry: Asymmetry? {
        guard let left, let right else { return nil }
        return Asymmetry(left: left.tilt.ellipse95AreaSquareMetres, right: right.tilt.ellipse95AreaSquareMetres)
    }

    public init(left: TrunkSwayReport?, right: TrunkSwayReport?, leftSeconds: Double, rightSeconds: Double) {
        self.left = left
        self.right = right
        self.leftSeconds = leftSeconds
        self.rightSeconds = rightSeconds
    }
}
