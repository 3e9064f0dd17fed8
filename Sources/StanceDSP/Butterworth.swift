#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The response type of a Butterworth filter.
public enum FilterType: String, Sendable, CaseIterable {
    case lowpass
    case highpass
}

/// Why a filter could not be designed.
public enum FilterDesignError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The order must be 1…8.
    case orderOutOfRange(order: Int)
    /// The cutoff must lie strictly between 0 Hz and the Nyquist frequency (rate / 2).
    case cutoffOutOfRange(cutoffHz: Double, nyquistHz: Double)
    /// The sampling rate must be finite and positive.
    case invalidRate(rateHz: Double)

    public var description: String {
        switch self {
        case .orderOutOfRange(let order):
            return "filter order \(order) is outside 1…\(Butterworth.maximumOrder)"
        case .cutoffOutOfRange(let cutoffHz, let nyquistHz):
            return "cutoff \(cutoffHz) Hz must be above 0 Hz and below the Nyquist frequency \(nyquistHz) Hz"
        case .invalidRate(let rateHz):
            return "sampling rate \(rateHz) Hz must be finite and positive"
        }
    }
}

/// Digital Butterworth filters designed the way `scipy.signal.butter(N, fc, btype, fs=fs,
/// output="sos")` designs them: analog prototype, pre-warped cutoff, bilinear transform, and
/// SciPy's "nearest" pole–zero pairing into second-order sections (same sections, same order).
public enum Butterworth {
    /// The highest order supported.
    public static let maximumOrder = 8

    /// Designs the filter as second-order sections, first section carrying the gain.
    /// - Parameters:
    ///   - order: 1…8.
    ///   - cutoffHz: −3 dB frequency in Hz, 0 < cutoffHz < rateHz / 2.
    ///   - rateHz: sampling rate in Hz.
    ///   - type: low-pass or high-pass.
    /// - Returns: ⌈order / 2⌉ sections.
    public static func sections(
        order: Int, cutoffHz: Double, rateHz: Double, type: FilterType
    ) throws(FilterDesignError) -> [Biquad] {
        guard rateHz.isFinite, rateHz > 0 else { throw .invalidRate(rateHz: rateHz) }
        guard (1...maximumOrder).contains(order) else { throw .orderOutOfRange(order: order) }
        let nyquistHz = rateHz / 2
        guard cutoffHz.isFinite, cutoffHz > 0, cutoffHz < nyquistHz else {
            throw .cutoffOutOfRange(cutoffHz: cutoffHz, nyquistHz: nyquistHz)
        }

        // Analog prototype: poles evenly spaced on the left half of the unit circle, no zeros.
        var poles: [Complex] = stride(from: -order + 1, to: order, by: 2).map { m in
            -Complex.unit(angle: Double.pi * Double(m) / Double(2 * order))
        }
        var zeros: [Complex] = []
        var gain = 1.0

        // Pre-warp the normalised cutoff for the bilinear transform at fs = 2.
        let normalisedCutoff = 2 * cutoffHz / rateHz
        let bilinearRate = 2.0
        let warped = 2 * bilinearRate * tan(Double.pi * normalisedCutoff / bilinearRate)

        switch type {
        case .lowpass:
            zeros = zeros.map { warped * $0 }
            poles = poles.map { warped * $0 }
            gain *= pow(warped, Double(poles.count - zeros.count))
        case .highpass:
            let degree = poles.count - zeros.count
            let numerator = zeros.reduce(Complex(1)) { $0 * -$1 }
            let denominator = poles.reduce(Complex(1)) { $0 * -$1 }
            gain *= (numerator / denominator).re
            zeros = zeros.map { Complex(warped) / $0 } + Array(repeating: Complex(0), count: degree)
            poles = poles.map { Complex(warped) / $0 }
        }

        // Bilinear transform at fs = 2 (so 2·fs = 4).
        let twiceRate = Complex(2 * bilinearRate)
        let degree = poles.count - zeros.count
        let numerator = zeros.reduce(Complex(1)) { $0 * (twiceRate - $1) }
        let denominator = poles.reduce(Complex(1)) { $0 * (twiceRate - $1) }
        gain *= (numerator / denominator).re
        zeros = zeros.map { (twiceRate + $0) / (twiceRate - $0) }
            + Array(repeating: Complex(-1), count: degree)
        poles = poles.map { (twiceRate + $0) / (twiceRate - $0) }

        return SectionPairing.nearest(zeros: zeros, poles: poles, gain: gain)
    }
}
