import StanceDSP

#if canImport(Glibc)
import Glibc
#endif

/// A deterministic stream of raw dual-plate cell values (newtons): a person of 75 kg swaying
/// slowly with 55 % on the left, plus cell noise. Generated before timing starts.
struct DualPlateWorkload {
    let frames: [SIMD8<Double>]

    init(samples: Int, rateHz: Double) {
        var generator = SplitMix64(seed: 0x5354_414E_4345)
        let geometry = PlateGeometry.wiiBalanceBoard
        frames = (0..<samples).map { index in
            let t = Double(index) / rateHz
            let swayX: Double = 0.004 * sin(2 * Double.pi * 0.3 * t)
            let swayY: Double = 0.006 * sin(2 * Double.pi * 0.2 * t + 1)
            let sway = SIMD2(swayX, swayY)
            let left = Self.cells(forceNewtons: 404.5, copMetres: sway, geometry: geometry)
            let right = Self.cells(forceNewtons: 331.0, copMetres: -sway, geometry: geometry)
            var frame = SIMD8(lowHalf: left, highHalf: right)
            for lane in 0..<8 { frame[lane] += 0.5 * generator.nextSymmetric() }
            return frame
        }
    }

    /// The four cell forces that put `forceNewtons` at `copMetres` (bilinear split).
    static func cells(forceNewtons: Double, copMetres: SIMD2<Double>, geometry: PlateGeometry) -> SIMD4<Double> {
        let u = copMetres.x / geometry.cellXMetres[1]
        let v = copMetres.y / geometry.cellYMetres[0]
        return forceNewtons / 4 * SIMD4((1 - u) * (1 + v), (1 + u) * (1 + v), (1 - u) * (1 - v), (1 + u) * (1 - v))
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator for benchmark inputs.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [−1, 1).
    mutating func nextSymmetric() -> Double {
        Double(next() >> 11) / Double(1 << 52) - 1
    }
}
