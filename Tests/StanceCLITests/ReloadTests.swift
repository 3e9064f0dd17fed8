import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("SIGHUP reloads the configuration", .serialized)
struct ReloadTests {
    @Test("a changed low-pass and window apply at SIGHUP; an invalid file is refused whole and the running values stay")
    func reload() throws {
        var config = ""
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "20"], waitingFor: "dual-plate"
        ) { directory in
            config = directory.appendingPathComponent("stanced.toml").path
            try "[pipeline]\nlowpass_hz = 10\nwindow_s = 30\n".write(toFile: config, atomically: true, encoding: .utf8)
            return ["--config", config, "--device", directory.appendingPathComponent("dual-plate").path, "--log-level", "notice"]
        }
        defer { running.stop() }
        usleep(300_000)

        func pipeline() throws -> [String: Any] {
            try #require(try running.status()["pipeline"] as? [String: Any])
        }
        #expect(try pipeline()["lowpass_hz"] as? Double == 10)
        try "[pipeline]\nlowpass_hz = 6\nwindow_s = 12\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(running.processIdentifier, SIGHUP)
        usleep(500_000)
        let applied = try pipeline()
        #expect(applied["lowpass_hz"] as? Double == 6 && applied["window_s"] as? Double == 12, "\(applied)")

        try "[pipeline]\nlowpass_hz = -3\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(running.processIdentifier, SIGHUP)
        usleep(500_000)
        let kept = try pipeline()
        #expect(kept["lowpass_hz"] as? Double == 6 && kept["window_s"] as? Double == 12, "\(kept)")

        let text = running.stopDaemon()
        #expect(text.contains("reload: pipeline settings applied") && text.contains("reload refused") && text.contains("\(config):2:1: pipeline.lowpass_hz"),
                "\(text)")
    }
}
