import StanceDSP
import StanceProtocols
import Testing

private func decode(_ chunks: [[UInt8]], into decoder: inout BinaryProtocolDecoder) -> [DeviceSample] {
    var samples: [DeviceSample] = []
    for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
    return samples
}

@Suite("Stance binary protocol v1")
struct BinaryProtocolTests {
    func randomSample(_ sequence: UInt32, channels: Int, type: BinaryProtocol.ValueType, using random: inout TestRandom) -> DeviceSample {
        var values = SIMD16<Double>()
        for channel in 0..<channels {
            values[channel] = type == .int32
                ? Double(Int32.random(in: .min ... .max, using: &random))
                : Double(Float.random(in: -5000...5000, using: &random))
        }
        return DeviceSample(sequence: sequence, deviceTimeMicroseconds: UInt64(UInt32.random(in: 0 ... .max, using: &random)),
                            channelCount: channels, values: values)
    }

    @Test("CRC-16/CCITT-FALSE check value: \"123456789\" → 0x29B1")
    func crcCheckValue() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC16.checksum($0) } == 0x29B1)
    }

    @Test("the worked example of docs/protocols.md, byte for byte")
    func workedExample() {
        var bytes: [UInt8] = []
        let sample = DeviceSample(sequence: 7, deviceTimeMicroseconds: 1_000_000, channelCount: 4,
                                  values: SIMD16(lowHalf: SIMD8(10230, 10187, -5, 65536, 0, 0, 0, 0), highHalf: SIMD8()))
        BinaryProtocolEncoder(valueType: .int32).encode(sample, into: &bytes)
        let hex = bytes.map { String($0, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
        #expect(hex == "A5 5A 1A 01 07 00 00 00 40 42 0F 00 F6 27 00 00 CB 27 00 00 FB FF FF FF 00 00 01 00 47 10")
        var decoder = BinaryProtocolDecoder()
        #expect(decode([bytes], into: &decoder) == [sample])
    }

    @Test("encode → split at random points → decode is the identity, int32 and float32, 1–16 channels")
    func roundTrip() {
        var random = TestRandom(seed: 0xB1A7)
        for trial in 0..<160 {
            let type: BinaryProtocol.ValueType = trial % 2 == 0 ? .int32 : .float32
            let channels = trial % 16 + 1
            let sent = (0..<40).map { randomSample(UInt32(trial * 40 + $0), channels: channels, type: type, using: &random) }
            var bytes: [UInt8] = []
            for sample in sent { BinaryProtocolEncoder(valueType: type).encode(sample, into: &bytes) }
            var decoder = BinaryProtocolDecoder()
            #expect(decode(randomChunks(bytes, longest: 100, using: &random), into: &decoder) == sent, "trial \(trial)")
            #expect(decoder.counters.bytesDiscarded == 0 && decoder.counters.sequenceGaps == 0)
        }
    }

    @Test("any single corrupted byte loses at most that frame: the next frame decodes")
    func resyncWithinOneFrame() {
        var random = TestRandom(seed: 0xC0DE)
        let encoder = BinaryProtocolEncoder(valueType: .int32)
        let sent = (0..<6).map { randomSample(UInt32($0), channels: 8, type: .int32, using: &random) }
        var clean: [UInt8] = []
        for sample in sent { encoder.encode(sample, into: &clean) }
        let frame = BinaryProtocol.frameLength(channels: 8)
        for position in (2 * frame)..<(3 * frame) {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = clean
                bytes[position] ^= flip
                var decoder = BinaryProtocolDecoder()
                let received = decode([bytes], into: &decoder)
                let expected = sent.enumerated().filter { $0.offset != 2 }.map(\.element)
                #expect(received == expected, "byte \(position) ^ \(flip)")
                #expect(decoder.counters.bytesDiscarded > 0)
                #expect(decoder.counters.sequenceGaps == 1 && decoder.counters.samplesMissed == 1)
            }
        }
    }

    @Test("garbage full of sync bytes between frames is discarded and counted, byte for byte")
    func garbageWithFakeSyncs() {
        var random = TestRandom(seed: 0x5EED)
        let encoder = BinaryProtocolEncoder(valueType: .float32)
        var bytes: [UInt8] = []
        var sent: [DeviceSample] = []
        var garbageBytes = 0
        for index in 0..<200 {
            let garbage = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                [0xA5, 0x5A, 0x1A, UInt8.random(in: 0...255, using: &random)][Int.random(in: 0...3, using: &random)]
            }
            bytes += garbage
            garbageBytes += garbage.count
            let sample = randomSample(UInt32(index), channels: 4, type: .float32, using: &random)
            encoder.encode(sample, into: &bytes)
            sent.append(sample)
        }
        var decoder = BinaryProtocolDecoder()
        let received = decode(randomChunks(bytes, longest: 64, using: &random), into: &decoder)
        // A fake frame can only swallow a real one if its CRC matches by chance (1 in 65 536).
        #expect(received == sent)
        #expect(decoder.counters.bytesDiscarded == UInt64(garbageBytes))
    }
}

@Suite("Stance binary protocol v1: values")
struct BinaryProtocolValueTests {
    @Test("a float32 NaN or infinity is no reading: the frame is refused and counted, the next one decodes")
    func nonFiniteFloats() {
        var bytes: [UInt8] = []
        let encoder = BinaryProtocolEncoder(valueType: .float32)
        let good = DeviceSample(sequence: 2, deviceTimeMicroseconds: 0, channelCount: 1, values: SIMD16(repeating: 0))
        encoder.encode(DeviceSample(sequence: 1, deviceTimeMicroseconds: 0, channelCount: 1,
                                    values: SIMD16(lowHalf: SIMD8(.nan, 0, 0, 0, 0, 0, 0, 0), highHalf: SIMD8())), into: &bytes)
        encoder.encode(DeviceSample(sequence: 2, deviceTimeMicroseconds: 0, channelCount: 1,
                                    values: SIMD16(lowHalf: SIMD8(.infinity, 0, 0, 0, 0, 0, 0, 0), highHalf: SIMD8())), into: &bytes)
        encoder.encode(good, into: &bytes)
        var decoder = BinaryProtocolDecoder()
        var samples: [DeviceSample] = []
        bytes.withUnsafeBytes { decoder.decode($0) { samples.append($0) } }
        #expect(samples == [good])
        #expect(decoder.counters.badFrames == 2)
    }
}
