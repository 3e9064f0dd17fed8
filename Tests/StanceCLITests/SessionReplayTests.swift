import Foundation
import StanceRecording
import Testing

@Suite("stance replay gives back a live session's recorded metrics", .serialized)
struct SessionReplayTests {
    @Test("a session recorded by stanced at 1 kHz replays bit for bit; other settings differ; the printed METRICS carry the recorded numbers")
    func replayIsBitIdentical() throws {
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "quiet-stance", "--rate-hz", "1000", "--duration-s", "40", "--left-share", "0.6"],
            waitingFor: "dual-plate"
        ) { directory in
            ["--device", directory.appendingPathComponent("dual-plate").path, "--sessions", directory.appendingPathComponent("sessions").path]
        }
        defer { running.stop() }
        #expect(try running.stance(["session", "start", "--subject", "replay"]).status == 0)
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try running.stance(["mark", "halfway"]).status == 0)
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try running.stance(["session", "stop"]).status == 0)
        let session = try #require(try FileManager.default.contentsOfDirectory(atPath: running.path("sessions")).first)
        let directory = running.path("sessions/\(session)")

        let checked = try runStance(["replay", directory, "--check"])
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.contains("bit-identical"), "\(checked.standardOutput)")

        // The check can fail: a different low-pass gives different numbers, and says where.
        let other = try runStance(["replay", directory, "--check", "--lowpass-hz", "6"])
        #expect(other.status == 1)
        #expect(other.standardError.contains("differs: metrics row 0"), "\(other.standardError)")

        // The printed METRICS: one per recorded row, each with the recorded numbers.
        let recording = try XDFReader.read(contentsOf: "\(directory)/session.xdf")
        let metrics = try #require(recording.streams.first { $0.info.name == "metrics" })
        guard case .double64(let recorded) = metrics.values else { Issue.record("metrics are not double64"); return }
        let width = metrics.info.channelCount
        #expect(metrics.sampleCount >= 200, "about 5 s at 50 Hz: \(metrics.sampleCount) rows")
        let printed = try runStance(["replay", directory, "--max"])
        #expect(printed.status == 0, "\(printed.standardError)")
        let lines = printed.standardOutput.split(separator: "\n")
        #expect(lines.count == metrics.sampleCount)
        // Numbers are compared as text: METRICS print the shortest form that reads back as the same
        // Double (Foundation's JSON parser on Linux is not exact to the last bit).
        for (row, line) in lines.enumerated() where row < metrics.sampleCount {
            #expect(line.contains("\"seq\":\(row),"), "row \(row): \(line.prefix(80))")
            #expect(line.contains("\"left\":{\"force_N\":\(recorded[row * width + 1]),"), "row \(row)")
            #expect(line.contains("\"total_N\":\(recorded[row * width + 7]),"), "row \(row)")
        }

        // gpsfake's way: stanced serves the recording on a pty as a live plate; a client watching
        // at the recorded metrics rate gets the same METRICS, line for line but for t_s.
        let socket = running.path("replay.sock")
        let replaying = Process()
        replaying.executableURL = stancedExecutable
        replaying.arguments = ["--replay", directory, "--replay-speed", "4", "--socket", socket, "--sessions", running.path("replayed")]
        replaying.standardError = Pipe()
        try replaying.run()
        defer { if replaying.isRunning { replaying.terminate() } }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(20_000) }
        let watched = try runStance(["watch", "--json", "--rate-hz", "50", "--seconds", "30", "--socket", socket])
        replaying.waitUntilExit()
        #expect(replaying.terminationStatus == 0, "stanced --replay exits when the recording ends")
        func withoutTime(_ line: Substring) -> String {
            guard let start = line.range(of: "\"t_s\":"), let comma = line[start.upperBound...].firstIndex(of: ",") else { return String(line) }
            return String(line[..<start.lowerBound] + line[line.index(after: comma)...])
        }
        let served = watched.standardOutput.split(separator: "\n").filter { $0.contains("\"class\":\"METRICS\"") }.map(withoutTime)
        let replayed = lines.map(withoutTime)
        #expect(served.count == replayed.count, "served \(served.count) METRICS, the recording holds \(replayed.count)")
        let firstDifference = zip(served, replayed).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "METRICS \(firstDifference ?? -1) differs:\n\(firstDifference.map { served[$0] } ?? "")\n\(firstDifference.map { replayed[$0] } ?? "")")
    }

    @Test("a file that is not a session: exit 2 naming it")
    func unreadableSession() throws {
        let path = try temporaryFile(named: "session.xdf", contents: "not XDF")
        let result = try runStance(["replay", path, "--max"])
        #expect(result.status == 2)
        #expect(result.standardError.contains(path), "\(result.standardError)")
        #expect(result.standardError.contains("not an XDF file"), "\(result.standardError)")
    }
}
