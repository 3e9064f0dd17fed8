import StanceDSP
import Testing

private struct ButterworthFixture: Decodable {
    struct Case: Decodable {
        var order: Int
        var cutoff_hz: Double
        var rate_hz: Double
        var type: String
        var sos: [[Double]]
    }
    var cases: [Case]
}

@Suite("Butterworth design against scipy.signal.butter(output=\"sos\")")
struct ButterworthTests {
    @Test("every order 1–8, low- and high-pass, six cutoff/rate pairs: sections equal within 1e-12 relative")
    func matchesSciPy() throws {
        let fixture: ButterworthFixture = try loadFixture("butterworth")
        #expect(fixture.cases.count == 96)
        for testCase in fixture.cases {
            let type = try #require(FilterType(rawValue: testCase.type))
            let sections = try Butterworth.sections(
                order: testCase.order, cutoffHz: testCase.cutoff_hz, rateHz: testCase.rate_hz, type: type)
            let label = "order \(testCase.order) \(testCase.type) \(testCase.cutoff_hz) Hz at \(testCase.rate_hz) Hz"
            try #require(sections.count == testCase.sos.count, "\(label): section count")
            for (ours, theirs) in zip(sections, testCase.sos) {
                for (a, b) in zip(ours.sciPyRow, theirs) {
                    let tolerance = 1e-12 * max(abs(b), 1e-300)
                    #expect(abs(a - b) <= tolerance, "\(label): \(ours.sciPyRow) vs \(theirs)")
                }
            }
        }
    }

    @Test("unity gain at 0 Hz for low-pass, zero for high-pass")
    func dcGain() throws {
        for order in 1...8 {
            let low = try Butterworth.sections(order: order, cutoffHz: 10, rateHz: 100, type: .lowpass)
            #expect(abs(low.reduce(1) { $0 * $1.gainAtDC } - 1) < 1e-12)
            let high = try Butterworth.sections(order: order, cutoffHz: 10, rateHz: 100, type: .highpass)
            #expect(abs(high.reduce(1) { $0 * $1.gainAtDC }) < 1e-12)
        }
    }

    @Test("orders outside 1–8, cutoffs at or beyond Nyquist, and bad rates are refused with the reason")
    func refusals() {
        #expect(throws: FilterDesignError.orderOutOfRange(order: 0)) {
            try Butterworth.sections(order: 0, cutoffHz: 10, rateHz: 100, type: .lowpass)
        }
        #expect(throws: FilterDesignError.orderOutOfRange(order: 9)) {
            try Butterworth.sections(order: 9, cutoffHz: 10, rateHz: 100, type: .lowpass)
        }
        #expect(throws: FilterDesignError.cutoffOutOfRange(cutoffHz: 50, nyquistHz: 50)) {
            try Butterworth.sections(order: 4, cutoffHz: 50, rateHz: 100, type: .lowpass)
        }
        #expect(throws: FilterDesignError.cutoffOutOfRange(cutoffHz: 0, nyquistHz: 50)) {
            try Butterworth.sections(order: 4, cutoffHz: 0, rateHz: 100, type: .highpass)
        }
        #expect(throws: FilterDesignError.invalidRate(rateHz: .infinity)) {
            try Butterworth.sections(order: 4, cutoffHz: 1, rateHz: .infinity, type: .lowpass)
        }
        #expect(FilterDesignError.cutoffOutOfRange(cutoffHz: 60, nyquistHz: 50).description.contains("Nyquist"))
    }
}
