// Release-build benchmark of the dual-plate per-sample path. Prints a table, or one JSON object
// with `--json` (read by scripts/bench_reference.py, which times SciPy on the same workload).
import CMallocCounter
import StanceDSP
import StanceWire

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var json = false
    var samples = 200_000
    var repeats = 7
    /// Run one part only (`cascade`, `one-window`, `three-windows`), e.g. under callgrind.
    var only: String?
    /// The orientation filter's workload: a file of float32 samples (scripts/imu/bench_ahrs.py).
    var ahrsWorkload: String?
    var ahrsRateHz: Float = 1000
    var ahrsUpdates = 1_000_000

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--json": json = true
            case "--samples": samples = iterator.next().flatMap(Int.init) ?? samples
            case "--repeats": repeats = iterator.next().flatMap(Int.init) ?? repeats
            case "--only": only = iterator.next()
            case "--ahrs-workload": ahrsWorkload = iterator.next()
            case "--ahrs-rate-hz": ahrsRateHz = iterator.next().flatMap(Float.init) ?? ahrsRateHz
            case "--ahrs-updates": ahrsUpdates = iterator.next().flatMap(Int.init) ?? ahrsUpdates
            case "--quick":
                // Enough to fill the 30 s window twice, so eviction and block rebuilds run too.
                samples = 70_000
                repeats = 2
                ahrsUpdates = 100_000
            default:
                print("stance-bench: unknown argument \(argument); use --json, --samples N, --repeats N, --quick, --only PART, "
                      + "--ahrs-workload PATH, --ahrs-rate-hz R, --ahrs-updates N")
                exit(64)
            }
        }
    }
}

extension Options {
    /// Repeats for `part`: none when another part was chosen with `--only`.
    func runs(_ part: String) -> Int {
        only == nil || only == part ? repeats : 0
    }
}

/// Nanoseconds of the fastest of `repeats` runs of `body`.
func fastestNanoseconds(repeats: Int, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        best = min(best, nanoseconds)
    }
    return best
}

let options = Options(arguments: CommandLine.arguments)
let rateHz = 1000.0
let workload = DualPlateWorkload(samples: options.samples, rateHz: rateHz)

// 1. The SOS cascade alone: 4th-order Butterworth, 10 Hz at 1 kHz, 8 channels (SciPy's workload).
let sections = try Butterworth.sections(order: 4, cutoffHz: 10, rateHz: rateHz, type: .lowpass)
var frames = workload.frames
var cascadeChecksum = 0.0
let cascadeNanoseconds = fastestNanoseconds(repeats: options.runs("cascade")) {
    var cascade = SOSCascade<SIMD8<Double>>(sections: sections)
    frames.withUnsafeMutableBufferPointer { cascade.process($0) }
    cascadeChecksum += frames[frames.count - 1].sum()
}
let cascadePerChannelSample = cascadeNanoseconds / Double(8 * options.samples)

// 2. The full chain, counting heap allocations while it runs.
/// Runs every frame through the chain; returns a checksum so the work cannot be optimised away,
/// and adds the heap allocations made meanwhile to `allocations`.
@inline(never)
func runChain(_ chain: inout DualPlateChain, _ frames: UnsafeBufferPointer<SIMD8<Double>>, allocations: inout UInt64) -> Double {
    var checksum = 0.0
    let before = stance_heap_allocation_count()
    for frame in frames {
        let reading = chain.process(rawCells: frame)
        checksum += reading.combinedCopMetres?.x ?? 0
    }
    allocations += stance_heap_allocation_count() - before
    return checksum
}

// As the issue specifies it: one sliding window, on the combined COP.
var chain = try DualPlateChain(rateHz: rateHz, lowpassHz: 10, order: 4, swayWindowSeconds: 30, perPlateSway: false)
var chainChecksum = 0.0
var allocationsDuringChain: UInt64 = 0
let chainNanoseconds = fastestNanoseconds(repeats: options.runs("one-window")) {
    chainChecksum += workload.frames.withUnsafeBufferPointer { runChain(&chain, $0, allocations: &allocationsDuringChain) }
}
let chainPerSample = chainNanoseconds / Double(options.samples)

