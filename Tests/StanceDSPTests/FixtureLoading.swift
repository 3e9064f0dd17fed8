import Foundation

/// Loads a JSON fixture written by `scripts/make_fixtures.py` from this target's resources.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw FixtureMissing(name: name)
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

struct FixtureMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "fixture \(name).json is missing: run scripts/make_fixtures.py" }
}

/// Largest |actual − expected| divided by the largest |expected| (relative to the signal's scale,
/// so zero crossings do not blow the ratio up).
func relativeError(_ actual: [Double], _ expected: [Double]) -> Double {
    precondition(actual.count == expected.count, "lengths differ: \(actual.count) vs \(expected.count)")
    let scale = expected.map(abs).max() ?? 0
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    return scale > 0 ? worst / scale : worst
}

/// |actual − expected| / |expected| for one number (absolute when expected is 0).
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    expected == 0 ? abs(actual) : abs(actual - expected) / abs(expected)
}
