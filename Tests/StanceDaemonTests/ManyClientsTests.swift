import Foundation
import StanceDaemon
import StanceSimulation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("many clients at 1 kHz", .serialized)
struct ManyClientsTests {
    @Test("32 clients watch METRICS at 1 kHz (asked before the stream's header raised the rate from 80 Hz); one stops reading: the other 31 get every object (or a LAG counting what they missed, at most 3 of them), the stuck one is disconnected")
    func thirtyTwoClients() throws {
        let rate = 1000.0
        var parameters = ScenarioParameters()
        parameters.staticSeconds = 4
        let device = try #require(SimulatedDevices.make(protocol: .stanceLine, scenario: .quietStance, parameters: parameters,
                                                       rateHz: rate, noise: .none).first)
        // The emulator waits rather than drop bytes when the reader is starved (a loaded machine
        // running tests in parallel): this test is about the clients, not the serial line.
        let emulator = try DeviceEmulator(configuration: .init(rateHz: rate, waitsForReader: true), preamble: device.preamble) { index in
            index < device.samples.count ? device.samples[index] : nil
        }
        // The profile says 80 Hz; the stream's header says 1 kHz. Clients ask before the header
        // arrives, and must get the full 1 kHz once it does (not the profile's rate).
        let running = try RunningPipeline(terminal: emulator.secondaryPath, rateHz: 80, lowpassHz: 10, stuckSeconds: 1)
        defer { running.stop() }

        let clients = try (0..<32).map { _ in try TestClient(path: running.socketPath) }
        let stuck = clients[0]
        // A small receive buffer, so the stuck client's socket fills in a fraction of a second.
        var small: Int32 = 4096
        setsockopt(stuck.descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        for client in clients { client.send("{\"cmd\":\"watch\",\"streams\":[\"metrics\"],\"rate_hz\":1000}\n") }
        // Stream only once the hub has taken every watch (STATUS lists them): a sample processed
        // before then has no METRICS for anyone, and would be counted against the clients.
        try waitUntilWatching(32, socketPath: running.socketPath)
        running.stream(emulator)

        // Read the 31 others until the stream ends, counting lines, and LAG objects with the
        // number of messages each reports dropped, in the raw bytes (no JSON parsing: this reader
        // must not be the bottleneck it is testing for). Lines may straddle reads.
        let readers = Array(clients.dropFirst())
        var lines = [Int](repeating: 0, count: readers.count)
        var lags = [Int](repeating: 0, count: readers.count)
        var reportedDropped = [Int](repeating: 0, count: readers.count)
        var heads = [[UInt8]](repeating: [], count: readers.count)
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        let lagHead = Array("{\"class\":\"LAG\",\"dropped\":".utf8)
        var quietSince = Date()
        // Until 5 s without a byte: a loaded machine can pause the daemon or this reader for a
        // second, which must not end the count early.
        while Date().timeIntervalSince(quietSince) < 5.0 {
            var pollers = readers.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            guard poll(&pollers, nfds_t(pollers.count), 100) > 0 else { continue }
            for (index, poller) in pollers.enumerated() where poller.revents & Int16(POLLIN) != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(readers[index].descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count > 0 else { continue }
                quietSince = Date()
                // memchr from newline to newline: a debug build's byte loop over 31 clients at
                // 1 kHz would make this reader the bottleneck on a loaded machine.
                buffer.withUnsafeBytes { raw in
                    let base = raw.baseAddress!
                    var start = 0
                    while start < count {
                        let end = memchr(base + start, 0x0A, count - start).map { UnsafeRawPointer($0) - base } ?? count
                        if heads[index].count < 40 {
                            heads[index].append(contentsOf: raw[start..<min(end, start + 40 - heads[index].count)])
                        }
                        if end < count {
                            if heads[index].starts(with: lagHead) {
                                lags[index] += 1
                                let digits = heads[index].dropFirst(lagHead.count).prefix { $0 >= 48 && $0 <= 57 }
                                reportedDropped[index] += Int(String(decoding: digits, as: UTF8.self)) ?? 0
                            } else {
                                lines[index] += 1
                            }
                            heads[index].removeAll(keepingCapacity: true)
                        }
                        start = end + 1
                    }
                }
            }
        }
        // Every line but VERSION, WATCH and LAG is a METRICS object.
        let metrics = lines.map { $0 - 2 }
        let published = running.pipeline.samplesProcessed
        #expect(published >= device.samples.count - 5, "the pipeline ran every sample: \(published) of \(device.samples.count)")
        // Nothing is lost silently: every METRICS reached each reader, or a LAG said it was dropped.
        let accounted = zip(metrics, reportedDropped).map { $0 + $1 }
        #expect(accounted.allSatisfy { $0 >= published - 5 }, "each of the 31 got or was told of every METRICS: min \(accounted.min() ?? 0) of \(published)")
        // And readers that keep up lose nothing. On a machine loaded by other tests this reader
        // can fall behind; then it must have been told (above), and the count says how often.
        let behind = lags.count { $0 > 0 }
        #expect(behind <= 3, "readers told of drops: \(behind) of 31; got \(metrics.min() ?? 0)…\(metrics.max() ?? 0) of \(published), dropped \(reportedDropped)")
        // The stuck client: disconnected by the hub after 1 s of no progress, and gone from STATUS.
        let status = try #require(readers[0].reply(to: "{\"cmd\":\"status\"}"))
        let listed = (status["clients"] as? [[String: Any]])?.count
        #expect(listed == 31, "STATUS lists \(listed ?? -1) clients")
        var byte: UInt8 = 0
        var closed = false
        while true {
            let count = recv(stuck.descriptor, &byte, 1, Int32(MSG_DONTWAIT))
            if count == 0 { closed = true; break }
            if count < 0 { break }
        }
        #expect(closed, "the stuck client's connection was closed by the daemon")
    }
}

/// Waits (up to 5 s) until STATUS lists `count` clients watching `metrics`, asking from a client
/// of its own that is gone when this returns.
private func waitUntilWatching(_ count: Int, socketPath: String) throws {
    let observer = try TestClient(path: socketPath)
    let deadline = Date().addingTimeInterval(5)
    var watching = 0
    repeat {
        let clients = observer.reply(to: "{\"cmd\":\"status\"}")?["clients"] as? [[String: Any]] ?? []
        watching = clients.count { ($0["streams"] as? [String])?.contains("metrics") == true }
    } while watching < count && Date() < deadline
    #expect(watching == count, "clients watching METRICS before the stream: \(watching)")
}
