import StanceDSP
import Testing

private struct AsymmetryFixture: Decodable {
    struct Case: Decodable {
        var left: Double
        var right: Double
        var asymmetry_pct: Double
        var dominant: String
        var symmetry_index_pct: Double
    }
    var cases: [Case]
}

@Suite("left/right asymmetry")
struct AsymmetryTests {
    @Test("percentage difference, dominant side and Robinson's symmetry index equal the NumPy reference")
    func matchesReference() throws {
        let fixture: AsymmetryFixture = try loadFixture("asymmetry")
        #expect(fixture.cases.count >= 10)
        for testCase in fixture.cases {
            let asymmetry = Asymmetry(left: testCase.left, right: testCase.right)
            #expect(relativeError(asymmetry.asymmetryPercent, testCase.asymmetry_pct) <= 1e-12)
            #expect(asymmetry.dominant.rawValue == testCase.dominant)
            #expect(relativeError(asymmetry.symmetryIndexPercent, testCase.symmetry_index_pct) <= 1e-12)
        }
    }

    @Test("55/45 split of 750 N: 18.18 % asymmetry to the left, SI +20 %")
    func worked() {
        let asymmetry = Asymmetry(left: 412.5, right: 337.5)
        #expect(abs(asymmetry.asymmetryPercent - 18.181818181818) < 1e-9)
        #expect(asymmetry.dominant == .left)
        #expect(abs(asymmetry.symmetryIndexPercent - 20) < 1e-12)
    }

    @Test("both sides negligible: 0 %, no dominant side, SI 0 — never 0/0")
    func bothNegligible() {
        let zero = Asymmetry(left: 0, right: 0)
        #expect(zero == Asymmetry(left: 0, right: 0, negligible: 0))
        #expect(zero.asymmetryPercent == 0 && zero.dominant == .none && zero.symmetryIndexPercent == 0)
        let tiny = Asymmetry(left: 1e-9, right: 3e-9, negligible: 1e-6)
        #expect(tiny.asymmetryPercent == 0 && tiny.dominant == .none && tiny.symmetryIndexPercent == 0)
    }
}
