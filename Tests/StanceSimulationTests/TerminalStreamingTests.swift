import Foundation
import StanceDSP
import StanceProtocols
import StanceSimulation
import Testing

/// Checks two sample lists are equal, reporting the count and the first difference only.
func expectSameSamples<T: Equatable>(_ received: [T], _ sent: [T], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(received.count == sent.count, "received \(received.count) of \(sent.count)", sourceLocation: sourceLocation)
    if let index = (0..<min(received.count, sent.count)).first(where: { received[$0] != sent[$0] }) {
        Issue.record("first difference at \(index): \(received[index]) vs \(sent[index])", sourceLocation: sourceLocation)
    }
}

/// Samples with whole-number values (exact in every protocol) and counters.
private func plateSamples(_ count: Int, channels: Int) -> [DeviceSample] {
    (0..<count).map { index in
        var values = SIMD16<Double>()
        for channel in 0..<channels { values[channel] = Double((index * 7 + channel * 311) % 4000) }
        return DeviceSample(sequence: UInt32(index), deviceTimeMicroseconds: UInt64(index) * 1000,
                            channelCount: channels, values: values)
    }
}

@Suite("every protocol through a real pseudo-terminal", .serialized)
struct TerminalStreamingTests {
    @Test("line protocol: header and 2000 samples arrive intact")
    func lineProtocol() throws {
        let sent = plateSamples(2000, channels: 8)
        var preamble: [UInt8] = []
        let encoder = LineProtocolEncoder()
        encoder.encode(LineHeader(channels: 8, rateHz: 1000, units: .newtons, layout: .dualPlate, id: "SIM-1"), into: &preamble)
        let emulator = try startEmulator(sent.map { sample in
            var bytes: [UInt8] = []
            encoder.encode(sample, into: &bytes)
            return bytes
        }, configuration: .init(rateHz: 1000, fast: true), preamble: preamble)
        var decoder = LineProtocolDecoder()
        var received: [DeviceSample] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in
            decoder.decode(bytes) { if case .sample(let sample) = $0 { received.append(sample) } }
        }, done: { received.count == sent.count })
        expectSameSamples(received, sent)
        #expect(decoder.header?.id == "SIM-1")
        #expect(decoder.counters.bytesDiscarded == 0)
    }

    @Test("binary protocol: 5000 samples at 16 channels arrive intact")
    func binaryProtocol() throws {
        let sent = plateSamples(5000, channels: 16)
        let encoder = BinaryProtocolEncoder(valueType: .int32)
        let emulator = try startEmulator(sent.map { sample in
            var bytes: [UInt8] = []
            encoder.encode(sample, into: &bytes)
            return bytes
        }, configuration: .init(rateHz: 2000, fast: true))
        var decoder = BinaryProtocolDecoder()
        var received: [DeviceSample] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in decoder.decode(bytes) { received.append($0) } },
                         done: { received.count == sent.count })
        expectSameSamples(received, sent)
    }

    @Test("WitMotion: 1000 IMU cycles arrive intact")
    func witMotion() throws {
        let scale = 16.0 / 32768 * standardGravity
        let sent = (0..<1000).map { index in
            ImuSample(accelerationMetresPerSecondSquared: SIMD3(Double(index % 300), -5, 2048) * scale,
                      angularVelocityRadiansPerSecond: SIMD3(Double(index % 50), 3, -7) * (2000.0 / 32768 * Double.pi / 180),
                      temperatureCelsius: 25.5)
        }
        let encoder = WitMotionEncoder()
        let emulator = try startEmulator(sent.map { sample in
            var bytes: [UInt8] = []
            encoder.encode(sample, into: &bytes)
            return bytes
        }, configuration: .init(rateHz: 200, fast: true))
        var decoder = WitMotionDecoder()
        var received: [ImuSample] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in decoder.decode(bytes) { received.append($0) } },
                         done: { received.count == sent.count })
        decoder.flush { received.append($0) }
        expectSameSamples(received, sent)
    }

    @Test("balance board events: 1000 reports arrive intact")
    func balanceBoardEvents() throws {
        let sent = plateSamples(1000, channels: 4).map { sample -> DeviceSample in
            var copy = sample
            copy.deviceTimeMicroseconds = 1_700_000_000_000_000 + UInt64(copy.sequence ?? 0) * 10_000
            copy.sequence = nil
            return copy
        }
        var encoder = BalanceBoardEventEncoder()
        let emulator = try startEmulator(sent.map { sample in
            var bytes: [UInt8] = []
            encoder.encode(sample, into: &bytes)
            return bytes
        }, configuration: .init(rateHz: 100, fast: true))
        var decoder = BalanceBoardEventDecoder()
        var received: [DeviceSample] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in decoder.decode(bytes) { received.append($0) } },
                         done: { received.count == sent.count })
        expectSameSamples(received, sent)
    }

    @Test("faults: garbage, drops and corruption are counted by the decoder; samples in between arrive")
    func faults() throws {
        let sent = plateSamples(3000, channels: 8)
        let encoder = LineProtocolEncoder()
        let faults = EmulatorFaults(garbageEvery: 97, garbageLength: 40, dropEvery: 101, corruptEvery: 103)
        let emulator = try startEmulator(sent.map { sample in
            var bytes: [UInt8] = []
            encoder.encode(sample, into: &bytes)
            return bytes
        }, configuration: .init(rateHz: 1000, fast: true, faults: faults, seed: 9))
        var decoder = LineProtocolDecoder()
        var received: [DeviceSample] = []
        try readTerminal(emulator.secondaryPath, timeoutSeconds: 5, consume: { bytes in
            decoder.decode(bytes) { if case .sample(let sample) = $0 { received.append(sample) } }
        }, done: { received.last?.sequence == UInt32(sent.count - 1) })
        let statistics = emulator.currentStatistics
        #expect(statistics.samplesDropped == 29 && statistics.samplesCorrupted == 29 && statistics.garbageBursts == 30)
        // Every dropped or corrupted sample is a counted gap; a garbage burst may also take the
        // sample line it runs into (it has no newline of its own), never more.
        #expect(received.count >= sent.count - 29 - 29 - 30, "first \(String(describing: received.first?.sequence))")
        #expect(received.count <= sent.count - 29 - 29)
        #expect(decoder.counters.samplesMissed == UInt64(sent.count - received.count))
        #expect(decoder.counters.checksumErrors + decoder.counters.badFrames >= 29)
        #expect(Set(received.map(\.sequence)).count == received.count)
    }

    @Test("unplug and replug: the reader sees a hang-up; the stable link points at the new terminal")
    func unplug() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("stance-sim-\(UUID().uuidString)").path
        let sent = plateSamples(400, channels: 4)
        let encoder = LineProtocolEncoder()
        var header: [UInt8] = []
        encoder.encode(LineHeader(channels: 4, rateHz: 200, units: .newtons, layout: .plate), into: &header)
        let emulator = try DeviceEmulator(
            configuration: .init(rateHz: 200, fast: false, faults: EmulatorFaults(unplugAfter: 100, unpluggedSeconds: 0.3), linkPath: link),
            preamble: header
        ) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.encode(sent[index], into: &bytes)
            return bytes
        }
        let firstTerminal = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        startThread { try? emulator.run() }
        var decoder = LineProtocolDecoder()
        var beforeUnplug: [DeviceSample] = []
        try readTerminal(link, consume: { bytes in
            decoder.decode(bytes) { if case .sample(let sample) = $0 { beforeUnplug.append(sample) } }
        }, done: { false })
        // Bytes still unread when the terminal closes are lost, as on a real unplug; a busy
        // machine may leave the last sample or two unread.
        #expect((95...100).contains(beforeUnplug.count), "the read ends with the hang-up after sample 99")
        Thread.sleep(forTimeInterval: 0.5)
        // The link went with the device and came back with it (the kernel may reuse the number).
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link).hasPrefix("/dev/pts/"))
        _ = firstTerminal
        var afterReplug: [DeviceSample] = []
        try readTerminal(link, consume: { bytes in
            decoder.decode(bytes) { if case .sample(let sample) = $0 { afterReplug.append(sample) } }
        }, done: { afterReplug.last?.sequence == 399 })
        #expect(afterReplug.first.map { $0.sequence! >= 100 } == true)
        #expect(emulator.currentStatistics.unplugs == 1)
        emulator.stop()
        unlink(link)
    }
}


