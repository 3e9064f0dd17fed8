/// A streaming cascade of second-order sections (transposed direct form II, as
/// `scipy.signal.sosfilt`) that filters every lane of a SIMD vector at once: one lane per channel,
/// e.g. `SOSCascade<SIMD8<Double>>` for the eight load cells of a dual plate.
///
/// Coefficients and state live inline in the struct (no heap, no reference counting), so
/// `process(_:)` allocates nothing, takes no lock and touches no shared memory. Output units are
/// the input units.
public struct SOSCascade<Lanes: SIMD> where Lanes.Scalar == Double {
    /// The most sections a cascade holds (an order-16 filter; Butterworth designs use at most 4).
    public static var maximumSections: Int { 8 }

    @usableFromInline let sectionCount: Int
    @usableFromInline var coefficients: InlineArray<8, Biquad>
    /// Transposed direct-form II state: `z0, z1` per section, one lane per channel.
    @usableFromInline var state: InlineArray<16, Lanes>

    /// A cascade at rest (zero state).
    /// - Precondition: at most ``maximumSections`` sections.
    public init(sections: [Biquad]) {
        precondition(sections.count <= Self.maximumSections,
                     "a cascade holds at most \(Self.maximumSections) sections, got \(sections.count)")
        sectionCount = sections.count
        coefficients = InlineArray(repeating: Biquad(b0: 1, b1: 0, b2: 0, a1: 0, a2: 0))
        for (index, section) in sections.enumerated() { coefficients[index] = section }
        state = InlineArray(repeating: Lanes())
    }

    /// The sections, first to last.
    public var sections: [Biquad] { (0..<sectionCount).map { coefficients[$0] } }

    /// Number of channels filtered in parallel.
    public static var channelCount: Int { Lanes.scalarCount }

    /// Clears the state, as if the input had been zero forever.
    public mutating func reset() {
        state = InlineArray(repeating: Lanes())
    }

    /// Sets the state to the steady state for a constant input `level` on each channel (SciPy's
    /// `sosfilt_zi(sos) * level`), so a signal that starts at `level` produces no start-up
    /// transient. Allocation-free.
    public mutating func settle(at level: Lanes) {
        var scale = 1.0
        for index in 0..<sectionCount {
            let (z0, z1) = coefficients[index].steadyStateForUnitStep
            state[2 * index] = level * (scale * z0)
            state[2 * index + 1] = level * (scale * z1)
            scale *= coefficients[index].gainAtDC
        }
    }

    /// Filters one frame (one sample of every channel) and returns the filtered frame.
    @inlinable
    public mutating func process(_ input: Lanes) -> Lanes {
        var x = input
        for s in 0..<sectionCount {
            let c = coefficients[s]
            // SciPy's operations, with (b1·x + z1) summed first: it does not depend on y, so the
            // loop-carried chain from one sample to the next is one operation shorter.
            let y = Lanes(repeating: c.b0) * x + state[2 * s]
            state[2 * s] = (Lanes(repeating: c.b1) * x + state[2 * s + 1]) - Lanes(repeating: c.a1) * y
            state[2 * s + 1] = Lanes(repeating: c.b2) * x - Lanes(repeating: c.a2) * y
            x = y
        }
        return x
    }

    /// Filters a run of frames in place (the same as `process(_:)` on each frame in turn).
    @inlinable
    public mutating func process(_ frames: UnsafeMutableBufferPointer<Lanes>) {
        for index in frames.indices {
            frames[index] = process(frames[index])
        }
    }
}

extension SOSCascade: Sendable where Lanes: Sendable {}
