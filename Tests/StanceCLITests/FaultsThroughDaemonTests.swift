import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("faults through the real daemon", .serialized)
struct FaultsThroughDaemonTests {
    @Test("garbage bursts, a corrupted sample and an unplug mid-stream: STATUS counts them all, METRICS go on after the replug at the set split")
    func garbageAndUnplug() throws {
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "squat", "--reps", "6", "--rep-s", "2", "--left-share", "0.58", "--rate-hz", "100",
                       "--garbage-every", "40", "--corrupt-every", "97", "--unplug-after", "250"],
            waitingFor: "dual-plate"
        ) { directory in ["--device", directory.appendingPathComponent("dual-plate").path, "--log-level", "warning"] }
        defer { running.stop() }

        // The unplug comes 2.5 s in and lasts 1 s; watch 6 s to see metrics before and after it.
        let watched = try running.stance(["watch", "--json", "--seconds", "6", "--rate-hz", "10"])
        var events: [String] = []
        var splitsAfterReplug: [Double] = []
        for line in watched.standardOutput.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if object["class"] as? String == "EVENT", let name = object["event"] as? String { events.append(name) }
            if object["class"] as? String == "METRICS", events.contains("device.reopened"), (object["total_N"] as? Double ?? 0) > 100,
               let left = object["left_pct"] as? Double {
                splitsAfterReplug.append(left)
            }
        }
        #expect(events.contains("device.unplugged") && events.contains("device.reopened"), "\(events)")
        #expect(splitsAfterReplug.count >= 15, "METRICS after the replug: \(splitsAfterReplug.count)")
        #expect(splitsAfterReplug.dropFirst(3).allSatisfy { abs($0 - 58) <= 0.5 }, "\(splitsAfterReplug.prefix(6))")

        let device = try #require((try running.status()["devices"] as? [[String: Any]])?.first)
        #expect(device["unplugs"] as? Int == 1, "\(device)")
        #expect((device["bytes_discarded"] as? Int ?? 0) > 0 && (device["bad_frames"] as? Int ?? 0) > 0, "garbage counted: \(device)")
        #expect((device["checksum_errors"] as? Int ?? 0) > 0, "corruption counted: \(device)")
        #expect(device["state"] as? String == "connected")
        let text = running.stopDaemon()
        #expect(text.contains("<4>stanced: device.unplugged"), "the unplug is logged as a warning: \(text)")
    }
}
