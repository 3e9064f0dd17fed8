#if canImport(Glibc)
import Glibc
#endif

/// Quiet-stance centre-of-pressure sway of one foot: a mean-reverting random walk (Ornstein–
/// Uhlenbeck, time constant τ, default 1 s) plus two slow oscillations, scaled so that the RMS distance
/// from the mean is `rmsMetres` in the long run. Deterministic for a seed.
public struct SwayGenerator: Sendable {
    public let rmsMetres: Double
    private let rateHz: Double
    private var random: SplitMix64
    private var walk = SIMD2<Double>()
    private let phases: SIMD4<Double>
    private var sampleIndex = 0
    private let timeConstantSeconds: Double

    /// Share of the variance in the random walk; the rest is in the oscillations.
    private static let walkShare = 0.7
    private static let oscillationHz = SIMD2<Double>(0.12, 0.31)

    /// - Parameters:
    ///   - rmsMetres: long-run RMS distance from the mean, metres.
    ///   - timeConstantSeconds: the random walk's time constant τ, seconds (> 0).
    public init(rmsMetres: Double, rateHz: Double, seed: UInt64, timeConstantSeconds: Double = 1) {
        self.rmsMetres = rmsMetres
        self.rateHz = rateHz
        self.timeConstantSeconds = max(timeConstantSeconds, 1e-3)
        var random = SplitMix64(seed: seed)
        phases = SIMD4((0..<4).map { _ in Double(random.next() >> 11) / Double(1 << 53) * 2 * Double.pi })
        self.random = random
    }

    /// The next sway offset (x, y), metres.
    public mutating func next() -> SIMD2<Double> {
        let t = Double(sampleIndex) / rateHz
        sampleIndex += 1
        // Per-axis RMS so that the 2-D RMS distance is rmsMetres.
        let axisRms = rmsMetres / 2.0.squareRoot()
        let walkSd = axisRms * Self.walkShare.squareRoot()
        let decay = exp(-1 / (rateHz * timeConstantSeconds))
        let innovation = walkSd * (1 - decay * decay).squareRoot()
        walk = walk * decay + SIMD2(random.nextGaussian(), random.nextGaussian()) * innovation
        // Each sinusoid of amplitude A has variance A²/2; two per axis share the rest equally.
        let amplitude = axisRms * (1 - Self.walkShare).squareRoot()
        let oscillation = SIMD2(
            sin(2 * Double.pi * Self.oscillationHz.x * t + phases[0]) + sin(2 * Double.pi * Self.oscillationHz.y * t + phases[1]),
            sin(2 * Double.pi * Self.oscillationHz.x * t + phases[2]) + sin(2 * Double.pi * Self.oscillationHz.y * t + phases[3])
        ) * amplitude
        return walk + oscillation
    }
}
