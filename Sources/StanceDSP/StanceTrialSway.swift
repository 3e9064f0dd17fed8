/// The sway of one segment (the trunk, or the stance leg's shank) while the subject stands on one
/// leg, over that leg's latest trial: the window is emptied when a stance begins again after a
/// pause of more than `SingleLegSway.pauseSeconds`, so a path never joins two trials. Samples taken
/// while the subject does not stand on that leg are left out, and so are the first
/// `SingleLegSway.settleSeconds` of each stance: the foot's lift itself, and the moments a squat
/// or a step passes one leg's shank past the threshold before the other's. `update` is O(1) and
/// allocates nothing.
public struct StanceTrialSway: Sendable {
    private var sway: TrunkSway
    private let rateHz: Double
    private let pauseSamples: Int
    private var samplesSinceStance = Int.max
    private let settleSamples: Int
    /// Samples standing without a break.
    private var standingSamples = 0

    /// - Parameters:
    ///   - windowSeconds: the window, seconds (> 0).
    ///   - rateHz: the IMU's rate, hertz (> 0).
    public init(windowSeconds: Double, rateHz: Double) {
        sway = TrunkSway(windowSeconds: windowSeconds, rateHz: rateHz)
        self.rateHz = rateHz
        pauseSamples = Int(SingleLegSway.pauseSeconds * rateHz)
        settleSamples = Int((SingleLegSway.settleSeconds * rateHz).rounded())
    }

    /// Takes one sample of the segment: into the window when `standing` (the subject stands on
    /// this side's leg), else only counted towards the pause.
    public mutating func update(standing: Bool, orientation: Quaternion, specificForceMetresPerSecondSquared force: SIMD3<Double>) {
        guard standing else {
            if samplesSinceStance < Int.max { samplesSinceStance += 1 }
            standingSamples = 0
            return
        }
        standingSamples += 1
        guard standingSamples > settleSamples else {
            if samplesSinceStance < Int.max { samplesSinceStance += 1 }
            return
        }
        if samplesSinceStance > pauseSamples { sway.removeAll() }
        samplesSinceStance = 0
        sway.update(orientation: orientation, specificForceMetresPerSecondSquared: force)
    }

    /// Seconds of stance in the window.
    public var seconds: Double { Double(sway.sampleCount) / rateHz }

    /// The segment's sway over the trial (nil before 3 samples): its tilt path in degrees, its
    /// acceleration in m/s².
    public var report: TrunkSwayReport? { sway.report }
}
