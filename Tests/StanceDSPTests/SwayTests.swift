import Foundation
import StanceDSP
import Testing

struct SwayFixture: Decodable {
    struct Metrics: Decodable {
        var path_length_m: Double
        var mean_velocity_m_s: Double
        var mean_distance_m: Double
        var rms_distance_m: Double
        var range_ml_m: Double
        var range_ap_m: Double
        var ellipse95_area_m2: Double
        var mean_frequency_hz: Double
    }
    struct Case: Decodable {
        var name: String
        var rate_hz: Double
        var x_m: [Double]
        var y_m: [Double]
        var metrics: Metrics
    }
    var cases: [Case]
}

func swayPairs(_ metrics: SwayMetrics) -> [(String, Double)] {
    [("path", metrics.pathLengthMetres), ("velocity", metrics.meanVelocityMetresPerSecond),
     ("mean distance", metrics.meanDistanceMetres), ("rms distance", metrics.rmsDistanceMetres),
     ("range ML", metrics.rangeMLMetres), ("range AP", metrics.rangeAPMetres),
     ("ellipse", metrics.ellipse95AreaSquareMetres), ("frequency", metrics.meanFrequencyHz ?? .nan)]
}

@Suite("sway metrics (Prieto et al. 1996)")
struct SwayTests {
    @Test("batch metrics equal the NumPy reference within 1e-9 relative")
    func batchMatchesNumPy() throws {
        let fixture: SwayFixture = try loadFixture("sway")
        for testCase in fixture.cases {
            let points = zip(testCase.x_m, testCase.y_m).map { SIMD2($0, $1) }
            let metrics = try #require(SwayMetrics(copMetres: points, rateHz: testCase.rate_hz))
            let m = testCase.metrics
            let expected = [m.path_length_m, m.mean_velocity_m_s, m.mean_distance_m, m.rms_distance_m,
                            m.range_ml_m, m.range_ap_m, m.ellipse95_area_m2, m.mean_frequency_hz]
            for ((name, value), reference) in zip(swayPairs(metrics), expected) {
                #expect(relativeError(value, reference) <= 1e-9, "\(testCase.name) \(name): \(value) vs \(reference)")
            }
        }
    }

    @Test("sway path length of a 1 Hz circle of radius 10 mm: 100 chords per turn, distance 10 mm")
    func circle() throws {
        let rate = 100.0
        let points = (0..<1000).map { n -> SIMD2<Double> in
            let angle = 2 * Double.pi * Double(n) / rate
            return SIMD2(0.010 * cos(angle), 0.010 * sin(angle))
        }
        let metrics = try #require(SwayMetrics(copMetres: points, rateHz: rate))
        let chord = 2 * 0.010 * sin(Double.pi / 100)
        #expect(abs(metrics.pathLengthMetres - 999 * chord) < 1e-12)
        #expect(abs(metrics.meanDistanceMetres - 0.010) < 1e-12)
        #expect(abs(metrics.rangeMLMetres - 0.020) < 1e-6)
        // A circle's mean frequency is its rotation rate (up to the chord/arc ratio).
        #expect(abs((metrics.meanFrequencyHz ?? 0) * 4 * 2.0.squareRoot() / (2 * Double.pi) - 1) < 1e-3)
    }

    @Test("fewer than three samples give no metrics; a still COP gives no mean frequency")
    func degenerate() throws {
        #expect(SwayMetrics(copMetres: [SIMD2(0, 0), SIMD2(1, 1)], rateHz: 100) == nil)
        let still = try #require(SwayMetrics(copMetres: Array(repeating: SIMD2(0.5, 0.25), count: 10), rateHz: 100))
        #expect(still.meanDistanceMetres == 0)
        #expect(still.pathLengthMetres == 0)
        #expect(still.meanFrequencyHz == nil)
        #expect(still.ellipse95AreaSquareMetres == 0)
    }

    @Test("F statistic for the 95 % ellipse: F(2, 1) = 199.5 and F(2, ∞) → 2.9957")
    func fStatistic() {
        #expect(abs(SwayMetrics.fStatistic95(samples: 3) - 199.5) < 1e-9)
        #expect(abs(SwayMetrics.fStatistic95(samples: 1_000_000) - 2.99573) < 1e-4)
    }

    @Test("sliding window equals the batch metrics of the same window at every step: within 1e-9, the mean distance and frequency within 1.2e-7 (single-precision square roots)")
    func slidingMatchesBatch() throws {
        let fixture: SwayFixture = try loadFixture("sway")
        let testCase = try #require(fixture.cases.first { $0.name == "random-walk-100hz" })
        let points = zip(testCase.x_m, testCase.y_m).map { SIMD2($0, $1) }
        let capacity = 250
        var window = SlidingSwayWindow(capacity: capacity, rateHz: testCase.rate_hz)
        var checked = 0
        for (index, point) in points.enumerated() {
            window.push(point)
            guard index >= 2, index % 7 == 0 || index > points.count - 5 else { continue }
            let start = max(0, index + 1 - capacity)
            let batch = try #require(SwayMetrics(copMetres: Array(points[start...index]), rateHz: testCase.rate_hz))
            let streaming = try #require(window.metrics)
            #expect(streaming.samples == batch.samples)
            for ((name, value), (_, reference)) in zip(swayPairs(streaming), swayPairs(batch)) {
                let tolerance = name == "mean distance" || name == "frequency" ? 1.2e-7 : 1e-9
                #expect(relativeError(value, reference) <= tolerance, "step \(index) \(name): \(value) vs \(reference)")
            }
            checked += 1
        }
        #expect(checked > 400)
    }

    @Test("an undefined COP empties the window instead of poisoning it with NaN")
    func undefinedCopResets() throws {
        var window = SlidingSwayWindow(capacity: 100, rateHz: 100)
        for n in 0..<50 { window.push(SIMD2(Double(n) * 1e-4, 0)) }
        window.push(nil)
        #expect(window.sampleCount == 0)
        #expect(window.resets == 1)
        #expect(window.metrics == nil)
        for n in 0..<10 { window.push(SIMD2(0, Double(n) * 1e-4)) }
        let metrics = try #require(window.metrics)
        #expect(metrics.rangeMLMetres == 0)
        #expect(abs(metrics.pathLengthMetres - 9e-4) < 1e-15)
    }

    @Test("window ranges follow the true extremes at every step, through monotonic runs and block edges")
    func rangesEveryStep() throws {
        // Falling, rising, flat and zig-zag runs: the cases that break a naive running max.
        var values: [Double] = []
        values += (0..<20).map { Double(20 - $0) }
        values += (0..<20).map { Double($0) * 0.5 }
        values += Array(repeating: 3, count: 7)
        values += (0..<30).map { $0 % 2 == 0 ? Double($0) : -Double($0) }
        for capacity in [3, 4, 7, 16] {
            var window = SlidingSwayWindow(capacity: capacity, rateHz: 10)
            for (n, value) in values.enumerated() {
                window.push(SIMD2(value, -2 * value))
                guard n >= 2 else { continue }
                let recent = values[max(0, n + 1 - capacity)...n]
                let metrics = try #require(window.metrics)
                let expected = (recent.max() ?? 0) - (recent.min() ?? 0)
                #expect(metrics.rangeMLMetres == expected, "capacity \(capacity) step \(n)")
                #expect(metrics.rangeAPMetres == 2 * expected, "capacity \(capacity) step \(n)")
            }
        }
    }
}
