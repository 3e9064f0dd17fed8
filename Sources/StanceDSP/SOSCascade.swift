/// A streaming cascade of second-order sections (transposed direct form II, as
/// `scipy.signal.sosfilt`) that filters every lane of a SIMD vector at once: one lane per channel,
/// e.g. `SOSCascade<SIMD8<Double>>` for the eight load cells of a dual plate.
///
/// Output units are the input units. `process(_:)` allocates nothing and takes no lock.
public struct SOSCascade<Lanes: SIMD> where Lanes.Scalar == Double {
    /// The sections, first to last.
    public let sections: [Biquad]
    /// Flat coefficients `b0 b1 b2 a1 a2` per section, contiguous for the hot loop.
    @usableFromInline let coefficients: [Double]
    /// Transposed direct-form II state: `z0, z1` per section, one lane per channel.
    @usableFromInline var state: [Lanes]

    /// A cascade at rest (zero state).
    public init(sections: [Biquad]) {
        self.sections = sections
        coefficients = sections.flatMap { [$0.b0, $0.b1, $0.b2, $0.a1, $0.a2] }
        state = Array(repeating: Lanes(), count: 2 * sections.count)
    }

    /// Number of channels filtered in parallel.
    public static var channelCount: Int { Lanes.scalarCount }

    /// Clears the state, as if the input had been zero forever.
    public mutating func reset() {
        for index in state.indices { state[index] = Lanes() }
    }

    /// Sets the state to the steady state for a constant input `level` on each channel (SciPy's
    /// `sosfilt_zi(sos) * level`), so a signal that starts at `level` produces no start-up transient.
    public mutating func settle(at level: Lanes) {
        for (index, (z0, z1)) in sections.steadyStateForUnitStep.enumerated() {
            state[2 * index] = level * z0
            state[2 * index + 1] = level * z1
        }
    }

    /// Filters one frame (one sample of every channel) and returns the filtered frame.
    @inlinable
    public mutating func process(_ input: Lanes) -> Lanes {
        coefficients.withUnsafeBufferPointer { c in
            state.withUnsafeMutableBufferPointer { z in
                var x = input
                var s = 0
                var k = 0
                while k < c.count {
                    let y = c[k] * x + z[s]
                    z[s] = c[k + 1] * x - c[k + 3] * y + z[s + 1]
                    z[s + 1] = c[k + 2] * x - c[k + 4] * y
                    x = y
                    s += 2
                    k += 5
                }
                return x
            }
        }
    }

    /// Filters a run of frames in place.
    @inlinable
    public mutating func process(_ frames: UnsafeMutableBufferPointer<Lanes>) {
        for index in frames.indices {
            frames[index] = process(frames[index])
        }
    }
}

extension SOSCascade: Sendable where Lanes: Sendable {}
