import Foundation
import StanceRecording
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("stance watch, tare, session and mark against a real stanced", .serialized)
struct ClientCommandsTests {
    @Test("a recorded squat set: watch prints plain lines at the set 58/42 split, mark lands in the session, stop prints the path and its analysis")
    func recordSession() throws {
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "squat", "--reps", "10", "--rep-s", "3", "--left-share", "0.58", "--rate-hz", "100"],
            waitingFor: "dual-plate"
        ) { directory in
            ["--device", directory.appendingPathComponent("dual-plate").path, "--sessions", directory.appendingPathComponent("sessions").path,
             "--log-level", "warning"]
        }
        defer { running.stop() }
        let sessionsPath = running.path("sessions")
        let started = try running.stance(["session", "start", "--subject", "S01", "--exercise", "squat", "--body-mass-kg", "75"])
        #expect(started.status == 0 && started.standardOutput.hasPrefix("recording session "), "\(started.standardOutput)\(started.standardError)")

        let watched = try running.stance(["watch", "--seconds", "1.6", "--rate-hz", "4"])
        #expect(watched.status == 0, "\(watched.standardError)")
        let lines = watched.standardOutput.split(separator: "\n").filter { $0.hasPrefix("t ") }
        #expect((4...8).contains(lines.count), "about 4 lines a second for 1.6 s: \(lines.count)")
        for line in lines {
            // "t 1.03 s  L 474.4 N 58.0 %  R 343.3 N 42.0 % …"
            let fields = line.split(separator: " ")
            let left = fields.firstIndex(of: "L").flatMap { Double(fields[$0 + 3]) }
            #expect(left.map { abs($0 - 58) <= 0.5 } == true, "\(line)")
        }

        let marked = try running.stance(["mark", "rep 2, knee valgus"])
        #expect(marked.status == 0 && marked.standardOutput.contains("in session "), "\(marked.standardOutput)\(marked.standardError)")

        let json = try running.stance(["watch", "--json", "--seconds", "0.6", "--rate-hz", "10"])
        let objects = json.standardOutput.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count >= 4 && objects.allSatisfy { $0?["class"] is String }, "\(json.standardOutput.prefix(300))")

        let tare = try running.stance(["tare"])
        #expect(tare.status == 1 && tare.standardError.contains("tare refused: cell"), "someone is on the plates: \(tare.standardError)")

        let stopped = try running.stance(["session", "stop"])
        #expect(stopped.status == 0, "\(stopped.standardError)")
        #expect(stopped.standardOutput.contains("stopped:") && stopped.standardOutput.contains("Weight distribution (%)"), "\(stopped.standardOutput)")
        let distribution = stopped.standardOutput.split(separator: "\n").first { $0.hasPrefix("Weight distribution") }
        let leftPercent = distribution.flatMap { $0.split(separator: " ").dropLast().last.flatMap { Double($0) } }
        #expect(leftPercent.map { abs($0 - 58) <= 0.5 } == true, "\(distribution ?? "no distribution row")")
        let sessions = try FileManager.default.contentsOfDirectory(atPath: sessionsPath)
        #expect(sessions.count == 1)
        let file = try XDFReader.read(contentsOf: "\(sessionsPath)/\(sessions[0])/session.xdf")
        guard case .string(let markers)? = file.streams.first(where: { $0.info.name == "markers" })?.values else {
            Issue.record("no markers stream")
            return
        }
        #expect(markers.contains("mark: rep 2, knee valgus"), "\(markers)")
    }

    // As root, open the socket to root only, then ask as the unprivileged user "nobody".
    @Test("a socket the user may not open: the message names the socket and the group to join",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func permissionDenied() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-perm-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stance.sock").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        let bound = withSocketAddress(path) { bind(listener, $0, $1) }
        #expect(bound == 0 && listen(listener, 1) == 0 && chmod(path, 0o600) == 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", stanceExecutable.path, "status", "--socket", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains(path) && text.contains("Permission denied") && text.contains("group 'stance'"), "\(text)")
    }
}
