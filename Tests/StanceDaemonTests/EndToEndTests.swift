import Foundation
import Logging
import StanceDaemon
import StanceDevices
import StanceSimulation
import StanceWire
import Testing

@Suite("end to end: emulated plate on a pty → reader → pipeline → hub → socket client", .serialized)
struct EndToEndTests {
    @Test("a squat at a 58/42 split arrives as METRICS with left_pct within 0.5 points of 58")
    func squatSplit() throws {
        var parameters = ScenarioParameters()
        parameters.leftShare = 0.58
        parameters.repetitions = 1
        parameters.repetitionSeconds = 2
        let device = try #require(SimulatedDevices.make(protocol: .stanceLine, scenario: .squat, parameters: parameters,
                                                       rateHz: 200, noise: .none).first)
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 200), preamble: device.preamble) { index in
            index < device.samples.count ? device.samples[index] : nil
        }
        let running = try RunningPipeline(terminal: emulator.secondaryPath, rateHz: 200, lowpassHz: 10)
        defer { running.stop() }
        let (pipeline, socketPath) = (running.pipeline, running.socketPath)

        let client = try TestClient(path: socketPath)
        #expect(client.nextObject()?["class"] as? String == "VERSION")
        client.send("{\"cmd\":\"watch\",\"streams\":[\"metrics\"],\"rate_hz\":50}\n")
        #expect(client.nextObject()?["class"] as? String == "WATCH")
        running.stream(emulator)

        var splits: [Double] = []
        var sways = 0
        while let object = client.nextObject(timeout: 1.0) {
            guard object["class"] as? String == "METRICS", let total = object["total_N"] as? Double, total > 100,
                  let left = object["left_pct"] as? Double else { continue }
            splits.append(left)
            if ((object["sway"] as? [String: Any])?["combined"] as? [String: Any]) != nil { sways += 1 }
        }
        #expect((80...110).contains(splits.count), "about 50 METRICS per second for 2 s, got \(splits.count)")
        #expect(splits.allSatisfy { abs($0 - 58) < 0.5 }, "\(splits.prefix(5))…")
        #expect(sways > 0, "the sliding sway windows filled")
        #expect(pipeline.samplesProcessed >= 390)
    }

    @Test("a header declaring a rate the chain cannot serve (10 Hz low-pass at 15 Hz) refuses its samples rather than mislabel them")
    func unservableRate() throws {
        let device = try #require(SimulatedDevices.make(protocol: .stanceLine, scenario: .quietStance, parameters: ScenarioParameters(),
                                                       rateHz: 15, noise: .none).first)
        let count = 30
        let emulator = try DeviceEmulator(configuration: .init(rateHz: 300), preamble: device.preamble) { index in
            index < count ? device.samples[index] : nil
        }
        let running = try RunningPipeline(terminal: emulator.secondaryPath, rateHz: 80, lowpassHz: 10)
        defer { running.stop() }
        let pipeline = running.pipeline
        running.stream(emulator)
        let deadline = Date().addingTimeInterval(5)
        while pipeline.samplesRefused < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(pipeline.samplesRefused == count && pipeline.samplesProcessed == 0)
        #expect(pipeline.rateHz == 80, "the chain kept its design; nothing was processed at a wrong rate")
    }
}
