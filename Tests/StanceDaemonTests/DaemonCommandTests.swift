import Foundation
import StanceDaemon
import StanceDevices
import StanceDSP
import StanceProtocols
import StanceRecording
import StanceSimulation
import StanceWire
import Testing

/// Line-protocol bytes for `count` samples of fixed per-cell loads plus a small ripple (newtons).
private func steadyCells(_ cells: SIMD8<Double>, count: Int, rateHz: Double, rippleNewtons: Double = 0.05) -> (preamble: [UInt8], samples: [[UInt8]]) {
    let encoder = LineProtocolEncoder()
    var preamble: [UInt8] = []
    encoder.encode(LineHeader(channels: 8, rateHz: rateHz, units: .newtons, layout: .dualPlate, id: "TEST"), into: &preamble)
    let samples = (0..<count).map { index -> [UInt8] in
        var values = SIMD16<Double>()
        for cell in 0..<8 { values[cell] = cells[cell] + rippleNewtons * sin(Double(index * (cell + 1)) * 0.7) }
        var bytes: [UInt8] = []
        encoder.encode(DeviceSample(sequence: UInt32(index), deviceTimeMicroseconds: UInt64(Double(index) / rateHz * 1e6),
                                    channelCount: 8, values: values), into: &bytes)
        return bytes
    }
    return (preamble, samples)
}

private func emulator(_ stream: (preamble: [UInt8], samples: [[UInt8]]), rateHz: Double, faults: EmulatorFaults = .none,
                      linkPath: String? = nil) throws -> DeviceEmulator {
    try DeviceEmulator(configuration: .init(rateHz: rateHz, faults: faults, linkPath: linkPath), preamble: stream.preamble) { index in
        index < stream.samples.count ? stream.samples[index] : nil
    }
}

private func quietStance(leftShare: Double, rateHz: Double, seconds: Double) throws -> (preamble: [UInt8], samples: [[UInt8]]) {
    var parameters = ScenarioParameters()
    parameters.leftShare = leftShare
    parameters.staticSeconds = seconds
    let device = try #require(SimulatedDevices.make(protocol: .stanceLine, scenario: .quietStance, parameters: parameters,
                                                   rateHz: rateHz, noise: .none).first)
    return (device.preamble, device.samples)
}

/// What the device sends, decoded by the protocol's own decoder: the ground truth per sample.
private func sentCells(_ stream: (preamble: [UInt8], samples: [[UInt8]])) -> [SIMD8<Double>] {
    var decoder = LineProtocolDecoder()
    var cells: [SIMD8<Double>] = []
    for bytes in [stream.preamble] + stream.samples {
        bytes.withUnsafeBytes { raw in
            decoder.decode(raw) { event in
                if case .sample(let sample) = event { cells.append(sample.dualPlateCells) }
            }
        }
    }
    return cells
}

private func waitUntil(seconds: Double = 10, _ condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
}

@Suite("stanced's commands through the real pipeline, hub and socket", .serialized)
struct DaemonCommandTests {
    @Test("the samples stream carries every sample once, in order, with the device's sequence number and cells in newtons")
    func samplesStream() throws {
        let stream = try quietStance(leftShare: 0.58, rateHz: 200, seconds: 1.5)
        let device = try emulator(stream, rateHz: 200)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 200, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        #expect(client.reply(to: "{\"cmd\":\"watch\",\"streams\":[\"samples\"]}")?["class"] as? String == "WATCH")
        running.stream(device)
        var sequences: [Int] = []
        var received: [[Double]] = []
        while let object = client.nextObject(timeout: 1) {
            guard object["class"] as? String == "SAMPLE", let cells = object["cells_N"] as? [Double], cells.count == 8 else { continue }
            sequences.append(object["seq"] as? Int ?? -1)
            received.append(cells)
        }
        #expect(sequences == Array(0..<stream.samples.count), "got \(sequences.count) of \(stream.samples.count)")
        let sent = sentCells(stream)
        let worst = zip(sent, received).map { pair in (0..<8).map { abs(pair.0[$0] - pair.1[$0]) }.max()! }.max() ?? .infinity
        #expect(worst < 1e-9, "SAMPLE cells are the sent values (gain 1, no tare): worst difference \(worst) N")
    }

