import Foundation
import StanceDSP
import StanceSimulation
import Testing

@Suite("trunk sway: the acceleration's 3.5 Hz low-pass")
struct TrunkSwayTests {
    /// A still, upright trunk whose accelerometer reads gravity plus white noise of
    /// `densityPerRootHz` (m/s² per √Hz, so the per-sample deviation grows with √rate), and a 0.5 Hz
    /// sway of `swayAmplitude` m/s² in ML; returns the report after `seconds`.
    static func report(rateHz: Double, densityPerRootHz: Double, swayAmplitude: Double, seconds: Double = 20) throws -> TrunkSwayReport {
        var sway = TrunkSway(windowSeconds: seconds - 5, rateHz: rateHz)
        var random = SplitMix64(seed: 7)
        let deviation = densityPerRootHz * (rateHz / 2).squareRoot()
        for n in 0..<Int(seconds * rateHz) {
            let time = Double(n) / rateHz
            let noise = SIMD3(random.nextGaussian(), random.nextGaussian(), random.nextGaussian()) * deviation
            let ml = swayAmplitude * sin(2 * .pi * 0.5 * time)
            sway.update(orientation: .identity, specificForceMetresPerSecondSquared: SIMD3(0, -ml, 9.80665) + noise)
        }
        return try #require(sway.report)
    }

    @Test("the same sensor at 100 Hz and 1 kHz gives the same jerk (ratio 0.67–1.5): without the filter they were 974× apart")
    func jerkDoesNotMeasureTheRate() throws {
        let slow = try Self.report(rateHz: 100, densityPerRootHz: 0.002, swayAmplitude: 0)
        let fast = try Self.report(rateHz: 1000, densityPerRootHz: 0.002, swayAmplitude: 0)
        let ratio = fast.jerk / slow.jerk
        #expect(ratio > 0.67 && ratio < 1.5, "jerk \(slow.jerk) m²/s⁵ at 100 Hz, \(fast.jerk) at 1 kHz")
    }

    @Test("a 0.5 Hz sway of 0.1 m/s² passes: its RMS distance is within 3 % of 0.1/√2 m/s², noise or not")
    func swayPasses() throws {
        for density in [0.0, 0.002] {
            let report = try Self.report(rateHz: 200, densityPerRootHz: density, swayAmplitude: 0.1)
            let expected = 0.1 / 2.0.squareRoot()
            #expect(abs(report.acceleration.rmsDistanceMetres / expected - 1) < 0.03,
                    "RMS \(report.acceleration.rmsDistanceMetres) m/s² at \(density) m/s²/√Hz")
        }
    }
}
