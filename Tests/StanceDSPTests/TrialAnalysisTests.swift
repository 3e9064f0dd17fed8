import Foundation
import StanceDSP
import Testing

@Suite("whole-trial analysis")
struct TrialAnalysisTests {
    /// `count` frames at 100 Hz: the left plate carries `left` N, the right `right` N, each spread
    /// over its cells with a small sway of the right plate's COP.
    func frames(count: Int, left: Double, right: Double) -> [SIMD8<Double>] {
        (0..<count).map { n in
            let wobble = 5 * sin(Double(n) / 10)
            return SIMD8(lowHalf: SIMD4(repeating: left / 4),
                         highHalf: SIMD4(right / 4 + wobble, right / 4 - wobble, right / 4, right / 4))
        }
    }

    @Test("single-leg stance on the right: no left sway, sway asymmetries null, force 100 % right")
    func singleLeg() throws {
        let report = try TrialAnalysis.analyse(cellsNewtons: frames(count: 500, left: 4, right: 700), rateHz: 100)
        #expect(report.left.sway == nil)
        #expect(report.right.sway != nil)
        #expect(report.asymmetry.swayPath == nil && report.asymmetry.swayArea == nil)
        #expect(report.asymmetry.force.dominant == .right)
        #expect(abs((report.weightDistribution.leftPercent ?? 100) - 100 * 4 / 704) < 1e-6)
        // The combined COP is the right plate's: the weight is shifted to +spacing/2 and beyond.
        #expect((report.weightShift.meanMillimetres ?? 0) > 200)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        let left = try #require(json?["left"] as? [String: Any])
        #expect(left["sway"] is NSNull, "an undefined sway is encoded as null, not left out")
        let asymmetry = try #require(json?["asymmetry"] as? [String: Any])
        #expect(asymmetry["sway_path"] is NSNull)
    }

    @Test("nobody on the plates: distribution, shift and sway are null, not NaN")
    func unloaded() throws {
        let report = try TrialAnalysis.analyse(cellsNewtons: Array(repeating: SIMD8(), count: 50), rateHz: 100)
        #expect(report.weightDistribution.leftPercent == nil)
        #expect(report.weightShift.meanMillimetres == nil)
        #expect(report.combined.sway == nil)
        #expect(report.asymmetry.force.dominant == Side.none)
        _ = try JSONEncoder().encode(report)  // would throw on a NaN
    }

    @Test("too short a trial, and a cutoff above Nyquist, are errors with the figures")
    func errors() {
        #expect(throws: TrialAnalysisError.tooFewSamples(samples: 2, needed: 3)) {
            try TrialAnalysis.analyse(cellsNewtons: frames(count: 2, left: 300, right: 300), rateHz: 100)
        }
        #expect(throws: TrialAnalysisError.filter(.cutoffOutOfRange(cutoffHz: 60, nyquistHz: 50))) {
            try TrialAnalysis.analyse(cellsNewtons: frames(count: 100, left: 300, right: 300), rateHz: 100,
                                      options: TrialAnalysisOptions(lowpassHz: 60))
        }
        #expect(throws: TrialAnalysisError.zeroPhase(.signalTooShort(samples: 10, padding: 15))) {
            try TrialAnalysis.analyse(cellsNewtons: frames(count: 10, left: 300, right: 300), rateHz: 100)
        }
    }

    @Test("a constant stance analysed with and without the filter gives the same forces")
    func filterKeepsConstants() throws {
        let input = Array(repeating: SIMD8<Double>(lowHalf: SIMD4(100, 110, 90, 100), highHalf: SIMD4(80, 85, 75, 80)), count: 200)
        let filtered = try TrialAnalysis.analyse(cellsNewtons: input, rateHz: 100)
        let raw = try TrialAnalysis.analyse(cellsNewtons: input, rateHz: 100, options: TrialAnalysisOptions(lowpassHz: 0))
        #expect(abs(filtered.left.meanForceNewtons - 400) < 1e-9)
        #expect(abs(raw.right.meanForceNewtons - 320) < 1e-12)
        #expect(abs((filtered.weightDistribution.leftPercent ?? 0) - 100 * 400 / 720) < 1e-9)
    }
}
