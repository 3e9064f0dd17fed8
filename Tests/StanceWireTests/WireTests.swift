import Foundation
import StanceDSP
import StanceWire
import Testing

private func object(_ line: [UInt8]) throws -> [String: Any] {
    #expect(line.last == UInt8(ascii: "\n") && line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") }, "one line")
    return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
}

private func request(_ text: String) -> Result<WireRequest, WireError> { WireRequest.parse(Array(text.utf8)) }

@Suite("StanceWire: framing")
struct LineFramerTests {
    @Test("lines come out whole whatever the chunking; CRLF accepted; empty lines skipped")
    func chunking() {
        let text = Array("{\"cmd\":\"status\"}\r\n\n{\"cmd\":\"tare\"}\n{\"cmd\":".utf8)
        for split in 0...text.count {
            var framer = LineFramer()
            var items: [LineFramer.Item] = []
            text[..<split].withUnsafeBytes { framer.push($0) { items.append($0) } }
            text[split...].withUnsafeBytes { framer.push($0) { items.append($0) } }
            #expect(items == [.line(Array("{\"cmd\":\"status\"}".utf8)), .line(Array("{\"cmd\":\"tare\"}".utf8))], "split at \(split)")
        }
    }

    @Test("a line over 4096 bytes is dropped to its newline and reported; the next line is read")
    func oversize() {
        var framer = LineFramer()
        var items: [LineFramer.Item] = []
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 5000) + Array("\n{\"cmd\":\"status\"}\n".utf8)
        long.withUnsafeBytes { framer.push($0) { items.append($0) } }
        #expect(items == [.oversize(5000), .line(Array("{\"cmd\":\"status\"}".utf8))])
    }
}

