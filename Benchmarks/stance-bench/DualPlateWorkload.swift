import StanceDSP
import StanceSimulation

#if canImport(Glibc)
import Glibc
#endif

/// A deterministic stream of raw dual-plate cell values (newtons): a person of 75 kg swaying
/// slowly with 55 % on the left, plus cell noise. Generated before timing starts.
struct DualPlateWorkload {
    let frames: [SIMD8<Double>]

    init(samples: Int, rateHz: Double) {
        var generator = SplitMix64(seed: 0x5354_414E_4345)
        let plates = DualPlateSignal(noise: .none)
        frames = (0..<samples).map { index in
            let t = Double(index) / rateHz
            let swayX: Double = 0.004 * sin(2 * Double.pi * 0.3 * t)
            let swayY: Double = 0.006 * sin(2 * Double.pi * 0.2 * t + 1)
            let sway = SIMD2(swayX, swayY)
            let left = plates.cells(forceNewtons: 404.5, copMetres: sway)
            let right = plates.cells(forceNewtons: 331.0, copMetres: -sway)
            var frame = SIMD8(lowHalf: left, highHalf: right)
            for lane in 0..<8 { frame[lane] += 0.5 * (Double(generator.next() >> 11) / Double(1 << 52) - 1) }
            return frame
        }
    }
}
