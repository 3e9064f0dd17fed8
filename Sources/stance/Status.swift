import ArgumentParser
import Foundation

/// `stance status`: what the daemon is reading and serving.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask stanced for its status: uptime, devices with their counters, clients."
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print the daemon's STATUS object as it came (one JSON line).")
    var json = false

    func run() throws {
        let reply = try daemon.request("status", "{\"cmd\":\"status\"}", expecting: "STATUS")
        if json {
            print(reply.line)
            return
        }
        print(Self.render(reply.object))
    }

    /// The STATUS object as lines for a terminal.
    static func render(_ status: [String: Any]) -> String {
        func number(_ value: Any?, _ format: String) -> String {
            (value as? Double).map { String(format: format, $0) } ?? "–"
        }
        var lines = ["stanced \(status["release"] as? String ?? "?"), up \(number(status["uptime_s"], "%.1f")) s, pipeline \(number(status["rate_hz"], "%g")) Hz"]
        let devices = status["devices"] as? [[String: Any]] ?? []
        lines.append("devices: \(devices.count)")
        for device in devices {
            let counters = ["samples", "bad_frames", "checksum_errors", "gaps", "bytes_discarded", "unplugs", "reads"]
                .map { "\($0) \(device[$0] as? Int ?? 0)" }.joined(separator: ", ")
            lines.append("  \(device["path"] as? String ?? "?")  \(device["state"] as? String ?? "?")  profile \(device["profile"] as? String ?? "?") (\(device["protocol"] as? String ?? "?"), role \(device["role"] as? String ?? "?"), \(number(device["rate_hz"], "%g")) Hz)")
            lines.append("    \(counters)")
        }
        let clients = status["clients"] as? [[String: Any]] ?? []
        lines.append("clients: \(clients.count); \(status["publish_drops"] as? Int ?? 0) messages dropped before reaching any client")
        for client in clients {
            let streams = (client["streams"] as? [String] ?? []).joined(separator: ",")
            lines.append("  #\(client["id"] as? Int ?? -1)  streams [\(streams)]  dropped \(client["dropped"] as? Int ?? 0) messages")
        }
        if let pipeline = status["pipeline"] as? [String: Any] {
            lines.append("pipeline: \(pipeline["processed"] as? Int ?? 0) samples processed, \(pipeline["refused"] as? Int ?? 0) refused; "
                + "sway window \(number(pipeline["window_s"], "%g")) s, low-pass \(number(pipeline["lowpass_hz"], "%g")) Hz")
        }
        if let alignment = status["alignment"] as? [String: Any] {
            let drift = alignment["drift_ppm"] as? [String: Any]
            lines.append("alignment: skew \(number(alignment["skew_ms"], "%.2f")) ms (right after left), clock drift left \(number(drift?["left"], "%+.0f")) ppm, "
                + "right \(number(drift?["right"], "%+.0f")) ppm; \(alignment["frames_paired"] as? Int ?? 0) frames paired, \(alignment["instants_skipped"] as? Int ?? 0) skipped")
        }
        if let session = status["session"] as? [String: Any] {
            var line = "session: \(session["id"] as? String ?? "?") recording, \(session["samples"] as? Int ?? 0) samples, "
                + "\(number(session["duration_s"], "%.1f")) s, \(session["rows_lost"] as? Int ?? 0) rows lost, in \(session["path"] as? String ?? "?")"
            if let failure = session["failure"] as? String { line += "\n  WRITE FAILURE: \(failure)" }
            lines.append(line)
            lines += Self.imuCountLines(session)
        } else {
            lines.append("session: none")
        }
        return lines.joined(separator: "\n")
    }

    /// `  ROLE: N samples, M lost` per IMU a SESSION object counts.
    static func imuCountLines(_ session: [String: Any]) -> [String] {
        (session["imus"] as? [[String: Any]] ?? []).map { imu in
            "  \(imu["role"] as? String ?? "?"): \(imu["samples"] as? Int ?? 0) samples, \(imu["lost"] as? Int ?? 0) lost"
        }
    }
}