@Suite("StanceWire: requests")
struct WireRequestTests {
    @Test("every command parses")
    func commands() throws {
        #expect(try request(#"{"cmd":"watch","streams":["metrics","events","samples"],"rate_hz":50}"#).get()
                == .watch(streams: [.metrics, .events, .samples], rateHz: 50))
        #expect(try request(#"{"cmd":"watch","streams":[]}"#).get() == .watch(streams: [], rateHz: nil))
        #expect(try request(#"{"cmd":"watch"}"#).get() == .watch(streams: [.metrics], rateHz: nil))
        #expect(try request(#"{"cmd":"status"}"#).get() == .status)
        #expect(try request(#"{"cmd":"tare"}"#).get() == .tare)
        #expect(try request(#"{"cmd":"session.start","subject":"S01","exercise":"squat","body_mass_kg":72.5,"notes":"left knee"}"#).get()
                == .sessionStart(subject: "S01", exercise: "squat", bodyMassKilograms: 72.5, notes: "left knee"))
        #expect(try request(#"{"cmd":"session.stop"}"#).get() == .sessionStop)
        #expect(try request(#"{"cmd":"mark","label":"rep 3"}"#).get() == .mark(label: "rep 3"))
        #expect(try request(#"{"cmd":"config","window_s":10,"lowpass_hz":6}"#).get() == .config(windowSeconds: 10, lowpassHz: 6))
    }

    @Test("bad requests get an ERROR naming the command and the reason", arguments: [
        ("not json", nil, "not a JSON object"),
        ("[1,2]", nil, "not a JSON object"),
        (#"{"command":"status"}"#, nil, "no \"cmd\" string"),
        (#"{"cmd":"fly"}"#, "fly", "unknown command"),
        (#"{"cmd":"watch","streams":["video"]}"#, "watch", "unknown stream \"video\""),
        (#"{"cmd":"watch","rate_hz":-5}"#, "watch", "rate_hz must be positive"),
        (#"{"cmd":"watch","streams":"metrics"}"#, "watch", "\"streams\" must be an array of strings"),
        (#"{"cmd":"mark"}"#, "mark", "mark needs a non-empty \"label\""),
        (#"{"cmd":"session.start","body_mass_kg":"heavy"}"#, "session.start", "\"body_mass_kg\" must be a number"),
        (#"{"cmd":"config"}"#, "config", "config needs window_s or lowpass_hz"),
    ] as [(String, String?, String)])
    func errors(text: String, cmd: String?, message: String) throws {
        guard case .failure(let error) = request(text) else {
            Issue.record("\(text) should be refused")
            return
        }
        #expect(error.cmd == cmd)
        #expect(error.message.hasPrefix(message), "\(error.message)")
        let reply = try object(WireMessage.error(error))
        #expect(reply["class"] as? String == "ERROR" && reply["message"] as? String == error.message)
        #expect((reply["cmd"] as? String) == cmd)
    }
}

@Suite("StanceWire: messages")
struct WireMessageTests {
    @Test("VERSION, WATCH, LAG and CONFIG are one JSON object per line with a class")
    func simpleMessages() throws {
        let version = try object(WireMessage.version(release: "0.1.0"))
        #expect(version["class"] as? String == "VERSION" && version["proto"] as? Int == 1 && version["release"] as? String == "0.1.0")
        let watch = try object(WireMessage.watch(streams: [.metrics, .events], rateHz: 50))
        #expect(watch["streams"] as? [String] == ["metrics", "events"] && watch["rate_hz"] as? Double == 50)
        #expect(try object(WireMessage.lag(dropped: 17))["dropped"] as? Int == 17)
        #expect(try object(WireMessage.config(windowSeconds: 10, lowpassHz: 6))["class"] as? String == "CONFIG")
    }

    @Test("strings are escaped: quotes, backslashes, newlines and control characters")
    func escaping() throws {
        let reply = try object(WireMessage.error(WireError(cmd: "mark", message: "a \"quoted\"\\path\nnext\u{01}")))
        #expect(reply["message"] as? String == "a \"quoted\"\\path\nnext\u{01}")
    }

    @Test("METRICS carries the analyze names, mm and %, nulls for what is undefined, never NaN")
    func metrics() throws {
        let layout = DualPlateLayout()
        let reading = layout.reading(cellForcesNewtons: SIMD8(lowHalf: SIMD4(110, 110, 110, 110), highHalf: SIMD4(2, 1, 1, 1)))
        var window = SlidingSwayWindow(capacity: 100, rateHz: 100)
        for n in 0..<50 { window.push(SIMD2(Double(n % 7) * 1e-3, Double(n % 5) * 1e-3)) }
        let snapshot = MetricsSnapshot(timeSeconds: 12.5, sequence: 3, reading: reading, windowSeconds: 1,
                                       leftSway: window.metrics, rightSway: nil, combinedSway: window.metrics)
        let metrics = try object(WireMessage.metrics(snapshot))
        #expect(metrics["class"] as? String == "METRICS" && metrics["seq"] as? Int == 3 && metrics["t_s"] as? Double == 12.5)
        let left = try #require(metrics["left"] as? [String: Any])
        #expect(left["force_N"] as? Double == 440 && (left["cop_mm"] as? [Double]) == [0, 0])
        let right = try #require(metrics["right"] as? [String: Any])
        #expect(right["cop_mm"] is NSNull, "5 N on the right plate: below the COP threshold")
        #expect(abs((metrics["left_pct"] as? Double ?? 0) - 100 * 440 / 445) < 1e-9)
        #expect(abs((metrics["weight_shift_mm"] as? Double ?? 0) + 225) < 1e-9, "combined COP is the left plate's centre")
        let sway = try #require(metrics["sway"] as? [String: Any])
        #expect(sway["right"] is NSNull)
        let leftSway = try #require(sway["left"] as? [String: Any])
        #expect(Set(leftSway.keys) == ["path_length_mm", "mean_velocity_mm_s", "mean_distance_mm", "rms_distance_mm",
                                       "range_ml_mm", "range_ap_mm", "ellipse95_area_mm2", "mean_frequency_hz"])
        let asymmetry = try #require(metrics["asymmetry"] as? [String: Any])
        #expect((asymmetry["force"] as? [String: Any])?["dominant"] as? String == "left")
        #expect(asymmetry["sway_path"] is NSNull && asymmetry["sway_area"] is NSNull)
    }
}
