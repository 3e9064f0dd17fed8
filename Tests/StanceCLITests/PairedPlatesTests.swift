import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("two single plates paired by stanced (real processes)", .serialized)
struct PairedPlatesTests {
    @Test("left and right plates with their own clocks, the right 300 ppm fast, under a squat set: METRICS give the simulated 58/42 split within 0.5 points while the load swings; STATUS shows both plates, each clock's drift and the skew")
    func pairedPlates() throws {
        let running = try SimulatedDaemon(
            simulate: ["--protocol", "stance-line-pair", "--scenario", "squat", "--reps", "8", "--rep-s", "2.5",
                       "--rate-hz", "100", "--left-share", "0.58", "--clock-ppm", "0", "300"],
            waitingFor: "plate-right"
        ) { directory in
            ["--device", directory.appendingPathComponent("plate-right").path + ",role=right",
             "--device", directory.appendingPathComponent("plate-left").path + ",role=left", "--log-level", "warning"]
        }
        defer { running.stop() }

        let watched = try running.stance(["watch", "--json", "--seconds", "4.5", "--rate-hz", "10"])
        let splits = watched.standardOutput.split(separator: "\n").compactMap { line -> Double? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["class"] as? String == "METRICS", (object["total_N"] as? Double ?? 0) > 100 else { return nil }
            return object["left_pct"] as? Double
        }
        #expect(splits.count >= 30, "\(splits.count) METRICS")
        #expect(splits.dropFirst(5).allSatisfy { abs($0 - 58) <= 0.5 }, "\(splits.prefix(8))")

        let object = try running.status()
        let devices = try #require(object["devices"] as? [[String: Any]])
        #expect(devices.map { $0["role"] as? String } == ["left", "right"] && devices.allSatisfy { $0["state"] as? String == "connected" })
        let alignment = try #require(object["alignment"] as? [String: Any], "\(object)")
        let drift = try #require(alignment["drift_ppm"] as? [String: Any])
        let left = drift["left"] as? Double ?? .nan
        let right = drift["right"] as? Double ?? .nan
        #expect(abs(left) < 60 && abs(right - 300) < 60, "drift left \(left) ppm, right \(right) ppm (set 0 and 300)")
        let skew = alignment["skew_ms"] as? Double ?? .nan
        #expect(abs(skew) <= 5, "skew \(skew) ms, within half the 10 ms period")
        #expect((alignment["frames_paired"] as? Int ?? 0) > 300, "\(alignment)")

        let table = try running.stance(["status"])
        #expect(table.standardOutput.contains("alignment:"), "\(table.standardOutput)")
    }
}
