import Foundation
import StanceDSP
import Testing

@Suite("single-leg stance: the trunk's sway on each leg, compared")
struct SingleLegSwayTests {
    /// A trunk tilting round a circle of `radius` degrees (1 Hz), as a quaternion, with its reading.
    static func trunk(at time: Double, radiusDegrees radius: Double) -> (Quaternion, SIMD3<Double>) {
        let roll = radius * .pi / 180 * cos(2 * .pi * time), pitch = radius * .pi / 180 * sin(2 * .pi * time)
        let orientation = Quaternion(rollRadians: roll, pitchRadians: pitch, yawRadians: 0)
        return (orientation, orientation.conjugate.rotate(SIMD3(0, 0, 9.80665)))
    }

    /// `samples` at 100 Hz of the trunk swaying round `radius(stance)` degrees, standing as
    /// `stance(time)` says, through a `SingleLegSway` with a window of `windowSeconds`.
    static func swayed(samples: Int, windowSeconds: Double, stance: (Double) -> SingleLegSway.Stance?,
                       radiusDegrees radius: (SingleLegSway.Stance?) -> Double = { _ in 1 }) -> SingleLegSway {
        let rate = 100.0
        var legs = SingleLegSway(windowSeconds: windowSeconds, rateHz: rate)
        for n in 0..<samples {
            let time = Double(n) / rate
            let standing = stance(time)
            let (orientation, force) = trunk(at: time, radiusDegrees: radius(standing))
            legs.update(stance: standing, orientation: orientation, specificForceMetresPerSecondSquared: force)
        }
        return legs
    }

    @Test("a leg whose shank or thigh tilts past 25° is lifted; exactly one lifted leg names the stance leg")
    func classification() {
        #expect(SingleLegSway.stance(leftShank: 2, leftThigh: nil, rightShank: -60, rightThigh: nil) == .left)
        #expect(SingleLegSway.stance(leftShank: 3, leftThigh: 70, rightShank: 1, rightThigh: 2) == .right)
        #expect(SingleLegSway.stance(leftShank: 2, leftThigh: nil, rightShank: 4, rightThigh: nil) == nil, "both feet down")
        #expect(SingleLegSway.stance(leftShank: 40, leftThigh: nil, rightShank: 40, rightThigh: nil) == nil, "a squat")
        #expect(SingleLegSway.stance(leftShank: 2, leftThigh: nil, rightShank: nil, rightThigh: nil) == nil, "no right IMU")
    }

    @Test("8 s on the left swaying 1°, 2 s on both, 8 s on the right swaying 1.5°: path asymmetry 33.3 %, area 55.6 %, right larger")
    func comparison() throws {
        let legs = Self.swayed(samples: 1800, windowSeconds: 10, stance: { $0 < 8 ? .left : $0 < 10 ? nil : .right },
                               radiusDegrees: { $0 == .right ? 1.5 : 1 })
        let report = legs.report
        #expect(abs(report.leftSeconds - 7.5) < 0.011 && abs(report.rightSeconds - 7.5) < 0.011)
        let path = try #require(report.pathAsymmetry), area = try #require(report.areaAsymmetry)
        #expect(abs(path.asymmetryPercent - 100.0 / 3) < 0.2 && path.dominant == .right, "\(path)")
        #expect(abs(area.asymmetryPercent - 100 * (1 - 1 / 2.25)) < 0.5 && area.dominant == .right, "\(area)")
    }

    @Test("a stance on the same leg after a pause of more than 1 s is a new trial: the window restarts")
    func newTrialAfterPause() {
        let legs = Self.swayed(samples: 900, windowSeconds: 30, stance: { $0 < 4 || $0 >= 6 ? .left : nil })
        #expect(abs(legs.report.leftSeconds - 2.5) < 0.011, "only the second trial, less its first 0.5 s: \(legs.report.leftSeconds) s")
        #expect(legs.report.right == nil && legs.report.pathAsymmetry == nil)
    }

    @Test("stances shorter than 0.5 s (a squat's shanks passing 25° 0.13 s apart, every 3 s) make no trial; the first 0.5 s of a real one are left out")
    func briefStancesAreNotTrials() {
        let legs = Self.swayed(samples: 3000, windowSeconds: 30) { time in
            time < 20 ? (time.truncatingRemainder(dividingBy: 3) < 0.13 ? .left : nil) : .right
        }
        #expect(legs.report.left == nil && legs.report.leftSeconds == 0, "\(legs.report.leftSeconds) s on the left")
        #expect(abs(legs.report.rightSeconds - 9.5) < 0.011, "\(legs.report.rightSeconds) s on the right")
    }
}
