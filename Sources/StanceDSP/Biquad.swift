/// One second-order section, normalised so that a0 = 1:
/// H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²). Coefficients are dimensionless.
public struct Biquad: Equatable, Sendable {
    public var b0: Double
    public var b1: Double
    public var b2: Double
    public var a1: Double
    public var a2: Double

    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0
        self.b1 = b1
        self.b2 = b2
        self.a1 = a1
        self.a2 = a2
    }

    /// The row as SciPy writes it: `[b0, b1, b2, a0, a1, a2]` with a0 = 1.
    public var sciPyRow: [Double] { [b0, b1, b2, 1, a1, a2] }

    /// Gain at 0 Hz, H(1), the steady-state output for a unit step input.
    public var gainAtDC: Double { (b0 + b1 + b2) / (1 + a1 + a2) }

    /// The transposed direct-form II state (z₀, z₁) that holds this section in steady state for a
    /// unit constant input (SciPy's `lfilter_zi` for one section).
    public var steadyStateForUnitStep: (Double, Double) {
        // Solve (I − Aᵀ) z = b[1:] − a[1:]·b0 for the 2×2 companion matrix in closed form.
        let rhs0 = b1 - a1 * b0
        let rhs1 = b2 - a2 * b0
        let z0 = (rhs0 + rhs1) / (1 + a1 + a2)
        return (z0, rhs1 - a2 * z0)
    }
}

extension Array where Element == Biquad {
    /// Per-section steady-state `(z0, z1)` of the whole cascade for a unit constant input
    /// (SciPy's `sosfilt_zi`): each section's state is scaled by the DC gain of those before it.
    public var steadyStateForUnitStep: [(Double, Double)] {
        var scale = 1.0
        return map { section in
            let (z0, z1) = section.steadyStateForUnitStep
            defer { scale *= section.gainAtDC }
            return (scale * z0, scale * z1)
        }
    }
}
