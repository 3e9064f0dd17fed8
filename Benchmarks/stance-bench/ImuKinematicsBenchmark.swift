// The IMU's per-sample metrics work as the daemon runs it on an IMU's reader thread: segment
// angles, the sliding ROM and peak-velocity window and, half of the time, the single-leg window (a
// shank), or the trunk's low-passed tilt and acceleration sway, jerk and the single-leg windows (a
// trunk), over orientations that sway and swing. Counts
// heap allocations while it runs (there must be none).
import CMallocCounter
import StanceDSP

#if canImport(Glibc)
import Glibc
#endif

struct ImuKinematicsBenchmarkResult {
    var samples: Int
    var segmentNanosecondsPerSample: Double
    var trunkNanosecondsPerSample: Double
    var allocations: UInt64
    var checksum: Double
}

func imuKinematicsBenchmark(samples: Int, repeats: Int) -> ImuKinematicsBenchmarkResult {
    let rate = 200.0
    // Orientations and readings made first, so only the metrics are timed.
    let inputs = (0..<samples).map { n -> (Quaternion, SIMD3<Double>, SIMD3<Double>) in
        let t = Double(n) / rate
        let pitch = 0.5 * (1 - cos(2 * .pi * 0.33 * t)), roll = 0.03 * sin(2 * .pi * 0.7 * t)
        let orientation = Quaternion(rollRadians: roll, pitchRadians: pitch, yawRadians: 0.2 * sin(0.1 * t))
        return (orientation, SIMD3(0.01, 0.5 * 2 * .pi * 0.33 * sin(2 * .pi * 0.33 * t), 0), orientation.conjugate.rotate(SIMD3(0, 0, 9.80665)))
    }
    var allocations: UInt64 = 0
    var checksum = 0.0
    var segment = SegmentKinematics(windowSeconds: 30, rateHz: rate)
    var stanceSway = StanceTrialSway(windowSeconds: 30, rateHz: rate)
    let segmentNanoseconds = fastestNanoseconds(repeats: repeats) {
        let before = stance_heap_allocation_count()
        for (index, (orientation, gyroscope, force)) in inputs.enumerated() {
            segment.update(orientation: orientation, angularVelocityRadiansPerSecond: gyroscope)
            // A shank's sway while its leg carries the subject: half of the time.
            stanceSway.update(standing: index % 4000 < 2000, orientation: orientation, specificForceMetresPerSecondSquared: force)
        }
        allocations += stance_heap_allocation_count() - before
        checksum += segment.report?.rangeOfMotionDegrees ?? 0
    }
    var trunk = TrunkSway(windowSeconds: 30, rateHz: rate)
    var legs = SingleLegSway(windowSeconds: 30, rateHz: rate)
    let trunkNanoseconds = fastestNanoseconds(repeats: repeats) {
        let before = stance_heap_allocation_count()
        for (index, (orientation, _, force)) in inputs.enumerated() {
            trunk.update(orientation: orientation, specificForceMetresPerSecondSquared: force)
            legs.update(stance: index % 4000 < 2000 ? .left : .right, orientation: orientation, specificForceMetresPerSecondSquared: force)
        }
        allocations += stance_heap_allocation_count() - before
        checksum += trunk.report?.jerk ?? 0
    }
    return ImuKinematicsBenchmarkResult(samples: samples, segmentNanosecondsPerSample: segmentNanoseconds / Double(samples),
                                        trunkNanosecondsPerSample: trunkNanoseconds / Double(samples), allocations: allocations,
                                        checksum: checksum)
}
