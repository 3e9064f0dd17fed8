#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal complex number for filter design (poles and zeros). Not used on the per-sample path.
@usableFromInline
struct Complex: Equatable, Sendable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    /// e^{iθ}
    static func unit(angle theta: Double) -> Complex {
        Complex(cos(theta), sin(theta))
    }

    var conjugate: Complex { Complex(re, -im) }
    var magnitude: Double { (re * re + im * im).squareRoot() }
    /// Exactly real, as `numpy.isreal` tests it (imaginary part == 0).
    var isReal: Bool { im == 0 }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }

    /// Smith's algorithm: avoids overflow and keeps precision when one part dominates.
    static func / (a: Complex, b: Complex) -> Complex {
        if abs(b.re) >= abs(b.im) {
            let ratio = b.im / b.re
            let denominator = b.re + b.im * ratio
            return Complex((a.re + a.im * ratio) / denominator, (a.im - a.re * ratio) / denominator)
        } else {
            let ratio = b.re / b.im
            let denominator = b.re * ratio + b.im
            return Complex((a.re * ratio + a.im) / denominator, (a.im * ratio - a.re) / denominator)
        }
    }
}

/// Coefficients of the monic polynomial with these roots, highest power first (as `numpy.poly`).
func polynomial(roots: [Complex]) -> [Complex] {
    var coefficients = [Complex(1)]
    for root in roots {
        var next = [Complex](repeating: Complex(0), count: coefficients.count + 1)
        for (index, c) in coefficients.enumerated() {
            next[index] = next[index] + c
            next[index + 1] = next[index + 1] - c * root
        }
        coefficients = next
    }
    return coefficients
}
