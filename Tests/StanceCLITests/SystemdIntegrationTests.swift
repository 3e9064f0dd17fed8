import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket.
private final class NotifyListener {
    let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let bound = withSocketAddress(path) { bind(descriptor, $0, $1) }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    /// Datagrams arriving within `seconds`, or until one satisfies `until`.
    func receive(for seconds: Double, until: (String) -> Bool = { _ in false }) -> [String] {
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count >= 0 else { continue }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            messages.append(message)
            if until(message) { break }
        }
        return messages
    }
}

@Suite("stanced under systemd's protocols: socket activation, readiness, watchdog, reload, stop", .serialized)
struct SystemdIntegrationTests {
    @Test("systemd-socket-activate passes the socket; READY=1 after start, WATCHDOG=1 from the pipeline, RELOADING/READY on SIGHUP, STOPPING=1 and exit 0 on SIGTERM; the passed socket file stays")
    func socketActivation() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        guard FileManager.default.isExecutableFile(atPath: activate) else {
            Issue.record("\(activate) is missing: install the systemd package (CI does)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-systemd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let notify = try NotifyListener(path: directory.appendingPathComponent("notify").path)

        let simulator = Process()
        simulator.executableURL = stanceExecutable
        simulator.arguments = ["simulate", "--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "20", "--link-dir", directory.path]
        let announced = Pipe()
        simulator.standardOutput = announced
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        _ = announced.fileHandleForReading.availableData

        let socketPath = directory.appendingPathComponent("stance.sock").path
        let unusedPath = directory.appendingPathComponent("not-bound.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: activate)
        daemon.arguments = ["-l", socketPath, "--fdname=stance.sock", "-E", "NOTIFY_SOCKET=\(notify.path)", "-E", "WATCHDOG_USEC=1000000",
                            stancedExecutable.path, "--device", directory.appendingPathComponent("dual-plate").path,
                            "--socket", unusedPath, "--sessions", directory.appendingPathComponent("sessions").path, "--log-level", "notice"]
        let log = Pipe()
        daemon.standardError = log
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }

        // systemd-socket-activate starts the daemon at the first connection.
        var waited = 0
        while !FileManager.default.fileExists(atPath: socketPath), waited < 200 { usleep(20_000); waited += 1 }
        let client = try connectWithin(seconds: 0, to: socketPath)
        defer { close(client) }
        #expect(try readLine(from: client).contains("\"class\":\"VERSION\""))
        let start = notify.receive(for: 10) { $0.hasPrefix("READY=1") }
        #expect(start.last?.hasPrefix("READY=1") == true, "\(start)")

        let pings = notify.receive(for: 2).filter { $0 == "WATCHDOG=1" }.count
        #expect((2...5).contains(pings), "WATCHDOG_USEC=1 s: a ping at most every 0.5 s, so about 4 in 2 s; got \(pings)")

        kill(daemon.processIdentifier, SIGHUP)
        let reload = notify.receive(for: 5) { $0.hasPrefix("READY=1") }.filter { $0 != "WATCHDOG=1" }
        #expect(reload.first?.hasPrefix("RELOADING=1") == true && reload.last?.hasPrefix("READY=1") == true, "\(reload)")

        daemon.terminate()
        daemon.waitUntilExit()
        let stop = notify.receive(for: 1).filter { $0 != "WATCHDOG=1" }
        #expect(stop.contains("STOPPING=1"), "\(stop)")
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: socketPath), "the socket systemd passed belongs to systemd: stanced must not remove it")
        #expect(!FileManager.default.fileExists(atPath: unusedPath), "--socket is not bound when systemd passes one")
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("socket passed by systemd") && text.contains("<5>stanced: reloaded"), "\(text)")
    }

    @Test("a bad configuration file stops start-up with exit 78, naming the file, line, column and key")
    func badConfiguration() throws {
        let path = try temporaryFile(named: "stanced.toml", contents: "# test\n[pipeline]\nwindow_s = 0\n")
        let daemon = Process()
        daemon.executableURL = stancedExecutable
        daemon.arguments = ["--config", path, "--socket", "/tmp/stanced-never-\(getpid()).sock"]
        let errors = Pipe()
        daemon.standardError = errors
        try daemon.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 78)
        #expect(text.contains("\(path):3:1: pipeline.window_s: 0.0 s is out of range"), "\(text)")
    }
}
