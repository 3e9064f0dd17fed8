#if canImport(Glibc)
import Glibc
#endif

/// A smooth random angle for IMU sway: a sum of sinusoids between 0.05 and 0.8 Hz (log-spaced,
/// frequencies jittered ±15 %, random phases, amplitudes ∝ f^−½ so slow sway dominates as in
/// posturography), scaled so its long-run RMS is `rmsRadians`. Unlike `SwayGenerator`'s random
/// walk it has exact derivatives of every order, which the gyroscope and accelerometer need.
/// Deterministic for a seed.
struct SmoothSway: Sendable {
    private var frequenciesHz: [Double] = []
    private var amplitudesRadians: [Double] = []
    private var phasesRadians: [Double] = []

    static let componentCount = 6

    init(rmsRadians: Double, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        for k in 0..<Self.componentCount {
            let base = 0.05 * pow(16, Double(k) / Double(Self.componentCount - 1))
            frequenciesHz.append(base * (0.85 + 0.3 * uniform()))
            phasesRadians.append(2 * Double.pi * uniform())
        }
        let weights = frequenciesHz.map { 1 / $0.squareRoot() }
        // A sinusoid of amplitude A has mean square A²/2.
        let scale = rmsRadians / (weights.map { $0 * $0 / 2 }.reduce(0, +)).squareRoot()
        amplitudesRadians = weights.map { $0 * scale }
    }

    /// The angle at `time` (seconds, with derivatives), radians.
    func angle(at time: Jet) -> Jet {
        var sum = Jet(0)
        for k in frequenciesHz.indices {
            sum = sum + amplitudesRadians[k] * Jet.sin(2 * Double.pi * frequenciesHz[k] * time + phasesRadians[k])
        }
        return sum
    }
}
