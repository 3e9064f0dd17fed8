import ArgumentParser
import Foundation

/// `stance status`: what the daemon is reading and serving.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask stanced for its status: uptime, devices with their counters, clients."
    )

    @Option(help: "The daemon's socket.")
    var socket: String = "/run/stance/stance.sock"

    @Flag(help: "Print the daemon's STATUS object as it came (one JSON line).")
    var json = false

    func run() throws {
        let reply: (line: String, object: [String: Any])
        do {
            let connection = try DaemonConnection(socketPath: socket)
            reply = try connection.request("{\"cmd\":\"status\"}", expecting: "STATUS")
        } catch let failure as DaemonConnection.Failure {
            FileHandle.standardError.write(Data("stance status: \(failure.description)\n".utf8))
            throw ExitCode(1)
        }
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
            let counters = ["samples", "bad_frames", "checksum_errors", "gaps", "bytes_discarded"]
                .map { "\($0) \(device[$0] as? Int ?? 0)" }.joined(separator: ", ")
            lines.append("  \(device["path"] as? String ?? "?")  \(device["state"] as? String ?? "?")  profile \(device["profile"] as? String ?? "?") (\(device["protocol"] as? String ?? "?"), role \(device["role"] as? String ?? "?"), \(number(device["rate_hz"], "%g")) Hz)")
            lines.append("    \(counters)")
        }
        let clients = status["clients"] as? [[String: Any]] ?? []
        lines.append("clients: \(clients.count)")
        for client in clients {
            let streams = (client["streams"] as? [String] ?? []).joined(separator: ",")
            lines.append("  #\(client["id"] as? Int ?? -1)  streams [\(streams)]  dropped \(client["dropped"] as? Int ?? 0) messages")
        }
        lines.append("session: " + ((status["session"] as? [String: Any]).map { "\($0["id"] ?? "?") recording" } ?? "none"))
        return lines.joined(separator: "\n")
    }
}
