import StanceDSP
import Testing

private struct FilteringFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var sos: [[Double]]
        var input: [[Double]]
        var sosfilt: [[Double]]
        var sosfiltfilt: [[Double]]
    }
    var cases: [Case]
}

private func biquads(_ rows: [[Double]]) -> [Biquad] {
    rows.map { Biquad(b0: $0[0], b1: $0[1], b2: $0[2], a1: $0[4], a2: $0[5]) }
}

@Suite("SOS filtering against scipy.signal.sosfilt and sosfiltfilt")
struct FilteringTests {
    @Test("streaming cascade, eight channels in one SIMD8 lane group, equals sosfilt within 1e-9")
    func streamingMatchesSosfilt() throws {
        let fixture: FilteringFixture = try loadFixture("sosfilt")
        #expect(fixture.cases.count == 6)
        for testCase in fixture.cases {
            var cascade = SOSCascade<SIMD8<Double>>(sections: biquads(testCase.sos))
            let channels = testCase.input.count
            let samples = testCase.input[0].count
            var output = Array(repeating: [Double](repeating: 0, count: samples), count: channels)
            for n in 0..<samples {
                var frame = SIMD8<Double>()
                for c in 0..<channels { frame[c] = testCase.input[c][n] }
                let filtered = cascade.process(frame)
                for c in 0..<channels { output[c][n] = filtered[c] }
            }
            for c in 0..<channels {
                let error = relativeError(output[c], testCase.sosfilt[c])
                #expect(error <= 1e-9, "\(testCase.name) channel \(c): relative error \(error)")
            }
        }
    }

    @Test("the cascade works the same at every lane width (SIMD2 per channel pair)")
    func laneWidthDoesNotMatter() throws {
        let fixture: FilteringFixture = try loadFixture("sosfilt")
        let testCase = try #require(fixture.cases.first { $0.name == "lp1-10hz-200hz-2ch" })
        var cascade = SOSCascade<SIMD2<Double>>(sections: biquads(testCase.sos))
        var frames = (0..<testCase.input[0].count).map { SIMD2(testCase.input[0][$0], testCase.input[1][$0]) }
        frames.withUnsafeMutableBufferPointer { cascade.process($0) }
        #expect(relativeError(frames.map(\.x), testCase.sosfilt[0]) <= 1e-9)
        #expect(relativeError(frames.map(\.y), testCase.sosfilt[1]) <= 1e-9)
    }

    @Test("zero-phase filter equals sosfiltfilt (odd padding, SciPy padlen, sosfilt_zi) within 1e-9")
    func zeroPhaseMatchesSosfiltfilt() throws {
        let fixture: FilteringFixture = try loadFixture("sosfilt")
        for testCase in fixture.cases {
            let filter = ZeroPhaseFilter(sections: biquads(testCase.sos))
            for (c, channel) in testCase.input.enumerated() {
                let output = try filter.apply(to: channel)
                let error = relativeError(output, testCase.sosfiltfilt[c])
                #expect(error <= 1e-9, "\(testCase.name) channel \(c): relative error \(error)")
            }
        }
    }

    @Test("padding follows SciPy: 3 × (2·sections + 1), one less tap for a first-order section")
    func paddingLength() throws {
        let even = ZeroPhaseFilter(sections: try Butterworth.sections(order: 4, cutoffHz: 10, rateHz: 100, type: .lowpass))
        #expect(even.paddingLength == 15)
        let odd = ZeroPhaseFilter(sections: try Butterworth.sections(order: 3, cutoffHz: 10, rateHz: 100, type: .lowpass))
        #expect(odd.paddingLength == 12)
        #expect(throws: ZeroPhaseFilterError.signalTooShort(samples: 15, padding: 15)) {
            try even.apply(to: Array(repeating: 1, count: 15))
        }
    }

    @Test("a cascade settled at a constant level stays there: no start-up transient")
    func settledCascade() throws {
        var cascade = SOSCascade<SIMD4<Double>>(sections: try Butterworth.sections(order: 6, cutoffHz: 5, rateHz: 1000, type: .lowpass))
        let level = SIMD4<Double>(400, 410, 0, -3)
        cascade.settle(at: level)
        for _ in 0..<1000 {
            let output = cascade.process(level)
            let difference = output - level
            #expect(pointwiseMax(difference, -difference).max() < 1e-9)
        }
    }
}
