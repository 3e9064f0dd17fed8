import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("the plate reader batches the samples nobody waits for", .serialized)
struct ReaderBatchingTests {
    @Test("1 kHz with only METRICS at 50 Hz watched: at least 3 samples per read, and every METRICS 20 samples after the last (unless the device lost some)")
    func batchesBetweenMetrics() throws {
        let running = try SimulatedDaemon(
            simulate: ["--scenario", "quiet-stance", "--rate-hz", "1000", "--duration-s", "30", "--left-share", "0.55"],
            waitingFor: "dual-plate"
        ) { directory in ["--device", directory.appendingPathComponent("dual-plate").path, "--log-level", "warning"] }
        defer { running.stop() }

        let client = try connectWithin(seconds: 10, to: running.socketPath)
        defer { close(client) }
        try send("{\"cmd\":\"watch\",\"streams\":[\"metrics\"],\"rate_hz\":50}\n", to: client)
        var sequences: [Int] = []
        var before: Counters?
        while sequences.count < 150 {
            let line = try readLine(from: client)
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["class"] as? String == "METRICS", let sequence = object["sample_seq"] as? Int else { continue }
            sequences.append(sequence)
            if sequences.count == 25 { before = try counters(running) }
        }
        let after = try counters(running)
        let start = try #require(before)
        let samples = after.samples - start.samples, reads = after.reads - start.reads
        #expect(samples > 1500, "samples read over about 2.5 s: \(samples)")
        #expect(reads > 0 && samples >= 3 * reads, "\(samples) samples in \(reads) reads")
        // A loaded machine may starve the simulator or the reader until the terminal's buffer
        // overflows (the simulator then drops bytes, as a serial line would): each METRICS step
        // other than 20 must be matched by a gap or a bad frame the daemon counted.
        // Only METRICS after the first counters: the grid settles as the watch starts.
        let counted = sequences.dropFirst(25)
        let steps = zip(counted.dropFirst(), counted).map { $0 - $1 }
        let faults = after.faults - start.faults
        #expect(steps.filter { $0 != 20 }.count <= faults, "sample_seq steps between METRICS: \(steps.filter { $0 != 20 }), device faults counted: \(faults)")
    }

    struct Counters {
        var samples: Int, reads: Int, faults: Int
    }

    private func counters(_ running: SimulatedDaemon) throws -> Counters {
        let device = try #require((try running.status()["devices"] as? [[String: Any]])?.first)
        return Counters(samples: try #require(device["samples"] as? Int), reads: try #require(device["reads"] as? Int),
                        faults: try #require(device["gaps"] as? Int) + (try #require(device["bad_frames"] as? Int)))
    }
}
