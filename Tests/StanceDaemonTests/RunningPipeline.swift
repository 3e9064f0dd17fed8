import Foundation
import Logging
import StanceDaemon
import StanceDevices
import StanceSimulation
import StanceWire
import Testing

/// The Arduino profile's reader on `terminal`, a hub on a fresh socket, the pipeline and the real
/// request handler (sessions in a fresh temporary directory), each on its own thread.
struct RunningPipeline {
    let reader: DeviceReader<SerialDevice<ProfileDecoder>>
    let hub: ClientHub
    let pipeline: PlatePipeline
    let socketPath: String
    let sessionsDirectory: String

    init(terminal: String, rateHz: Double, lowpassHz: Double, windowSeconds: Double = 1, stuckSeconds: Double = 10) throws {
        let profile = try #require(BuiltInProfiles.all.first { $0.name == "arduino-hx711-plate" })
        reader = try #require(DeviceReader(serialPath: terminal, profile: profile))
        let name = "e2e-\(UUID().uuidString.prefix(8))"
        socketPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sock").path
        sessionsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-sessions").path
        let started = MonotonicTime.nanoseconds()
        let requests = RequestHandler(release: "test", sessionsDirectory: sessionsDirectory, startNanoseconds: started,
                                      logger: Logger(label: "test"))
        hub = try ClientHub(socketPath: socketPath, release: "test", maximumRateHz: rateHz, stuckSeconds: stuckSeconds,
                            logger: Logger(label: "test")) {
            requests.handle($0)
        }
        pipeline = try PlatePipeline(reader: reader, hub: hub, rateHz: rateHz, lowpassHz: lowpassHz, windowSeconds: windowSeconds,
                                     startNanoseconds: started)
        requests.serve(hub: hub)
        requests.serve(pipeline: pipeline, devices: [.init(path: terminal, profile: profile.name, deviceProtocol: "stance-line", role: "pair")])
        let (hub, reader, pipeline) = (hub, reader, pipeline)
        Thread { hub.run() }.start()
        Thread { reader.run() }.start()
        Thread { pipeline.run() }.start()
    }

    /// Starts `emulator` once the reader has its terminal open (waiting up to 5 s), so the first
    /// sample is read too, as a board that resets on open would send it.
    func stream(_ emulator: DeviceEmulator) {
        let deadline = Date().addingTimeInterval(5)
        while !reader.statistics.connected, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread { try? emulator.run() }.start()
    }

    func stop() {
        pipeline.stop()
        reader.stop()
        hub.stop()
        try? FileManager.default.removeItem(atPath: sessionsDirectory)
    }
}

extension TestClient {
    /// Sends `request` and returns the first reply that is not a streamed object (or VERSION).
    func reply(to request: String, timeout: Double = 5) -> [String: Any]? {
        send(request + "\n")
        while let object = nextObject(timeout: timeout) {
            if !["VERSION", "SAMPLE", "METRICS", "EVENT", "LAG"].contains(object["class"] as? String ?? "") { return object }
        }
        return nil
    }
}
