import Foundation
import StanceRecording
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("a session survives kill -9", .serialized)
struct SessionKillTests {
    @Test("stanced killed (SIGKILL) 3 s into a session: session.xdf reads back, both plates up to within 1 s of the kill, nothing damaged")
    func killedDaemonLeavesAReadableFile() throws {
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "40", "--left-share", "0.55"],
            waitingFor: "dual-plate"
        ) { directory in
            ["--device", directory.appendingPathComponent("dual-plate").path, "--sessions", directory.appendingPathComponent("sessions").path]
        }
        defer { running.stop() }
        let started = try running.stance(["session", "start", "--subject", "kill-9"])
        #expect(started.status == 0, "\(started.standardError)")
        Thread.sleep(forTimeInterval: 3)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let killedAt = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        #expect(kill(running.processIdentifier, SIGKILL) == 0)
        _ = running.stopDaemon()

        let sessions = try FileManager.default.contentsOfDirectory(atPath: running.path("sessions"))
        let session = try #require(sessions.first, "no session directory")
        let recording = try XDFReader.read(contentsOf: running.path("sessions/\(session)/session.xdf"))
        // Killed between chunks or inside one: either way no chunk before the end is damaged.
        #expect(recording.problems.allSatisfy { if case .truncated = $0 { true } else { false } }, "\(recording.problems)")
        let plates = recording.streams.filter { $0.info.name.hasSuffix("plate") }
        #expect(plates.count == 2 && recording.streams.count == 5, "\(recording.streams.map(\.info.name))")
        for plate in plates {
            let last = try #require(plate.timestamps.last, "\(plate.info.name): no samples")
            #expect(plate.timestamps.count >= 250, "\(plate.info.name): \(plate.timestamps.count) samples in about 3 s at 100 Hz")
            #expect(killedAt - last <= 1.0, "\(plate.info.name): the last sample is \(killedAt - last) s before the kill")
            #expect(plate.footer == nil, "no footer: the daemon never reached the stop")
        }
    }
}
