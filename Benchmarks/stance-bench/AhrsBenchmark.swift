import CMallocCounter
import StanceDSP
import StanceSimulation

#if canImport(Glibc)
import Glibc
#endif

/// IMU samples for the orientation-filter benchmark, 9 float32 per sample (gyroscope rad/s,
/// accelerometer m/s², magnetometer µT), at a fixed rate. scripts/imu/bench_ahrs.py writes the
/// file (`--ahrs-workload PATH`) that Fusion's C core also reads; without it a built-in movement
/// (a squat-like swing with noise) is used.
struct AhrsWorkload {
    var samples: [SIMD16<Float>] = []  // lanes 0–2 gyroscope, 4–6 accelerometer, 8–10 magnetometer
    let rateHz: Float

    init(path: String, rateHz: Float) {
        self.rateHz = rateHz
        guard let file = fopen(path, "rb") else {
            print("stance-bench: cannot open \(path)")
            exit(66)
        }
        defer { fclose(file) }
        var values = [Float](repeating: 0, count: 9)
        while fread(&values, MemoryLayout<Float>.size, 9, file) == 9 {
            samples.append(Self.sample(values))
        }
    }

    init(samples count: Int, rateHz: Float) {
        self.rateHz = rateHz
        var generator = SplitMix64(seed: 0x4148_5253)
        func noise(_ scale: Float) -> Float { scale * (Float(generator.next() >> 40) / Float(1 << 24) - 0.5) }
        samples = (0..<count).map { index in
            let t = Float(index) / rateHz
            let pitch = 0.3 * sinf(2 * .pi * 0.4 * t)
            let rate = 0.3 * 2 * .pi * 0.4 * cosf(2 * .pi * 0.4 * t)
            let values: [Float] = [
                0.009 + noise(0.01), rate + 0.009 + noise(0.01), -0.009 + noise(0.01),
                -9.80665 * sinf(pitch) + noise(0.06), noise(0.06), 9.80665 * cosf(pitch) + noise(0.06),
                21 * cosf(pitch) + 45 * sinf(pitch) + noise(0.8), noise(0.8), 21 * sinf(pitch) - 45 * cosf(pitch) + noise(0.8),
            ]
            return Self.sample(values)
        }
    }

    private static func sample(_ v: [Float]) -> SIMD16<Float> {
        var lanes = SIMD16<Float>()
        for (lane, index) in zip([0, 1, 2, 4, 5, 6, 8, 9, 10], 0..<9) { lanes[lane] = v[index] }
        return lanes
    }
}

struct AhrsResult {
    var nanosecondsPerUpdate6Axis: Double
    var nanosecondsPerUpdate9Axis: Double
    var updates: Int
    var allocations: UInt64
    var checksum: Double
}

/// Runs every sample through a fresh filter `passes` times; returns a checksum so the work cannot
/// be optimised away, and adds the heap allocations made meanwhile to `allocations`.
@inline(never)
func runOrientationFilter(_ samples: UnsafeBufferPointer<SIMD16<Float>>, passes: Int, rateHz: Float, magnetometer: Bool,
                          allocations: inout UInt64) -> Double {
    let before = stance_heap_allocation_count()
    var filter = OrientationFilter()
    let dt = 1 / rateHz
    var checksum: Float = 0
    for _ in 0..<passes {
        for s in samples {
            let gyroscope = SIMD3(s[0], s[1], s[2])
            let accelerometer = SIMD3(s[4], s[5], s[6])
            if magnetometer {
                filter.update(gyroscope: gyroscope, accelerometer: accelerometer, magnetometer: SIMD3(s[8], s[9], s[10]), deltaSeconds: dt)
            } else {
                filter.update(gyroscope: gyroscope, accelerometer: accelerometer, magnetometer: nil, deltaSeconds: dt)
            }
        }
        checksum += Float(filter.orientation.w)
    }
    allocations += stance_heap_allocation_count() - before
    return Double(checksum)
}

func ahrsBenchmark(workload: AhrsWorkload, updates: Int, repeats: Int) -> AhrsResult {
    let passes = max(1, updates / max(workload.samples.count, 1))
    var allocations: UInt64 = 0
    var checksum = 0.0
    let timed = { (magnetometer: Bool) in
        fastestNanoseconds(repeats: repeats) {
            checksum += workload.samples.withUnsafeBufferPointer {
                runOrientationFilter($0, passes: passes, rateHz: workload.rateHz, magnetometer: magnetometer, allocations: &allocations)
            }
        }
    }
    let total = Double(passes * workload.samples.count)
    let six = timed(false) / total
    let nine = timed(true) / total
    return AhrsResult(nanosecondsPerUpdate6Axis: six, nanosecondsPerUpdate9Axis: nine,
                      updates: passes * workload.samples.count, allocations: allocations, checksum: checksum)
}
