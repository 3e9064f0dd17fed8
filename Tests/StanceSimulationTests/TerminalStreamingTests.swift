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
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 1000, fast: true), preamble: preamble) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.encode(sent[index], into: &bytes)
            return bytes
        }
        startThread { try? emulator.run() }
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
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 2000, fast: true)) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.encode(sent[index], into: &bytes)
            return bytes
        }
        startThread { try? emulator.run() }
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
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 200, fast: true)) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.encode(sent[index], into: &bytes)
            return bytes
        }
        startThread { try? emulator.run() }
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
        let encoder = Locked(BalanceBoardEventEncoder())
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 100, fast: true)) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.modify { $0.encode(sent[index], into: &bytes) }
            return bytes
        }
        startThread { try? emulator.run() }
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
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 1000, fast: true, faults: faults, seed: 9)) { index in
            guard index < sent.count else { return nil }
            var bytes: [UInt8] = []
            encoder.encode(sent[index], into: &bytes)
            return bytes
        }
        startThread { try? emulator.run() }
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
        #expect(beforeUnplug.count == 100, "the read ends with the hang-up after sample 99")
        Thread.sleep(forTimeInterval: 0.5)
        // The kernel may give the new terminal the freed number again; the link must resolve.
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

/// A value shared with the emulator's thread.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func modify<T>(_ body: (inout Value) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
