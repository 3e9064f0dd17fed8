/// Which side a left/right comparison favours.
public enum Side: String, Sendable, Codable, Equatable {
    case left
    case right
    /// The two values are equal, or both negligible.
    case none
}

/// Left/right asymmetry of one quantity (mean force, sway path, ROM…), as two indices the field
/// uses, always reported together with the formula's name so numbers are not mixed up.
///
/// - ``asymmetryPercent``: percentage difference, 100·(max − min)/max, 0…100 %, with the larger
///   side named ``dominant`` (Bishop et al., 2018, Strength Cond J 40(4):1–6).
/// - ``symmetryIndexPercent``: Robinson's symmetry index, 100·(L − R)/(0.5·(L + R)), −200…200 %,
///   positive when the left is greater (Robinson, Herzog & Nigg, 1987, J Manipulative Physiol Ther 10(4):172–176).
///
/// Inputs are non-negative magnitudes in any one unit. When both are at most `negligible` the
/// result is 0 %, `.none`, 0 % rather than 0/0.
public struct Asymmetry: Sendable, Equatable, Encodable {
    public var asymmetryPercent: Double
    public var dominant: Side
    public var symmetryIndexPercent: Double

    enum CodingKeys: String, CodingKey {
        case asymmetryPercent = "asymmetry_pct", dominant, symmetryIndexPercent = "symmetry_index_pct"
    }

    /// - Parameters:
    ///   - left: the left side's value (≥ 0).
    ///   - right: the right side's value (≥ 0), same unit.
    ///   - negligible: values at or below this count as zero (default 0, exact).
    public init(left: Double, right: Double, negligible: Double = 0) {
        let larger = max(left, right)
        guard larger > negligible else {
            asymmetryPercent = 0
            dominant = .none
            symmetryIndexPercent = 0
            return
        }
        asymmetryPercent = 100 * (larger - min(left, right)) / larger
        dominant = left > right ? .left : (right > left ? .right : .none)
        symmetryIndexPercent = 100 * (left - right) / (0.5 * (left + right))
    }
}
