import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `stanced` executable built beside this test bundle.
let stancedExecutable = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("stanced")

/// Real processes end to end: `stance simulate` on a pseudo-terminal, `stanced` reading it, a client on the Unix socket.
@Suite("stanced (the real binary)", .serialized)
struct StancedProcessTests {
    @Test("a simulated dual plate through stanced: METRICS carry the body weight and the split that were set; STATUS counts the samples; SIGTERM removes the socket")
    func servesSimulatedPlate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stanced-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let simulator = Process()
        simulator.executableURL = stanceExecutable
        simulator.arguments = ["simulate", "--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "20",
                               "--left-share", "0.6", "--body-mass-kg", "80", "--link-dir", directory.path]
        let simulatorOutput = Pipe()
        simulator.standardOutput = simulatorOutput
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        _ = try readLine(from: simulatorOutput.fileHandleForReading)   // "dual-plate /dev/pts/N <link>": the terminal exists now.

        let socketPath = directory.appendingPathComponent("stance.sock").path
        let daemon = Process()
        daemon.executableURL = stancedExecutable
        daemon.arguments = ["--device", directory.appendingPathComponent("dual-plate").path, "--socket", socketPath]
        let daemonErrors = Pipe()
        daemon.standardError = daemonErrors
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }

        let client = try connectWithin(seconds: 10, to: socketPath)
        defer { close(client) }
        #expect(try readLine(from: client).contains("\"class\":\"VERSION\""))
        try send("{\"cmd\":\"watch\",\"rate_hz\":5}\n", to: client)
        var metrics: [[String: Any]] = []
        while metrics.count < 6 {
            let line = try readLine(from: client)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if object["class"] as? String == "METRICS" { metrics.append(object) }
        }
        let weightNewtons = 80 * 9.80665
        for object in metrics.dropFirst(2) {
            let total = try #require(object["total_N"] as? Double)
            let leftPercent = try #require(object["left_pct"] as? Double)
            #expect(abs(total - weightNewtons) / weightNewtons < 0.02, "total \(total) N against \(weightNewtons) N")
            #expect(abs(leftPercent - 60) < 3, "left \(leftPercent) %")
        }
        try send("{\"cmd\":\"status\"}\n", to: client)
        var status: [String: Any] = [:]
        while status["class"] as? String != "STATUS" {
            status = try #require(try JSONSerialization.jsonObject(with: Data(try readLine(from: client).utf8)) as? [String: Any])
        }
        let device = try #require((status["devices"] as? [[String: Any]])?.first)
        #expect(device["path"] as? String == directory.appendingPathComponent("dual-plate").path)
        #expect(device["state"] as? String == "connected" && device["profile"] as? String == "arduino-hx711-plate")
        // The profile says 80 Hz; the stream's header says 100 Hz, and the header wins.
        #expect(status["rate_hz"] as? Double == 100 && device["rate_hz"] as? Double == 100, "\(status)")
        #expect((device["samples"] as? Int ?? 0) >= 40 && device["bad_frames"] as? Int == 0, "\(device)")
        #expect((status["clients"] as? [[String: Any]])?.count == 1 && (status["uptime_s"] as? Double ?? 0) > 0.5)
        #expect(status["publish_drops"] as? Int == 0, "\(status)")

        try send("{\"cmd\":\"tare\"}\n", to: client)
        var reply = ""
        while !reply.contains("\"class\":\"ERROR\"") { reply = try readLine(from: client) }
        #expect(reply.contains("\"cmd\":\"tare\""))

        let table = try runStance(["status", "--socket", socketPath])
        #expect(table.status == 0 && table.standardOutput.contains("dual-plate  connected") && table.standardOutput.contains("clients: 2"),
                "\(table.standardOutput)\(table.standardError)")
        let json = try runStance(["status", "--socket", socketPath, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["class"] as? String == "STATUS" && (object["devices"] as? [Any])?.count == 1)

        daemon.terminate()   // SIGTERM
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socketPath), "the socket outlived the daemon")
        let log = String(decoding: daemonErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("<5>stanced: serving") && log.contains("<5>stanced: stopped"), "\(log)")
    }

    @Test("stance status with no daemon names the socket and exits 1")
    func statusWithoutDaemon() throws {
        let path = "/tmp/stance-no-daemon-\(getpid()).sock"
        let result = try runStance(["status", "--socket", path])
        #expect(result.status == 1 && result.standardError.contains(path) && result.standardError.contains("stanced is not running"), "\(result.standardError)")
    }

    @Test("a leading --socket (stance --socket PATH status) reaches the command, as --socket after it does")
    func leadingSocketOption() throws {
        let path = "/tmp/stance-leading-\(getpid()).sock"
        for arguments in [["--socket", path, "status"], ["--socket=\(path)", "status"], ["status", "--socket", path]] {
            let result = try runStance(arguments)
            #expect(result.status == 1 && result.standardError.contains(path), "\(arguments): \(result.standardError)")
        }
    }

    @Test("an unknown profile is refused before anything is opened, naming the profile and the known ones")
    func unknownProfile() throws {
        let daemon = Process()
        daemon.executableURL = stancedExecutable
        daemon.arguments = ["--device", "/dev/null,profile=no-such-plate", "--socket", "/tmp/stanced-never-\(getpid()).sock"]
        let errors = Pipe()
        daemon.standardError = errors
        try daemon.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus != 0)
        #expect(text.contains("no-such-plate") && text.contains("arduino-hx711-plate"), "\(text)")
    }
}