// As the daemon will run it: per-leg sway windows as well.
var fullChain = try DualPlateChain(rateHz: rateHz, lowpassHz: 10, order: 4, swayWindowSeconds: 30, perPlateSway: true)
let fullChainNanoseconds = fastestNanoseconds(repeats: options.runs("three-windows")) {
    chainChecksum += workload.frames.withUnsafeBufferPointer { runChain(&fullChain, $0, allocations: &allocationsDuringChain) }
}
let fullChainPerSample = fullChainNanoseconds / Double(options.samples)
let chainRuns = options.runs("one-window") + options.runs("three-windows")
let allocationsPerSample = Double(allocationsDuringChain) / Double(max(chainRuns, 1) * options.samples)

// 3. Reading the sliding-window metrics (done at the watch rate, not per sample).
let readNanoseconds = fastestNanoseconds(repeats: options.repeats) {
    chainChecksum += chain.combinedSway.metrics?.meanDistanceMetres ?? 0
}

// 3b. One METRICS line as the daemon builds it for each one it publishes: the three windows'
// metrics and the JSON encoding, on the three-window chain's last reading.
let lastReading = workload.frames.withUnsafeBufferPointer { fullChain.process(rawCells: $0[$0.count - 1]) }
var metricsBytes = 0
let metricsLineNanoseconds = fastestNanoseconds(repeats: options.runs("three-windows")) {
    let snapshot = MetricsSnapshot(timeSeconds: 12.5, sequence: 625, reading: lastReading, windowSeconds: 30,
                                   leftSway: fullChain.leftSway.metrics, rightSway: fullChain.rightSway.metrics,
                                   combinedSway: fullChain.combinedSway.metrics, sampleSequence: 12_500)
    metricsBytes = WireMessage.metrics(snapshot).count
}
let jsonOnlyNanoseconds = fastestNanoseconds(repeats: options.runs("three-windows")) {
    let snapshot = MetricsSnapshot(timeSeconds: 12.5, sequence: 625, reading: lastReading, windowSeconds: 30,
                                   leftSway: nil, rightSway: nil, combinedSway: nil, sampleSequence: 12_500)
    metricsBytes += WireMessage.metrics(snapshot).count
}

// 4. Decoders, over pre-encoded streams read in 4 KiB chunks.
let decoderResults = options.only == nil || options.only == "decoders"
    ? decoderBenchmarks(workload: workload).map { ($0.name, $0.run(repeats: max(options.repeats / 2, 1))) }
    : []
let decoderAllocations = decoderResults.reduce(0) { $0 + $1.1.allocations }

// 5. The session recorder's write path: 10 minutes of 2 plates + 4 IMUs + metrics (fewer with
// --quick), to a real file with fdatasync every recorded second.
let recorder = options.only == nil || options.only == "recorder"
    ? try recorderBenchmark(recordedSeconds: options.samples >= 200_000 ? 600 : 60)
    : nil

// 6. An IMU's per-sample metrics (segment window; trunk sway with the single-leg windows).
let imu = options.only == nil || options.only == "imu"
    ? imuKinematicsBenchmark(samples: min(options.samples, 200_000), repeats: max(options.repeats / 2, 1))
    : nil

// 7. The orientation filter (AHRS), 6-axis and 9-axis updates, counting heap allocations.
let ahrs = options.runs("ahrs") > 0
    ? ahrsBenchmark(workload: options.ahrsWorkload.map { AhrsWorkload(path: $0, rateHz: options.ahrsRateHz) }
                        ?? AhrsWorkload(samples: 100_000, rateHz: options.ahrsRateHz),
                    updates: options.ahrsUpdates, repeats: options.repeats)
    : nil

// The counter must see allocations when there are some, or its zero above proves nothing.
let controlBefore = stance_heap_allocation_count()
var control: [[Double]] = []
for index in 0..<100 { control.append([Double(index)]) }
let controlAllocations = stance_heap_allocation_count() - controlBefore

