import Foundation
import StanceDSP
@testable import StanceRecording
import Testing

/// Recordings of IMUs whose sensors turn about their y axis only, so the gyroscope (0, θ′, 0) and
/// the accelerometer Rᵀ g are exact: a session of single-leg stance on the left (the right shank
/// lifted to 70°), both feet down, then on the right, with the sway set larger on the right.
@Suite("the IMU summary of a session file: shank ROM and single-leg stance")
struct ImuSessionSummaryTests {
    static let rate = 100.0

    /// The sagittal angle (rad) and its rate (rad/s) of each IMU at `time` seconds.
    /// 0–8 s on the left leg, 8–10 s on both, 10–18 s on the right; the lifted shank rises to 70°
    /// and comes down over 0.5 s; the trunk and the stance shank sway sagittally at 1 Hz and
    /// 0.8 Hz, with amplitudes `left` on the left leg and `right` on the right.
    static func angles(_ time: Double, trunk: (left: Double, right: Double), shank: (left: Double, right: Double))
        -> [String: (Double, Double)] {
        func lift(_ start: Double, _ end: Double) -> (Double, Double) {
            // 0 → 70° over the 0.5 s after `start`, back over the 0.5 s before `end` (cosine ramps).
            let top = 70 * Double.pi / 180
            func ramp(_ s: Double) -> (Double, Double) { (top * (1 - cos(.pi * s)) / 2, top * .pi * sin(.pi * s) / 2 / 0.5) }
            if time < start || time > end { return (0, 0) }
            if time < start + 0.5 { return ramp((time - start) / 0.5) }
            if time > end - 0.5 { let (angle, rate) = ramp((end - time) / 0.5); return (angle, -rate) }
            return (top, 0)
        }
        func sway(_ amplitudeDegrees: Double, _ hertz: Double) -> (Double, Double) {
            let a = amplitudeDegrees * .pi / 180, w = 2 * Double.pi * hertz
            return (a * sin(w * time), a * w * cos(w * time))
        }
        let onLeft = time < 8, onRight = time >= 10
        let trunkSway = onLeft ? sway(trunk.left, 1) : onRight ? sway(trunk.right, 1) : (0, 0)
        return [
            "imu-right-shank": onLeft || time < 10 ? lift(0, 8) : sway(shank.right, 0.8),
            "imu-left-shank": onRight ? lift(10, 18) : time < 8 ? sway(shank.left, 0.8) : (0, 0),
            "imu-trunk": trunkSway,
        ]
    }

    static func recording(roles: [String], trunk: (left: Double, right: Double), shank: (left: Double, right: Double)) -> XDFRecording {
        let count = Int(18 * rate)
        var values: [String: [Float]] = [:]
        for n in 0..<count {
            for (role, (angle, angularRate)) in angles(Double(n) / rate, trunk: trunk, shank: shank) where roles.contains(role) {
                let orientation = Quaternion(axis: SIMD3(0, 1, 0), angleRadians: angle)
                let force = orientation.conjugate.rotate(SIMD3(0, 0, 9.80665))
                values[role, default: []] += [force.x, force.y, force.z, 0, angularRate, 0].map(Float.init)
            }
        }
        let streams = roles.enumerated().map { index, role in
            let info = XDFStreamInfo(name: role, type: "IMU", channelCount: 6, nominalRateHz: rate, format: .float32, createdAtSeconds: 0)
            return XDFRecordedStream(id: UInt32(16 + index), info: info, header: info.infoElement, values: .float32(values[role]!),
                                     timestamps: (0..<count).map { 100 + Double($0) / rate }, clockOffsets: [], footer: nil)
        }
        return XDFRecording(fileHeader: nil, streams: streams, problems: [])
    }

    @Test("with a trunk IMU: 7.1 s on each leg (while the other shank is past 25°, less the first 0.5 s), trunk sway 1° then 1.5°: path asymmetry 33.3 % ± 2, right larger")
    func trunkComparison() throws {
        let recording = Self.recording(roles: ["imu-left-shank", "imu-right-shank", "imu-trunk"], trunk: (1, 1.5), shank: (0.3, 0.3))
        let summary = try #require(ImuSessionSummary(recording: recording))
        #expect(summary.singleLegSegment == "trunk")
        let legs = try #require(summary.singleLeg)
        // The shank passes 25° 0.20 s into its 0.5 s rise and falls below it 0.20 s before the end.
        #expect(abs(legs.leftSeconds - 7.14) < 0.1 && abs(legs.rightSeconds - 7.14) < 0.1, "\(legs.leftSeconds) s, \(legs.rightSeconds) s")
        let path = try #require(legs.pathAsymmetry)
        #expect(abs(path.asymmetryPercent - 100.0 / 3) < 2 && path.dominant == .right, "\(path)")
        // Each shank swings from 0 to 70° once: ROM 70° on each side.
        let left = try #require(summary.leftShankROMDegrees), right = try #require(summary.rightShankROMDegrees)
        #expect(abs(left - 70) < 1.5 && abs(right - 70) < 1.5, "ROM \(left)°, \(right)°")
    }

    @Test("without a trunk IMU the stance shanks are compared: sway 0.6° on the left, 1.2° on the right: 50 % ± 2, right larger")
    func shankComparison() throws {
        let recording = Self.recording(roles: ["imu-left-shank", "imu-right-shank"], trunk: (0, 0), shank: (0.6, 1.2))
        let summary = try #require(ImuSessionSummary(recording: recording))
        #expect(summary.singleLegSegment == "shank")
        let path = try #require(summary.singleLeg?.pathAsymmetry)
        #expect(abs(path.asymmetryPercent - 50) < 2 && path.dominant == .right, "\(path)")
    }

    @Test("a recording without IMU streams has no IMU summary")
    func noImus() {
        #expect(ImuSessionSummary(recording: XDFRecording(fileHeader: nil, streams: [], problems: [])) == nil)
    }
}
