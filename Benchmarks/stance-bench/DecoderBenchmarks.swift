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
    // Go Direct: 64-byte reports, each one real32 measurement set of 4 sensors.
    var goDirect: [UInt8] = []
    for index in 0..<100_000 {
        var packet: [UInt8] = [0x20, 0, 0x7F, 0, 0x06, 0x0F, 0x00, 1, 0]
        for lane in 0..<4 { withUnsafeBytes(of: Float(frames[index % frames.count][lane]).bitPattern.littleEndian) { packet += $0 } }
        packet[1] = UInt8(packet.count)
        goDirect += [UInt8(packet.count)] + packet + [UInt8](repeating: 0, count: 63 - packet.count)
    }
    // A HID force sensor (report 7, two int16 forces with physical units), 6-byte reports.
    let forceDescriptor: [UInt8] = [
        0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x07, 0x09, 0x10, 0x09, 0x11, 0x16, 0x01, 0x80,
        0x26, 0xFF, 0x7F, 0x36, 0x30, 0xF8, 0x46, 0xD0, 0x07, 0x55, 0x0F, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0xC0,
    ]
    var hidReports: [UInt8] = []
    for index in 0..<200_000 { hidReports += [0x07, UInt8(index & 0xFF), 0x10, UInt8(index >> 8 & 0xFF), 0xF0] }
    let descriptor = (try? HIDReportDescriptor(parsing: forceDescriptor)) ?? HIDReportDescriptor.empty
    // Resolved once, as the device layer does when it opens the device.
    let forceExtractor = try? HIDReportExtractor(descriptor: descriptor, channels: [
        HIDChannel(.usage(page: 0xFF00, id: 0x10)), HIDChannel(.usage(page: 0xFF00, id: 0x11)),
    ])
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
        DecoderBenchmark(name: "Go Direct HID reports (4 sensors)", bytes: goDirect) { all in
            var decoder = GoDirectReportDecoder()
            var count = 0
            var start = 0
            while start < all.count {
                decoder.decode(report: UnsafeRawBufferPointer(rebasing: all[start..<(start + 64)])) { _ in count += 1 }
                start += 64
            }
            return count
        },
        DecoderBenchmark(name: "HID report extractor (2 × int16)", bytes: hidReports) { all in
            guard var extractor = forceExtractor else { return 0 }
            var count = 0
            var start = 0
            while start < all.count {
                if extractor.extract(UnsafeRawBufferPointer(rebasing: all[start..<(start + 5)])) != nil { count += 1 }
                start += 5
            }
            return count
        },
    ]
}
