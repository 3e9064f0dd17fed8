import Foundation
import StanceDSP
import Testing

private struct ImuKinematicsFixture: Decodable {
    struct Checkpoint: Decodable {
        var index: Int
        var sagittal_deg: Double
        var frontal_deg: Double
        var range_of_motion_deg: Double
        var peak_angular_velocity_deg_s: Double
        var tilt: SwayFixture.Metrics
        var acceleration: SwayFixture.Metrics
        var jerk_m2_s5: Double
    }
    var rate_hz: Double
    var window_s: Double
    var quaternion_wxyz: [[Double]]
    var gyro_rad_s: [[Double]]
    var accel_m_s2: [[Double]]
    var checkpoints: [Checkpoint]
}

@Suite("IMU segment kinematics and trunk sway against NumPy/SciPy")
struct ImuKinematicsTests {
    @Test("angles, window range of motion and peak angular velocity, tilt and acceleration sway and jerk at 13 checkpoints")
    func matchesReference() throws {
        let fixture: ImuKinematicsFixture = try loadFixture("imu_kinematics")
        var segment = SegmentKinematics(windowSeconds: fixture.window_s, rateHz: fixture.rate_hz)
        var trunk = TrunkSway(windowSeconds: fixture.window_s, rateHz: fixture.rate_hz)
        var checkpoints = fixture.checkpoints[...]
        #expect(checkpoints.count >= 10)
        for index in fixture.quaternion_wxyz.indices {
            let q = fixture.quaternion_wxyz[index]
            let orientation = Quaternion(w: q[0], x: q[1], y: q[2], z: q[3])
            let gyro = fixture.gyro_rad_s[index], accel = fixture.accel_m_s2[index]
            segment.update(orientation: orientation, angularVelocityRadiansPerSecond: SIMD3(gyro[0], gyro[1], gyro[2]))
            trunk.update(orientation: orientation, specificForceMetresPerSecondSquared: SIMD3(accel[0], accel[1], accel[2]))
            guard let expected = checkpoints.first, expected.index == index else { continue }
            checkpoints.removeFirst()
            let kinematics = try #require(segment.report)
            #expect(abs(kinematics.sagittalDegrees - expected.sagittal_deg) <= 1e-9, "sample \(index)")
            #expect(abs(kinematics.frontalDegrees - expected.frontal_deg) <= 1e-9, "sample \(index)")
            #expect(abs(kinematics.rangeOfMotionDegrees - expected.range_of_motion_deg) <= 1e-9, "sample \(index)")
            #expect(abs(kinematics.peakAngularVelocityDegreesPerSecond - expected.peak_angular_velocity_deg_s) <= 1e-9, "sample \(index)")
            let sway = try #require(trunk.report)
            #expect(abs(sway.leanDegrees - expected.frontal_deg) <= 1e-9)
            #expect(relativeError(sway.jerk, expected.jerk_m2_s5) <= 1e-9, "sample \(index): jerk \(sway.jerk) vs \(expected.jerk_m2_s5)")
            for (metrics, reference, name) in [(sway.tilt, expected.tilt, "tilt"), (sway.acceleration, expected.acceleration, "acceleration")] {
                let wanted = [reference.path_length_m, reference.mean_velocity_m_s, reference.mean_distance_m, reference.rms_distance_m,
                              reference.range_ml_m, reference.range_ap_m, reference.ellipse95_area_m2, reference.mean_frequency_hz]
                for ((label, value), target) in zip(swayPairs(metrics), wanted) {
                    // The mean distance (and so the frequency) takes single-precision roots.
                    let tolerance = label == "mean distance" || label == "frequency" ? 1.2e-7 : 1e-9
                    #expect(relativeError(value, target) <= tolerance, "sample \(index) \(name) \(label): \(value) vs \(target)")
                }
            }
        }
        #expect(checkpoints.isEmpty, "every checkpoint was reached")
    }

    @Test("upright is 0/0; a quarter turn forward about y is +90° sagittal; tilting right about x is + frontal; heading does not matter")
    func angleConventions() {
        let upright = SegmentAngles(orientation: .identity)
        #expect(upright.sagittalRadians == 0 && upright.frontalRadians == 0)
        let forward = SegmentAngles(orientation: Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 0.3))
        #expect(abs(forward.sagittalRadians - 0.3) < 1e-12 && abs(forward.frontalRadians) < 1e-12)
        let right = SegmentAngles(orientation: Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 0.2))
        #expect(abs(right.frontalRadians - 0.2) < 1e-12 && abs(right.sagittalRadians) < 1e-12)
        let turned = SegmentAngles(orientation: Quaternion(axis: SIMD3(0, 0, 1), angleRadians: 2.0)
            * Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 0.3))
        #expect(abs(turned.sagittalRadians - 0.3) < 1e-12 && abs(turned.frontalRadians) < 1e-12)
    }
}
