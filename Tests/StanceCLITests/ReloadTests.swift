import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("SIGHUP reloads the configuration", .serialized)
struct ReloadTests {
    @Test("a changed low-pass and window apply at SIGHUP; an invalid file is refused whole and the running values stay")
    func reload() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-reload-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("stanced.toml").path
        try "[pipeline]\nlowpass_hz = 10\nwindow_s = 30\n".write(toFile: config, atomically: true, encoding: .utf8)
        let simulator = Process()
        simulator.executableURL = stanceExecutable
        simulator.arguments = ["simulate", "--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "20", "--link-dir", directory.path]
        simulator.standardOutput = Pipe()
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        var waited = 0
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dual-plate").path), waited < 200 { usleep(20_000); waited += 1 }
        let socketPath = directory.appendingPathComponent("stance.sock").path
        let daemon = Process()
        daemon.executableURL = stancedExecutable
        daemon.arguments = ["--config", config, "--device", directory.appendingPathComponent("dual-plate").path, "--socket", socketPath,
                            "--log-level", "notice"]
        let log = Pipe()
        daemon.standardError = log
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        waited = 0
        while !FileManager.default.fileExists(atPath: socketPath), waited < 200 { usleep(20_000); waited += 1 }
        usleep(300_000)

        func pipeline() throws -> [String: Any] {
            let status = try runStance(["status", "--json", "--socket", socketPath])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
            return try #require(object["pipeline"] as? [String: Any])
        }
        #expect(try pipeline()["lowpass_hz"] as? Double == 10)
        try "[pipeline]\nlowpass_hz = 6\nwindow_s = 12\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        usleep(500_000)
        let applied = try pipeline()
        #expect(applied["lowpass_hz"] as? Double == 6 && applied["window_s"] as? Double == 12, "\(applied)")

        try "[pipeline]\nlowpass_hz = -3\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        usleep(500_000)
        let kept = try pipeline()
        #expect(kept["lowpass_hz"] as? Double == 6 && kept["window_s"] as? Double == 12, "\(kept)")

        daemon.terminate()
        daemon.waitUntilExit()
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("reload: pipeline settings applied") && text.contains("reload refused") && text.contains("\(config):2:1: pipeline.lowpass_hz"),
                "\(text)")
    }
}
