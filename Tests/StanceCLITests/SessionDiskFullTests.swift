import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("a session on a full disk", .serialized)
struct SessionDiskFullTests {
    @Test("the disk fills mid-session (a 64 kB tmpfs): the session ends with a session.failed EVENT naming ENOSPC and an error in the log; METRICS go on")
    func fullDiskEndsTheSession() throws {
        var mounted: String?
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "40", "--left-share", "0.6"],
            waitingFor: "dual-plate"
        ) { directory in
            let sessions = directory.appendingPathComponent("sessions").path
            try FileManager.default.createDirectory(atPath: sessions, withIntermediateDirectories: true)
            // A real file system that fills up: tmpfs needs root (CI runs as root).
            guard mount("tmpfs", sessions, "tmpfs", 0, "size=64k,mode=0755") == 0 else {
                throw MountFailure(reason: "mount tmpfs on \(sessions): \(String(cString: strerror(errno))) (this test needs root)")
            }
            mounted = sessions
            return ["--device", directory.appendingPathComponent("dual-plate").path, "--sessions", sessions, "--log-level", "notice"]
        }
        defer {
            running.stop()
            if let mounted { umount2(mounted, Int32(MNT_DETACH)) }
        }

        let client = try connectWithin(seconds: 10, to: running.socketPath)
        defer { close(client) }
        try send("{\"cmd\":\"watch\",\"streams\":[\"metrics\",\"events\"],\"rate_hz\":10}\n", to: client)
        let started = try running.stance(["session", "start", "--subject", "disk-full"])
        #expect(started.status == 0, "\(started.standardOutput)\(started.standardError)")

        var failure: [String: Any]?
        var metricsAfter = 0
        let deadline = Date().addingTimeInterval(30)
        while metricsAfter < 15, Date() < deadline {
            let line = try readLine(from: client)
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if object["class"] as? String == "EVENT", object["event"] as? String == "session.failed" { failure = object }
            if failure != nil, object["class"] as? String == "METRICS", (object["total_N"] as? Double ?? 0) > 100 { metricsAfter += 1 }
        }
        let event = try #require(failure, "no session.failed EVENT within 30 s")
        let reason = event["reason"] as? String ?? ""
        #expect(reason.contains("No space left on device") && reason.contains("/sessions/"), "reason: \(reason)")
        #expect(metricsAfter >= 15, "METRICS after the failure: \(metricsAfter)")

        let status = try running.status()
        #expect(status["session"] is NSNull, "no session after the failure: \(status["session"] ?? "?")")
        let stopped = try running.stance(["session", "stop"])
        #expect(stopped.status != 0 && stopped.standardError.contains("no session"), "\(stopped.standardOutput)\(stopped.standardError)")
        let log = running.stopDaemon()
        #expect(log.contains("<3>stanced: session.failed") && log.contains("No space left on device"), "\(log)")
    }

    struct MountFailure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
