import Foundation
import StanceWire
import Testing

@Suite("STATUS")
struct StatusMessageTests {
    @Test("devices and clients as arrays of objects with every documented key; no session is null")
    func status() throws {
        let device = StatusReport.Device(path: "/dev/ttyACM0", profile: "arduino-hx711-plate", deviceProtocol: "stance-line", role: "dual",
                                         state: "connected", rateHz: 100, samples: 12_345, badFrames: 2, checksumErrors: 1, gaps: 3,
                                         bytesDiscarded: 17, unplugs: 2, reads: 4_321)
        let report = StatusReport(release: "0.1.0", uptimeSeconds: 12.5, pipelineRateHz: 100, devices: [device, device],
                                  clients: [StatusReport.Client(id: 7, streams: ["metrics", "events"], dropped: 4)])
        let bytes = WireMessage.status(report)
        #expect(bytes.last == UInt8(ascii: "\n") && bytes.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let object = try parsed(bytes)
        #expect(object["class"] as? String == "STATUS" && object["uptime_s"] as? Double == 12.5 && object["rate_hz"] as? Double == 100)
        let devices = try #require(object["devices"] as? [[String: Any]])
        #expect(devices.count == 2)
        let first = try #require(devices.first)
        #expect(Set(first.keys) == ["path", "profile", "protocol", "role", "state", "rate_hz", "samples", "bad_frames",
                                    "checksum_errors", "gaps", "bytes_discarded", "unplugs", "reads"])
        #expect(first["path"] as? String == "/dev/ttyACM0" && first["samples"] as? Int == 12_345 && first["bytes_discarded"] as? Int == 17)
        #expect(first["reads"] as? Int == 4_321 && first["unplugs"] as? Int == 2)
        let clients = try #require(object["clients"] as? [[String: Any]])
        #expect(clients.count == 1 && clients[0]["streams"] as? [String] == ["metrics", "events"] && clients[0]["dropped"] as? Int == 4)
        #expect(object["session"] is NSNull && object["pipeline"] is NSNull && object["alignment"] is NSNull)
    }

    @Test("a recording session and the pipeline's counters, with their units in the key names")
    func sessionAndPipeline() throws {
        let report = StatusReport(release: "0.1.0", uptimeSeconds: 1, pipelineRateHz: 100, devices: [], clients: [], publishDrops: 3,
                                  pipeline: .init(processed: 900, refused: 30, windowSeconds: 10, lowpassHz: 6),
                                  session: .init(id: "20261125T160951Z", path: "/s/20261125T160951Z", samples: 296, rowsLost: 1,
                                                 durationSeconds: 2.95, failure: "/s/x/samples.csv: No space left on device",
                                                 imus: [.init(role: "imu-trunk", samples: 290, lost: 4)]))
        let object = try parsed(WireMessage.status(report))
        #expect(object["publish_drops"] as? Int == 3)
        let pipeline = try #require(object["pipeline"] as? [String: Any])
        #expect(pipeline["processed"] as? Int == 900 && pipeline["refused"] as? Int == 30)
        #expect(pipeline["window_s"] as? Double == 10 && pipeline["lowpass_hz"] as? Double == 6)
        let session = try #require(object["session"] as? [String: Any])
        #expect(Set(session.keys) == ["id", "path", "samples", "rows_lost", "duration_s", "failure", "imus"])
        let imus = try #require(session["imus"] as? [[String: Any]])
        #expect(imus.count == 1 && imus[0]["role"] as? String == "imu-trunk" && imus[0]["samples"] as? Int == 290
                && imus[0]["lost"] as? Int == 4, "\(imus)")
        #expect(session["rows_lost"] as? Int == 1 && (session["failure"] as? String)?.contains("No space left") == true)
    }

    @Test("no devices and no clients are empty arrays")
    func empty() throws {
        let object = try parsed(WireMessage.status(StatusReport(release: "x", uptimeSeconds: 0, pipelineRateHz: 50, devices: [], clients: [])))
        #expect((object["devices"] as? [Any])?.isEmpty == true && (object["clients"] as? [Any])?.isEmpty == true)
    }
}

private func parsed(_ line: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
}
