/// Single-leg stance on the left against the right, from a trunk IMU: the trunk's sway while the
/// subject stands on each leg, kept apart, and its left/right asymmetry (the IMUs' version of the
/// plates' per-foot sway asymmetry).
///
/// Which leg carries the subject comes from the leg IMUs (`stance(left:right:)`): a leg whose shank
/// or thigh tilts more than `liftedDegrees` from vertical in the sagittal plane is lifted; with
/// exactly one leg lifted, the subject stands on the other. Each side's window holds that side's
/// latest trial: it is emptied when a stance on that side begins again after a pause of more than
/// `pauseSeconds`, so the path never joins two trials. `update` is O(1) and allocates nothing.
public struct SingleLegSway: Sendable {
    public enum Stance: UInt8, Sendable {
        case left = 1, right = 2
    }

    /// Tilt beyond which a leg segment counts as lifted, degrees.
    public static let liftedDegrees = 25.0
    /// A stance interrupted for longer than this starts a new trial, seconds.
    public static let pauseSeconds = 1.0

    private var left: TrunkSway
    private var right: TrunkSway
    private let rateHz: Double
    private var samplesSinceLeft = Int.max
    private var samplesSinceRight = Int.max

    /// - Parameters:
    ///   - windowSeconds: each side's window, seconds (> 0).
    ///   - rateHz: the trunk IMU's rate, hertz (> 0).
    public init(windowSeconds: Double, rateHz: Double) {
        left = TrunkSway(windowSeconds: windowSeconds, rateHz: rateHz)
        right = TrunkSway(windowSeconds: windowSeconds, rateHz: rateHz)
        self.rateHz = rateHz
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
        let pause = Int(Self.pauseSeconds * rateHz)
        switch stance {
        case .left?:
            if samplesSinceLeft > pause { left.removeAll() }
            samplesSinceLeft = 0
            left.update(orientation: orientation, specificForceMetresPerSecondSquared: force)
        case .right?:
            if samplesSinceRight > pause { right.removeAll() }
            samplesSinceRight = 0
            right.update(orientation: orientation, specificForceMetresPerSecondSquared: force)
        case nil:
            break
        }
        if stance != .left, samplesSinceLeft < Int.max { samplesSinceLeft += 1 }
        if stance != .right, samplesSinceRight < Int.max { samplesSinceRight += 1 }
    }

    /// Each side's sway (nil until it has 3 samples) and, with both, their asymmetry.
    public var report: SingleLegSwayReport {
        let l = left.report, r = right.report
        var report = SingleLegSwayReport(left: l, right: r, leftSeconds: Double(left.sampleCount) / rateHz,
                                         rightSeconds: Double(right.sampleCount) / rateHz)
        if let l, let r {
            report.pathAsymmetry = Asymmetry(left: l.tilt.pathLengthMetres, right: r.tilt.pathLengthMetres)
            report.areaAsymmetry = Asymmetry(left: l.tilt.ellipse95AreaSquareMetres, right: r.tilt.ellipse95AreaSquareMetres)
        }
        return report
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
    public var pathAsymmetry: Asymmetry?
    public var areaAsymmetry: Asymmetry?
}