if options.json {
    print("""
    {"sos_cascade_ns_per_channel_sample": \(cascadePerChannelSample), \
    "full_chain_ns_per_sample": \(chainPerSample), \
    "full_chain_with_per_plate_sway_ns_per_sample": \(fullChainPerSample), \
    "heap_allocations_per_sample": \(allocationsPerSample), \
    "sway_metrics_read_us": \(readNanoseconds / 1000), \
    "sway_window_samples": \(chain.combinedSway.capacity), \
    "metrics_line_us": \(metricsLineNanoseconds / 1000), "metrics_line_without_sway_us": \(jsonOnlyNanoseconds / 1000), \
    "samples": \(options.samples), "repeats": \(options.repeats), "rate_hz": \(rateHz), \
    "allocation_counter_control": \(controlAllocations), \
    "decoders": [\(decoderResults.map { "{\"name\": \"\($0.0)\", \"megabytes_per_second\": \($0.1.megabytesPerSecond), \"samples\": \($0.1.samples), \"heap_allocations\": \($0.1.allocations)}" }.joined(separator: ", "))], \
    "imu_kinematics": \(imu.map { "{\"segment_ns_per_sample\": \($0.segmentNanosecondsPerSample), \"trunk_ns_per_sample\": \($0.trunkNanosecondsPerSample), \"heap_allocations\": \($0.allocations)}" } ?? "null"), \
    "recorder": \(recorder.map { "{\"recorded_s\": \($0.recordedSeconds), \"megabytes\": \($0.megabytes), \"megabytes_per_second\": \($0.megabytesPerSecond), \"cpu_percent_of_one_core_live\": \($0.cpuPercentOfOneCoreLive)}" } ?? "null"), \
    "ahrs": \(ahrs.map { "{\"ns_per_6_axis_update\": \($0.nanosecondsPerUpdate6Axis), \"ns_per_9_axis_update\": \($0.nanosecondsPerUpdate9Axis), \"updates\": \($0.updates), \"heap_allocations\": \($0.allocations), \"checksum\": \($0.checksum)}" } ?? "null"), \
    "checksum": \(cascadeChecksum + chainChecksum + Double(control.count))}
    """)
} else {
    print("stance-bench: \(options.samples) dual-plate samples at \(rateHz) Hz, fastest of \(options.repeats) runs")
    print("  SOS cascade (4th order, 8 channels):  \(cascadePerChannelSample) ns per channel-sample")
    print("  full chain (8 cells → filter → COP ×2 → combined → sway window): \(chainPerSample) ns per sample")
    print("  same with per-plate sway windows too (3 windows): \(fullChainPerSample) ns per sample")
    print("  heap allocations in the full chain:   \(allocationsPerSample) per sample (\(allocationsDuringChain) in all)")
    print("  sway metrics read (\(chain.combinedSway.capacity)-sample window): \(readNanoseconds / 1000) µs per read")
    print("  METRICS line, three windows' metrics and JSON: \(metricsLineNanoseconds / 1000) µs (without the sway objects: \(jsonOnlyNanoseconds / 1000) µs)")
    for (name, result) in decoderResults {
        print("  decoder \(name): \(result.megabytesPerSecond) MB/s, \(result.samples) samples, \(result.allocations) heap allocations")
    }
    if let imu {
        print("  IMU metrics per sample (200 Hz, 30 s windows): shank with its single-leg window \(imu.segmentNanosecondsPerSample) ns, "
              + "trunk with single-leg windows \(imu.trunkNanosecondsPerSample) ns, \(imu.allocations) heap allocations")
    }
    if let recorder {
        print("  recorder (2 plates × 1 kHz, 4 IMUs × 200 Hz, metrics 50 Hz; XDF, fdatasync each second): "
              + "\(recorder.megabytes) MB for \(recorder.recordedSeconds) s recorded, \(recorder.megabytesPerSecond) MB/s, "
              + "\(recorder.cpuPercentOfOneCoreLive) % of a core while recording live")
    }
    if let ahrs {
        print("  orientation filter: \(ahrs.nanosecondsPerUpdate6Axis) ns per 6-axis update, \(ahrs.nanosecondsPerUpdate9Axis) ns per 9-axis update "
              + "(\(ahrs.updates) updates), \(ahrs.allocations) heap allocations")
    }
    print("  allocation counter control: \(controlAllocations) allocations for 100 small arrays")
    print("  checksum \(cascadeChecksum + chainChecksum + Double(control.count))")
}
if allocationsDuringChain != 0 || decoderAllocations != 0 || (imu?.allocations ?? 0) != 0 || (ahrs?.allocations ?? 0) != 0
    || controlAllocations < 100 { exit(1) }
