import CMallocCounter
import StanceDSP
import StanceProtocols

#if canImport(Glibc)
import Glibc
#endif

/// Throughput of each decoder over a realistic pre-encoded stream, read in 4 KiB chunks as from a
/// tty, with the heap allocations made while decoding.
struct DecoderBenchmark {
    let name: String
    let bytes: [UInt8]
    let decode: (UnsafeRawBufferPointer) -> Int

    /// (megabytes per second, samples, heap allocations) of the fastest of `repeats` runs. A
    /// warm-up run first initialises the decoders' lazy constant tables (one-time allocations).
    func run(repeats: Int) -> (megabytesPerSecond: Double, samples: Int, allocations: UInt64) {
        var samples = bytes.withUnsafeBytes { decode($0) }
        var allocations: UInt64 = 0
        let nanoseconds = fastestNanoseconds(repeats: repeats) {
            bytes.withUnsafeBytes { all in
                let before = stance_heap_allocation_count()
                samples = decode(all)
                allocations = max(allocations, stance_heap_allocation_count() - before)
            }
        }
        return (Double(bytes.count) / nanoseconds * 1000, samples, allocations)
    }
}

/// Calls `body` on consecutive 4 KiB slices of `all`.
@inline(__always)
func forEachChunk(_ all: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
    var start = 0
    while start < all.count {
        let end = min(start + 4096, all.count)
        body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
        start = end
    }
}

func decoderBenchmarks(workload: DualPlateWorkload) -> [DecoderBenchmark] {
    let frames = workload.frames
    func sample(_ index: Int) -> DeviceSample {
        DeviceSample(sequence: UInt32(index), deviceTimeMicroseconds: UInt64(index * 1000), channelCount: 8,
                     values: SIMD16(lowHalf: frames[index % frames.count], highHalf: SIMD8()))
    }
    // Values as an Arduino prints them: newtons with two decimals.
    var line: [UInt8] = []
    let lineEncoder = LineProtocolEncoder(checksums: true, carriageReturns: true)
    lineEncoder.encode(LineHeader(channels: 8, rateHz: 1000, units: .newtons, layout: .dualPlate), into: &line)
    for index in 0..<100_000 {
        var rounded = sample(index)
        rounded.values = (rounded.values * 100).rounded(.toNearestOrEven) / 100
        lineEncoder.encode(rounded, into: &line)
    }
    var binary: [UInt8] = []
    for index in 0..<200_000 { BinaryProtocolEncoder(valueType: .int32).encode(sample(index), into: &binary) }
    var witmotion: [UInt8] = []
    let witEncoder = WitMotionEncoder()
    for index in 0..<100_000 {
        let phase = Double(index) / 100
        witEncoder.encode(ImuSample(accelerationMetresPerSecondSquared: SIMD3(0.3 * sin(phase), 0.1, 9.8),
                                    angularVelocityRadiansPerSecond: SIMD3(0.5 * cos(phase), 0.02, -0.01),
                                    eulerAnglesRadians: SIMD3(0.1, 0.2, 0.3), temperatureCelsius: 25,
                                    deviceTimeMicroseconds: UInt64(index * 10_000)), into: &witmotion)
    }
    var events: [UInt8] = []
    var eventEncoder = BalanceBoardEventEncoder()
    for index in 0..<200_000 {
        var plate = sample(index)
        plate.channelCount = 4
        plate.values = SIMD16(lowHalf: SIMD8(lowHalf: (plate.plateCells / 0.0980665).rounded(.toNearestOrEven), highHalf: SIMD4()), highHalf: SIMD8())
        eventEncoder.encode(plate, into: &events)
    }
    return [
        DecoderBenchmark(name: "line protocol (8 ch, text)", bytes: line) { all in
            var decoder = LineProtocolDecoder()
            var count = 0
            forEachChunk(all) { decoder.decode($0) { if case .sample = $0 { count += 1 } } }
            return count
        },
        DecoderBenchmark(name: "binary protocol (8 ch int32)", bytes: binary) { all in
            var decoder = BinaryProtocolDecoder()
            var count = 0
            forEachChunk(all) { decoder.decode($0) { _ in count += 1 } }
            return count
        },
        DecoderBenchmark(name: "WitMotion (time, acc, gyro, angle)", bytes: witmotion) { all in
            var decoder = WitMotionDecoder()
            var count = 0
            forEachChunk(all) { decoder.decode($0) { _ in count += 1 } }
            return count
        },
        DecoderBenchmark(name: "balance board evdev", bytes: events) { all in
            var decoder = BalanceBoardEventDecoder()
            var count = 0
            forEachChunk(all) { decoder.decode($0) { _ in count += 1 } }
            return count
        },
    ]
}