/// hidraw delivers whole reports; a terminal is a byte stream. These tests send fixed-size reports
/// through a pseudo-terminal and cut them apart again on the reader's side, so the HID decoders
/// also see real kernel I/O.
@Suite("HID reports through a real pseudo-terminal", .serialized)
struct TerminalReportStreamingTests {
    @Test("Go Direct: 500 measurement reports of 64 bytes decode to the values sent")
    func goDirect() throws {
        let sent = (0..<500).map { index in [Float(index) * 0.5, -Float(index), 1000 + Float(index)] }
        let reports: [[UInt8]] = sent.map { values in
            var packet: [UInt8] = [0x20, 0, 0x7F, 0, 0x06, 0b111, 0, 1, 0]
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { packet += $0 } }
            packet[1] = UInt8(packet.count)
            return [UInt8(packet.count)] + packet + [UInt8](repeating: 0, count: 63 - packet.count)
        }
        let emulator = try startEmulator(reports, configuration: .init(rateHz: 1000, fast: true))
        var decoder = GoDirectReportDecoder()
        var pending: [UInt8] = []
        var received: [[Double]] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in
            pending += bytes
            while pending.count >= 64 {
                Array(pending.prefix(64)).withUnsafeBytes { decoder.decode(report: $0) { received.append($0.channels) } }
                pending.removeFirst(64)
            }
        }, done: { received.count == sent.count })
        expectSameSamples(received, sent.map { $0.map(Double.init) })
    }

    @Test("a HID force sensor: 1000 reports extracted through the descriptor's physical units")
    func hidForceSensor() throws {
        // Report 7: two int16 forces, logical ±32767 ↔ physical ±2000 × 10⁻¹ N.
        let bytes: [UInt8] = [
            0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x07, 0x09, 0x10, 0x09, 0x11, 0x16, 0x01, 0x80,
            0x26, 0xFF, 0x7F, 0x36, 0x30, 0xF8, 0x46, 0xD0, 0x07, 0x55, 0x0F, 0x75, 0x10, 0x95, 0x02, 0x81, 0x02, 0xC0,
        ]
        let descriptor = try HIDReportDescriptor(parsing: bytes)
        var extractor = try HIDReportExtractor(descriptor: descriptor, channels: [
            HIDChannel(.usage(page: 0xFF00, id: 0x10)), HIDChannel(.usage(page: 0xFF00, id: 0x11)),
        ])
        let raw: [(Int16, Int16)] = (0..<1000).map { index in (Int16(index * 30 - 15_000), Int16(32767 - index)) }
        let reports: [[UInt8]] = raw.map { pair -> [UInt8] in
            let left = UInt16(bitPattern: pair.0)
            let right = UInt16(bitPattern: pair.1)
            return [0x07, UInt8(left & 0xFF), UInt8(left >> 8), UInt8(right & 0xFF), UInt8(right >> 8)]
        }
        let emulator = try startEmulator(reports, configuration: .init(rateHz: 1000, fast: true))
        var pending: [UInt8] = []
        var received: [DeviceSample] = []
        try readTerminal(emulator.secondaryPath, consume: { bytes in
            pending += bytes
            while pending.count >= 5 {
                if let sample = Array(pending.prefix(5)).withUnsafeBytes({ extractor.extract($0) }) { received.append(sample) }
                pending.removeFirst(5)
            }
        }, done: { received.count == raw.count })
        #expect(received.count == raw.count)
        let scale = 200.0 / 32767
        for (sample, pair) in zip(received, raw) {
            let expectedLeft: Double = Double(pair.0) * scale
            let expectedRight: Double = Double(pair.1) * scale
            #expect(abs(sample.values[0] - expectedLeft) < 1e-9)
            #expect(abs(sample.values[1] - expectedRight) < 1e-9)
        }
    }
}
