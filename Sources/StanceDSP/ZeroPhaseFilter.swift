/// Why a zero-phase filter could not run.
public enum ZeroPhaseFilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The signal must be longer than the padding SciPy uses (3 × the number of taps).
    case signalTooShort(samples: Int, padding: Int)

    public var description: String {
        switch self {
        case .signalTooShort(let samples, let padding):
            return "zero-phase filtering needs more than \(padding) samples, got \(samples)"
        }
    }
}

/// Forward–backward (zero-phase) filtering of a whole signal with second-order sections, equal to
/// `scipy.signal.sosfiltfilt(sos, x)` with its defaults: odd extension of `3 × ntaps` samples at
/// both ends, each pass started from `sosfilt_zi` scaled by the first sample it sees.
public struct ZeroPhaseFilter: Sendable {
    public let sections: [Biquad]

    public init(sections: [Biquad]) {
        self.sections = sections
    }

    /// Samples of odd extension at each end, as SciPy computes `padlen`.
    public var paddingLength: Int {
        let exactlyFirstOrderNumerators = sections.filter { $0.b2 == 0 }.count
        let exactlyFirstOrderDenominators = sections.filter { $0.a2 == 0 }.count
        let taps = 2 * sections.count + 1 - min(exactlyFirstOrderNumerators, exactlyFirstOrderDenominators)
        return 3 * taps
    }

    /// The filtered signal, same length and units as `signal`.
    public func apply(to signal: [Double]) throws(ZeroPhaseFilterError) -> [Double] {
        let edge = paddingLength
        guard signal.count > edge else { throw .signalTooShort(samples: signal.count, padding: edge) }
        var extended = [Double]()
        extended.reserveCapacity(signal.count + 2 * edge)
        let first = signal[0]
        let last = signal[signal.count - 1]
        for index in stride(from: edge, through: 1, by: -1) { extended.append(2 * first - signal[index]) }
        extended.append(contentsOf: signal)
        for index in stride(from: signal.count - 2, through: signal.count - 1 - edge, by: -1) {
            extended.append(2 * last - signal[index])
        }

        filterInPlace(&extended, reversed: false)
        filterInPlace(&extended, reversed: true)
        return Array(extended[edge..<(extended.count - edge)])
    }

    /// One pass in place, forward or backward, started in the steady state of its first sample.
    private func filterInPlace(_ samples: inout [Double], reversed: Bool) {
        var state = initialState(level: reversed ? samples[samples.count - 1] : samples[0])
        samples.withUnsafeMutableBufferPointer { buffer in
            let count = buffer.count
            for step in 0..<count {
                let index = reversed ? count - 1 - step : step
                var x = buffer[index]
                for (s, section) in sections.enumerated() {
                    let y = section.b0 * x + state[2 * s]
                    state[2 * s] = section.b1 * x - section.a1 * y + state[2 * s + 1]
                    state[2 * s + 1] = section.b2 * x - section.a2 * y
                    x = y
                }
                buffer[index] = x
            }
        }
    }

    /// `sosfilt_zi(sos) * level`, flattened as `z0, z1` per section.
    private func initialState(level: Double) -> [Double] {
        sections.steadyStateForUnitStep.flatMap { [$0.0 * level, $0.1 * level] }
    }
}
