import Foundation
import Logging
import StanceDaemon
import StanceWire
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A count shared with a reader thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// A test client on a real Unix socket.
final class TestClient: @unchecked Sendable {
    let descriptor: Int32
    private var pending: [UInt8] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The next line as a JSON object, or nil after `timeout` seconds or at the end of the stream.
    func nextObject(timeout: Double = 5) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            pending += buffer[0..<count]
        }
        return nil
    }
}

private func startHub(queueLimit: Int = 1024, stuckSeconds: Double = 10) throws -> (ClientHub, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stance-\(UUID().uuidString.prefix(8)).sock").path
    let hub = try ClientHub(socketPath: path, release: "test", maximumRateHz: 1000, queueLimit: queueLimit, stuckSeconds: stuckSeconds,
                            logger: Logger(label: "test")) { request in
        WireMessage.error(WireError(cmd: "\(request)", message: "not in this test"))
    }
    Thread { hub.run() }.start()
    return (hub, path)
}

private func metrics(_ sequence: Int, padding: Int = 0) -> ClientHub.Outbound {
    let text = "{\"class\":\"METRICS\",\"seq\":\(sequence),\"pad\":\"\(String(repeating: "x", count: padding))\"}\n"
    return ClientHub.Outbound(stream: .metrics, timeSeconds: Double(sequence) / 1000, bytes: Array(text.utf8))
}

@Suite("the client hub on a real Unix socket", .serialized)
struct ClientHubTests {
    @Test("VERSION on connect; bad requests get ERROR and the connection stays; watch, then METRICS")
    func conversation() throws {
        let (hub, path) = try startHub()
        defer { hub.stop() }
        let client = try TestClient(path: path)
        #expect(client.nextObject()?["class"] as? String == "VERSION")
        client.send("this is not json\n")
        #expect(client.nextObject()?["class"] as? String == "ERROR")
        client.send(String(repeating: "y", count: 5000) + "\n")
        #expect((client.nextObject()?["message"] as? String)?.contains("4096-byte limit") == true)
        client.send("{\"cmd\":\"watch\",\"streams\":[\"metrics\"],\"rate_hz\":1000}\n")
        let echo = client.nextObject()
        #expect(echo?["class"] as? String == "WATCH" && echo?["rate_hz"] as? Double == 1000)
        Thread.sleep(forTimeInterval: 0.05)
        for sequence in 0..<20 { hub.publish(metrics(sequence)) }
        let received = (0..<20).compactMap { _ in client.nextObject()?["seq"] as? Int }
        #expect(received == Array(0..<20))
    }

    @Test("rate_hz decimates METRICS on an even grid: 1 kHz published, every 10th delivered, the first interval too")
    func decimation() throws {
        let (hub, path) = try startHub()
        defer { hub.stop() }
        let client = try TestClient(path: path)
        _ = client.nextObject()
        client.send("{\"cmd\":\"watch\",\"rate_hz\":100}\n")
        _ = client.nextObject()
        Thread.sleep(forTimeInterval: 0.05)
        for sequence in 0..<1000 { hub.publish(metrics(sequence)) }
        var received: [Int] = []
        while let object = client.nextObject(timeout: 0.5), let sequence = object["seq"] as? Int { received.append(sequence) }
        #expect(received.count == 100, "\(received.count) in 1 s of 1 kHz at 100 Hz")
        let intervals = Set(zip(received, received.dropFirst()).map { $1 - $0 })
        #expect(intervals == [10], "intervals between delivered samples: \(intervals.sorted())")
    }

    @Test("a client that stops reading: its messages are dropped and counted, LAG when it reads again, others unaffected")
    func slowClient() throws {
        let (hub, path) = try startHub(queueLimit: 256, stuckSeconds: 120)
        defer { hub.stop() }
        let slow = try TestClient(path: path)
        let fast = try TestClient(path: path)
        for client in [slow, fast] {
            _ = client.nextObject()
            client.send("{\"cmd\":\"watch\",\"rate_hz\":1000}\n")
            _ = client.nextObject()
        }
        Thread.sleep(forTimeInterval: 0.05)
        // The reading client reads on its own thread, as a live view does.
        let fastCount = Counter()
        let fastLagged = Counter()
        Thread {
            while let object = fast.nextObject(timeout: 2) {
                if object["class"] as? String == "METRICS" { fastCount.increment() }
                if object["class"] as? String == "LAG" { for _ in 0..<(object["dropped"] as? Int ?? 0) { fastLagged.increment() } }
                if object["seq"] as? Int == 3999 { break }
            }
        }.start()
        // 4000 messages of 2 KB, in bursts: far more than the slow client's socket buffer and queue.
        for sequence in 0..<4000 {
            hub.publish(metrics(sequence, padding: 2000))
            if sequence % 16 == 15 { Thread.sleep(forTimeInterval: 0.002) }
        }
        let deadline = Date().addingTimeInterval(10)
        while fastCount.value + fastLagged.value < 4000, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        // The reading client keeps up (a busy test machine may cost it a few, which it is told of).
        #expect(fastCount.value + fastLagged.value == 4000)
        #expect(fastCount.value >= 3900, "\(fastCount.value) of 4000")
        var lags: [Int] = []
        var slowReceived = 0
        while let object = slow.nextObject(timeout: 0.5) {
            if object["class"] as? String == "LAG" { lags.append(object["dropped"] as? Int ?? 0) } else { slowReceived += 1 }
        }
        #expect(!lags.isEmpty, "the slow client is told how much it missed")
        #expect(slowReceived < 4000 / 2, "the slow client's backlog was bounded")
        #expect(slowReceived + lags.reduce(0, +) == 4000, "every message either reached the slow client or was reported lost")
    }

    @Test("a client stuck past the limit is disconnected; the socket file goes when the hub stops")
    func stuckClient() throws {
        let (hub, path) = try startHub(queueLimit: 4, stuckSeconds: 0.5)
        let stuck = try TestClient(path: path)
        _ = stuck.nextObject()
        stuck.send("{\"cmd\":\"watch\",\"rate_hz\":1000}\n")
        _ = stuck.nextObject()
        Thread.sleep(forTimeInterval: 0.05)
        for sequence in 0..<2000 { hub.publish(metrics(sequence, padding: 4000)) }
        let deadline = Date().addingTimeInterval(5)
        while !hub.clients.isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(hub.clients.isEmpty, "disconnected after 0.5 s without progress")
        hub.stop()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
