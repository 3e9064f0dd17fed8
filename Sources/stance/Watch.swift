import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `stance watch`: the live view of the daemon's metrics.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch live per-leg force, weight shift, sway and asymmetry.",
        discussion: """
        On a terminal the view refreshes in place; when standard output is a file or a pipe, one line per METRICS \
        or IMU_METRICS object is printed. With --json every object the daemon sends (METRICS, EVENT, and SAMPLE or IMU with \
        --samples) is printed as it came, one per line, like gpspipe -w. Ends after --seconds, or with Ctrl-C; \
        exit status 1 when the daemon goes away.
        """
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print the daemon's objects as they come (one JSON object per line).")
    var json = false

    @Option(name: .customLong("rate-hz"), help: "METRICS per second, Hz (default 10 on a terminal, 50 otherwise; at most the pipeline's rate).")
    var rateHz: Double?

    @Flag(help: "Also watch every calibrated sample (with --json).")
    var samples = false

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var seconds: Double?

    func validate() throws {
        if let rateHz, !(rateHz > 0 && rateHz <= 10_000) { throw ValidationError("--rate-hz must be in (0, 10000] Hz, got \(rateHz)") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive, got \(seconds)") }
        if samples, !json { throw ValidationError("--samples needs --json (the live view shows metrics)") }
    }

    func run() throws {
        let terminal = isatty(STDOUT_FILENO) == 1 && !json
        let rate = rateHz ?? (terminal ? 10 : 50)
        let connection = try daemon.connect(for: "watch")
        let streams = samples ? "[\"metrics\",\"events\",\"samples\"]" : "[\"metrics\",\"events\"]"
        let status: [String: Any]
        let echo: [String: Any]
        do {
            status = try connection.request("{\"cmd\":\"status\"}", expecting: "STATUS").object
            echo = try connection.request("{\"cmd\":\"watch\",\"streams\":\(streams),\"rate_hz\":\(rate)}", expecting: "WATCH").object
        } catch let failure as DaemonConnection.Failure {
            throw daemon.fail("watch", failure.description)
        }
        let device = (status["devices"] as? [[String: Any]])?.first
        let header = "stanced \(status["release"] as? String ?? "?") · \(device?["path"] as? String ?? "no device") · "
            + "\(status["rate_hz"] as? Double ?? 0) Hz · view \(echo["rate_hz"] as? Double ?? rate) Hz · Ctrl-C quits"
        var view = LiveView()
        var platesSeen = false
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        if terminal { Self.write("\u{1B}[2J") }
        while deadline.map({ Date() < $0 }) ?? true {
            let received: String?
            do {
                received = try connection.nextLineIfAny(timeoutSeconds: max(min(deadline?.timeIntervalSinceNow ?? 1, 1), 0.001))
            } catch let failure as DaemonConnection.Failure {
                throw daemon.fail("watch", failure.description)
            }
            guard let line = received else { continue }
            if json {
                Self.write(line + "\n")
                continue
            }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            switch object["class"] as? String {
            case "METRICS":
                platesSeen = true
                if terminal {
                    Self.draw(view.frame(object, header: header))
                } else {
                    Self.write(view.line(object) + "\n")
                }
            case "IMU_METRICS":
                view.lastImuMetrics = object
                if terminal {
                    // With plates, the next METRICS redraws; without, this one does.
                    if !platesSeen { Self.draw(view.frame(nil, header: header)) }
                } else {
                    Self.write(view.imuLine(object) + "\n")
                }
            case "EVENT":
                let text = "\(object["event"] as? String ?? "?") \(Self.describe(event: object)) at \(String(format: "%.2f", object["t_s"] as? Double ?? 0)) s"
                view.lastEvent = text
                if !terminal { Self.write("event: \(text)\n") }
            case "LAG":
                view.lastEvent = "this view fell behind: \(object["dropped"] as? Int ?? 0) messages dropped"
            default:
                continue
            }
        }
        if terminal { Self.write("\n") }
    }

    /// Home, the frame with each line's rest cleared, then the rest of the screen cleared.
    static func draw(_ frame: String) {
        write("\u{1B}[H" + frame.replacingOccurrences(of: "\n", with: "\u{1B}[K\n") + "\u{1B}[K\u{1B}[J")
    }

    /// Straight to standard output, unbuffered: a pipe reader sees each line as it is made.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// An EVENT's particulars in a few words.
    static func describe(event: [String: Any]) -> String {
        ["device", "label", "id", "path", "missing", "gap_s", "reason"].compactMap { key in
            event[key].flatMap { $0 is NSNull ? nil : "\(key) \($0)" }
        }.joined(separator: ", ")
    }
}
