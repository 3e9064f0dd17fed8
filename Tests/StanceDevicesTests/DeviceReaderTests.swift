import Foundation
import StanceDSP
import StanceDevices
import StanceProtocols
import StanceSimulation
import Testing

@Suite("device readers: real terminals, unplug and replug", .serialized)
struct DeviceReaderTests {
    func lineSamples(_ count: Int) -> (header: [UInt8], samples: [[UInt8]]) {
        let encoder = LineProtocolEncoder()
        var header: [UInt8] = []
        encoder.encode(LineHeader(channels: 4, rateHz: 200, units: .newtons, layout: .plate), into: &header)
        let samples = (0..<count).map { index -> [UInt8] in
            var bytes: [UInt8] = []
            encoder.encode(DeviceSample(sequence: UInt32(index), deviceTimeMicroseconds: UInt64(index) * 5000, channelCount: 4,
                                        values: SIMD16(repeating: Double(index))), into: &bytes)
            return bytes
        }
        return (header, samples)
    }

    @Test("samples arrive with host receive times; an unplug is detected, a gap recorded, and the device reopened")
    func unplugAndReturn() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("stance-plate-\(UUID().uuidString)").path
        defer { unlink(link) }
        let stream = lineSamples(400)
        let emulator = try DeviceEmulator(
            configuration: .init(rateHz: 200, faults: EmulatorFaults(unplugAfter: 150, unpluggedSeconds: 1.0), linkPath: link),
            preamble: stream.header
        ) { index in index < stream.samples.count ? stream.samples[index] : nil }
        let reader = DeviceReader(serialPath: link, decoder: LineProtocolDecoder(), reopenIntervalSeconds: 0.5)
        Thread { reader.run() }.start()
        defer { reader.stop() }
        // Start sending once the reader has the device open, so sample 0 is read too.
        var events: [DeviceEvent] = []
        while events.isEmpty { if let event = reader.events.pop() { events.append(event) } else { Thread.sleep(forTimeInterval: 0.01) } }
        Thread { try? emulator.run() }.start()

        var sequences: [UInt32] = []
        var receiveTimes: [UInt64] = []
        let deadline = Date().addingTimeInterval(15)
        while sequences.last != 399, Date() < deadline {
            while let received = reader.outputs.pop() {
                if case .sample(let sample) = received.value, let sequence = sample.sequence {
                    sequences.append(sequence)
                    receiveTimes.append(received.hostNanoseconds)
                }
            }
            while let event = reader.events.pop() { events.append(event) }
            Thread.sleep(forTimeInterval: 0.01)
        }
        while let event = reader.events.pop() { events.append(event) }

        #expect(sequences.last == 399, "\(events) \(reader.statistics) first \(String(describing: sequences.first))")
        #expect(zip(receiveTimes, receiveTimes.dropFirst()).allSatisfy { $0 <= $1 }, "receive times are monotonic")
        #expect(events.first == .opened(path: link))
        #expect(events.contains { if case .unplugged = $0 { true } else { false } })
        let gap = events.compactMap { event -> UInt64? in
            if case .reopened(_, let gap) = event { gap } else { nil }
        }.first
        let gapSeconds = Double(try #require(gap)) / 1e9
        #expect(gapSeconds > 0.9 && gapSeconds < 2.5, "gap \(gapSeconds) s: 1 s unplugged, reopened within 0.5 s retries")
        let statistics = reader.statistics
        #expect(statistics.hangUps == 1 && statistics.opens == 2)
        // Samples sent while nobody had the device open are lost with it (as on a real unplug);
        // the decoder's state carried over the gap, so the jump in the counter is counted.
        #expect(statistics.decoder.sequenceGaps == (sequences.contains(150) ? 0 : 1))
        #expect(statistics.decoder.samplesMissed == UInt64(400 - sequences.count))
        #expect(sequences.first == 0 && sequences.contains(149))
    }

    @Test("a device that is not there yet: one failure is reported, then it opens when it appears")
    func appearsLater() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("stance-late-\(UUID().uuidString)").path
        defer { unlink(link) }
        let reader = DeviceReader(serialPath: link, decoder: BinaryProtocolDecoder(), reopenIntervalSeconds: 0.2)
        Thread { reader.run() }.start()
        defer { reader.stop() }
        Thread.sleep(forTimeInterval: 0.7)
        let terminal = try PseudoTerminal()
        symlink(terminal.secondaryPath, link)
        var events: [DeviceEvent] = []
        let deadline = Date().addingTimeInterval(5)
        while !events.contains(.opened(path: link)) && !events.contains(where: { if case .reopened = $0 { true } else { false } }), Date() < deadline {
            while let event = reader.events.pop() { events.append(event) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let failures = events.filter { if case .openFailed = $0 { true } else { false } }
        #expect(failures.count == 1, "\(events)")
        #expect(reader.statistics.connected)
    }
}

@Suite("readers built from profiles", .serialized)
struct ProfileReaderTests {
    @Test("an Arduino plate that resets on open: samples before its header are discarded, then it streams")
    func arduinoPlate() throws {
        let profile = try #require(BuiltInProfiles.all.first { $0.name == "arduino-hx711-plate" })
        #expect(profile.serialConfiguration.dataTerminalReady == true && profile.serialConfiguration.baud == 115_200)
        let encoder = LineProtocolEncoder()
        var stale: [UInt8] = []
        for index in 0..<5 {
            encoder.encode(DeviceSample(sequence: UInt32(900 + index), deviceTimeMicroseconds: 0, channelCount: 8,
                                        values: SIMD16(repeating: 1)), into: &stale)
        }
        var header: [UInt8] = []
        encoder.encode(LineHeader(channels: 8, rateHz: 80, units: .newtons, layout: .dualPlate), into: &header)
        let samples = (0..<40).map { index -> [UInt8] in
            var bytes: [UInt8] = []
            encoder.encode(DeviceSample(sequence: UInt32(index), deviceTimeMicroseconds: UInt64(index) * 12_500, channelCount: 8,
                                        values: SIMD16(repeating: Double(index))), into: &bytes)
            return bytes
        }
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 80, fast: true), preamble: stale + header) { index in
            index < samples.count ? samples[index] : nil
        }
        let reader = try #require(DeviceReader(serialPath: emulator.secondaryPath, profile: profile))
        Thread { reader.run() }.start()
        defer { reader.stop() }
        var outputs: [DeviceOutput] = []
        var opened = false
        let deadline = Date().addingTimeInterval(10)
        while outputs.count < 41, Date() < deadline {
            while let event = reader.events.pop() {
                if case .opened = event, !opened {
                    opened = true
                    Thread { try? emulator.run() }.start()
                }
            }
            while let output = reader.outputs.pop() { outputs.append(output.value) }
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard case .header(let received) = try #require(outputs.first) else {
            Issue.record("the first output should be the header, got \(String(describing: outputs.first))")
            return
        }
        #expect(received.layout == .dualPlate)
        #expect(outputs.dropFirst().compactMap { if case .sample(let sample) = $0 { sample.sequence } else { nil } } == (0..<40).map(UInt32.init))
        #expect(reader.statistics.decoder.badFrames == 5, "the five samples sent before the header")
    }

    @Test("profiles of non-serial devices do not make serial readers")
    func nonSerial() throws {
        let board = try #require(BuiltInProfiles.all.first { $0.name == "wii-balance-board" })
        #expect(DeviceReader(serialPath: "/dev/null", profile: board) == nil)
    }
}