    @Test("tare on empty plates: TARE gives each cell's offset, an EVENT tells watchers, and later samples read about 0 N")
    func tareOnEmptyPlates() throws {
        let offsets = SIMD8<Double>(1, 2, 3, 4, 5, 6, 7, 8)
        let stream = steadyCells(offsets, count: 400, rateHz: 100)
        let device = try emulator(stream, rateHz: 100)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 100, lowpassHz: 10)
        defer { running.stop() }
        let watcher = try TestClient(path: running.socketPath)
        #expect(watcher.reply(to: "{\"cmd\":\"watch\",\"streams\":[\"events\",\"samples\"]}")?["class"] as? String == "WATCH")
        running.stream(device)
        waitUntil { running.pipeline.samplesProcessed >= 150 }

        let client = try TestClient(path: running.socketPath)
        let reply = try #require(client.reply(to: "{\"cmd\":\"tare\"}"))
        #expect(reply["class"] as? String == "TARE", "\(reply)")
        let measured = try #require(reply["offsets_N"] as? [Double])
        for cell in 0..<8 { #expect(abs(measured[cell] - offsets[cell]) < 0.05, "cell \(cell): \(measured[cell]) N") }
        #expect(reply["samples"] as? Int == 100 && reply["period_s"] as? Double == 1)

        var sawEvent = false
        var taredCells: [Double] = []
        while let object = watcher.nextObject(timeout: 1) {
            if object["class"] as? String == "EVENT", object["event"] as? String == "tare" { sawEvent = true }
            if sawEvent, object["class"] as? String == "SAMPLE", let cells = object["cells_N"] as? [Double] { taredCells += cells }
        }
        #expect(sawEvent)
        #expect(!taredCells.isEmpty && taredCells.allSatisfy { abs($0) < 0.2 }, "max |cell| \(taredCells.map(abs).max() ?? .nan) N")
    }

    @Test("tare while someone stands on the plates is refused, naming the cell and the load; nothing changes")
    func tareRefusedWhenLoaded() throws {
        let stream = steadyCells(SIMD8(repeating: 180), count: 300, rateHz: 100)
        let device = try emulator(stream, rateHz: 100)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 100, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        #expect(client.reply(to: "{\"cmd\":\"tare\"}")?["message"] as? String != nil, "refused before any sample")
        running.stream(device)
        waitUntil { running.pipeline.samplesProcessed >= 120 }
        let reply = try #require(client.reply(to: "{\"cmd\":\"tare\"}"))
        #expect(reply["class"] as? String == "ERROR" && reply["cmd"] as? String == "tare")
        let message = reply["message"] as? String ?? ""
        #expect(message.contains("cell 0") && message.contains("step off"), "\(message)")
    }

    @Test("config changes the sway window and the low-pass live; a cutoff at or over Nyquist is refused with the limit")
    func configuration() throws {
        let stream = try quietStance(leftShare: 0.5, rateHz: 200, seconds: 1)
        let device = try emulator(stream, rateHz: 200)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 200, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        let echo = try #require(client.reply(to: "{\"cmd\":\"config\",\"window_s\":5,\"lowpass_hz\":4}"))
        #expect(echo["class"] as? String == "CONFIG" && echo["window_s"] as? Double == 5 && echo["lowpass_hz"] as? Double == 4)
        #expect(running.pipeline.windowSeconds == 5 && running.pipeline.lowpassHz == 4)
        let refused = try #require(client.reply(to: "{\"cmd\":\"config\",\"lowpass_hz\":100}"))
        #expect(refused["class"] as? String == "ERROR" && (refused["message"] as? String)?.contains("100.0 Hz") == true, "\(refused)")
        #expect(running.pipeline.lowpassHz == 4, "a refused change leaves the old one")
        let stopped = try #require(client.reply(to: "{\"cmd\":\"session.stop\"}"))
        #expect(stopped["message"] as? String == "no session is recording")
    }

