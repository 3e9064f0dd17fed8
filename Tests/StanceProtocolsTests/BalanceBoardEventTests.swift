import StanceDSP
import StanceProtocols
import Testing

private func decode(_ chunks: [[UInt8]], into decoder: inout BalanceBoardEventDecoder) -> [DeviceSample] {
    var samples: [DeviceSample] = []
    for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
    return samples
}

@Suite("Wii Balance Board through hid-wiimote (evdev)")
struct BalanceBoardEventTests {
    func event(_ type: UInt16, _ code: UInt16, _ value: Int32, at microseconds: Int64 = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        Evdev.Event(seconds: microseconds / 1_000_000, microseconds: microseconds % 1_000_000,
                    type: type, code: code, value: value).append(to: &bytes)
        return bytes
    }

    @Test("kernel axes map to TL TR BL BR: HAT1X top-left, HAT0X top-right, HAT1Y bottom-left, HAT0Y bottom-right")
    func cornerMapping() throws {
        let bytes = event(3, 0x12, 1100) + event(3, 0x10, 1200) + event(3, 0x13, 1300) + event(3, 0x11, 1400)
            + event(0, 0, 0, at: 12_345_678)
        #expect(bytes.count == 5 * 24)
        var decoder = BalanceBoardEventDecoder()
        let sample = try #require(decode([bytes], into: &decoder).first)
        #expect(sample.channels == [1100, 1200, 1300, 1400])
        #expect(sample.deviceTimeMicroseconds == 12_345_678)
    }

    @Test("unchanged axes are held: a report with one changed axis repeats the others")
    func heldValues() {
        var decoder = BalanceBoardEventDecoder(initialCells: SIMD4(10, 20, 30, 40))
        let samples = decode([event(3, 0x10, 25) + event(0, 0, 0) + event(0, 0, 0)], into: &decoder)
        #expect(samples.map(\.channels) == [[10, 25, 30, 40], [10, 25, 30, 40]])
    }

    @Test("SYN_DROPPED discards up to the next SYN_REPORT; reports wait for a resynchronisation")
    func dropped() {
        var decoder = BalanceBoardEventDecoder()
        let bytes = event(3, 0x10, 5) + event(0, 0, 0) + event(0, 3, 0) + event(3, 0x10, 999) + event(0, 0, 0)
            + event(3, 0x11, 7) + event(0, 0, 0)
        var samples = decode([bytes], into: &decoder)
        #expect(samples.map(\.channels) == [[0, 5, 0, 0]])
        #expect(decoder.counters.overruns == 1 && decoder.counters.samplesMissed == 1)
        #expect(decoder.needsResynchronisation)
        decoder.resynchronise(cells: SIMD4(1, 2, 3, 4))
        #expect(!decoder.needsResynchronisation && decoder.heldCells == SIMD4(1, 2, 3, 4))
        samples = decode([event(3, 0x13, 9) + event(0, 0, 0)], into: &decoder)
        #expect(samples.map(\.channels) == [[1, 2, 9, 4]])
    }

    @Test("the button and unknown events: button state kept, others counted and ignored")
    func buttonAndOthers() {
        var decoder = BalanceBoardEventDecoder()
        _ = decode([event(1, 0x130, 1) + event(4, 4, 99) + event(3, 0x00, 5) + event(0, 0, 0)], into: &decoder)
        #expect(decoder.buttonPressed)
        #expect(decoder.eventsIgnored == 2)
    }

    @Test("encode → split at random points → decode is the identity for whole-unit samples")
    func roundTrip() {
        var random = TestRandom(seed: 0xEE)
        for trial in 0..<50 {
            var encoder = BalanceBoardEventEncoder()
            var bytes: [UInt8] = []
            var sent: [DeviceSample] = []
            var cells = SIMD4<Double>(2000, 2100, 1900, 2050)
            for index in 0..<60 {
                // Often only some cells change: the held-value path is exercised.
                let lane = Int.random(in: 0...4, using: &random)
                if lane < 4 { cells[lane] = Double(Int.random(in: 0...65535, using: &random)) }
                let sample = DeviceSample(deviceTimeMicroseconds: UInt64(1_700_000_000_000_000 + index * 10_000), channelCount: 4,
                                          values: SIMD16(lowHalf: SIMD8(lowHalf: cells, highHalf: SIMD4()), highHalf: SIMD8()))
                encoder.encode(sample, into: &bytes)
                sent.append(sample)
            }
            var decoder = BalanceBoardEventDecoder()
            #expect(decode(randomChunks(bytes, longest: 50, using: &random), into: &decoder) == sent, "trial \(trial)")
        }
    }
}

@Suite("two balance boards as one dual plate")
struct BalanceBoardPairTests {
    @Test("each board's stream goes to its own decoder; the pair gives both boards' cells as one sample")
    func pair() {
        func events(_ cells: [Int32]) -> [UInt8] {
            var bytes: [UInt8] = []
            for (code, value) in zip([UInt16(0x12), 0x10, 0x13, 0x11], cells) {
                Evdev.Event(seconds: 1, microseconds: 0, type: 3, code: code, value: value).append(to: &bytes)
            }
            Evdev.Event(seconds: 1, microseconds: 0, type: 0, code: 0, value: 0).append(to: &bytes)
            return bytes
        }
        var pair = BalanceBoardPair()
        #expect(!pair.bothReporting)
        events([1100, 1200, 1300, 1400]).withUnsafeBytes { pair.left.decode($0) { _ in } }
        #expect(!pair.bothReporting)
        events([900, 950, 1000, 1050]).withUnsafeBytes { pair.right.decode($0) { _ in } }
        #expect(pair.bothReporting)
        #expect(pair.sample.channels == [1100, 1200, 1300, 1400, 900, 950, 1000, 1050])
    }
}