    @Test("a session records every sample: session.xdf holds what the device sent (as float32) at the set split; the mark is in its markers")
    func sessionRecording() throws {
        let stream = try quietStance(leftShare: 0.58, rateHz: 200, seconds: 2)
        let device = try emulator(stream, rateHz: 200)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 200, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        let started = try #require(client.reply(
            to: "{\"cmd\":\"session.start\",\"subject\":\"S01\",\"exercise\":\"quiet stance\",\"body_mass_kg\":75,\"notes\":\"eyes open, then closed\"}"))
        #expect(started["class"] as? String == "SESSION" && started["state"] as? String == "recording", "\(started)")
        let path = try #require(started["path"] as? String)
        let again = try #require(client.reply(to: "{\"cmd\":\"session.start\"}"))
        #expect((again["message"] as? String)?.contains("already recording") == true)
        running.stream(device)
        waitUntil { running.pipeline.samplesProcessed >= 200 }
        let mark = try #require(client.reply(to: "{\"cmd\":\"mark\",\"label\":\"eyes closed, now\"}"))
        #expect(mark["class"] as? String == "MARK" && mark["session"] as? String == started["id"] as? String)
        waitUntil { running.pipeline.samplesProcessed >= stream.samples.count }
        let stopped = try #require(client.reply(to: "{\"cmd\":\"session.stop\"}"))
        #expect(stopped["state"] as? String == "stopped" && stopped["samples"] as? Int == stream.samples.count, "\(stopped)")
        #expect(stopped["rows_lost"] as? Int == 0 && stopped["failure"] is NSNull)

        let (file, plates) = try SessionPlates.read(contentsOf: "\(path)/session.xdf")
        #expect(plates.frames.count == stream.samples.count)
        #expect(abs(plates.rateHz - 200) < 1e-6)
        #expect(plates.frames == sentCells(stream).map { SIMD8<Double>(SIMD8<Float>($0)) },
                "session.xdf holds exactly what the device sent, rounded to float32")
        let left = plates.frames.map { $0.lowHalf.sum() }.reduce(0, +)
        let total = plates.frames.map { $0.sum() }.reduce(0, +)
        #expect(abs(100 * left / total - 58) < 1, "left \(100 * left / total) % (58 % set; 2 s of sway moves it a little)")
        guard case .string(let markers)? = file.streams.first(where: { $0.info.name == "markers" })?.values else {
            Issue.record("no markers stream")
            return
        }
        #expect(markers.contains("mark: eyes closed, now"), "\(markers)")
        let metadata = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(path)/session.json"))) as? [String: Any])
        #expect(metadata["subject"] as? String == "S01" && metadata["body_mass_kg"] as? Double == 75)
        #expect((metadata["result"] as? [String: Any])?["samples"] as? Int == stream.samples.count)
    }

    @Test("a session whose writer stalls: its 256-row buffer fills, a session.rows_lost EVENT reports the loss, the stop reply and the file account for every sample")
    func stalledWriterReports() throws {
        let stream = try quietStance(leftShare: 0.5, rateHz: 1000, seconds: 1.5)
        let device = try emulator(stream, rateHz: 1000)
        let running = try RunningPipeline(terminal: device.secondaryPath, rateHz: 1000, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        #expect(client.reply(to: "{\"cmd\":\"watch\",\"streams\":[\"events\"]}")?["class"] as? String == "WATCH")
        // A disk that stalls for a minute: the writer does not start until then (or the stop).
        let recorder = try SessionRecorder(
            sessionsDirectory: running.sessionsDirectory, metadata: .init(subject: "stall"),
            setup: .init(devicePath: device.secondaryPath, profile: "arduino-hx711-plate", rateHz: 1000, lowpassHz: 10),
            rowCapacity: 256, writerStartsAt: MonotonicTime.nanoseconds() + 60_000_000_000)
        #expect(running.pipeline.attach(recorder))
        running.stream(device)
        var reports: [[String: Any]] = []
        while let object = client.nextObject(timeout: 1.5) {
            if object["event"] as? String == "session.rows_lost" { reports.append(object) }
        }
        waitUntil { running.pipeline.samplesProcessed >= stream.samples.count }
        let lost = reports.compactMap { $0["rows_lost"] as? Int }
        #expect(!lost.isEmpty && lost.first! > 0, "no session.rows_lost EVENT: \(reports)")
        #expect(lost == lost.sorted(), "the count only grows: \(lost)")
        // At most one a second, however long the stream takes on a loaded machine.
        let times = reports.compactMap { $0["t_s"] as? Double }
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 0.99 }, "reports at \(times) s")
        #expect(reports.first?["id"] as? String == recorder.id)
        let stopped = try #require(client.reply(to: "{\"cmd\":\"session.stop\"}"))
        let samples = try #require(stopped["samples"] as? Int), rowsLost = try #require(stopped["rows_lost"] as? Int)
        #expect(samples == 256, "the buffer's worth was written once the writer ran: \(stopped)")
        #expect(samples + rowsLost == stream.samples.count, "every sample written or counted lost: \(stopped)")
        #expect(lost.last ?? 0 <= rowsLost)
        let plates = try SessionPlates.read(contentsOf: "\(recorder.directory)/session.xdf").plates
        #expect(plates.frames.count == 256)
    }

    @Test("an unplug mid-stream: EVENTs for the unplug and the return, STATUS counts it, and metrics continue after")
    func unplugMidStream() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("stance-unplug-\(UUID().uuidString.prefix(8))").path
        defer { unlink(link) }
        let stream = try quietStance(leftShare: 0.5, rateHz: 200, seconds: 3)
        let device = try emulator(stream, rateHz: 200, faults: EmulatorFaults(garbageEvery: 50, unplugAfter: 200, unpluggedSeconds: 0.5),
                                  linkPath: link)
        let running = try RunningPipeline(terminal: link, rateHz: 200, lowpassHz: 10)
        defer { running.stop() }
        let client = try TestClient(path: running.socketPath)
        #expect(client.reply(to: "{\"cmd\":\"watch\",\"streams\":[\"events\",\"metrics\"],\"rate_hz\":20}")?["class"] as? String == "WATCH")
        running.stream(device)
        var events: [String] = []
        var metricsAfterReturn = 0
        while let object = client.nextObject(timeout: 1.5) {
            if object["class"] as? String == "EVENT", let name = object["event"] as? String { events.append(name) }
            if object["class"] as? String == "METRICS", events.contains("device.reopened") { metricsAfterReturn += 1 }
        }
        #expect(events.contains("device.unplugged") && events.contains("device.reopened"), "\(events)")
        #expect(metricsAfterReturn >= 10, "METRICS after the return: \(metricsAfterReturn)")
        // The emulator's unplug, and its closing the terminal at the end of the stream.
        waitUntil { !running.reader.statistics.connected }
        let status = try #require(client.reply(to: "{\"cmd\":\"status\"}"))
        let entry = try #require((status["devices"] as? [[String: Any]])?.first)
        let emulated = device.currentStatistics
        #expect(entry["unplugs"] as? Int == emulated.unplugs + 1 && entry["state"] as? String == "waiting", "\(entry); emulator: \(emulated)")
        #expect((entry["bytes_discarded"] as? Int ?? 0) > 0 && (entry["bad_frames"] as? Int ?? 0) > 0, "garbage counted: \(entry)")
    }
}
