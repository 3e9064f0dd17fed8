import Foundation
import StanceDaemon
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The test's side of NOTIFY_SOCKET: a datagram socket bound where systemd's would be, a file path
/// in a temporary directory or an abstract name. The address is built here by hand, independently
/// of the notifier's, so that the two must agree on the kernel's form.
final class NotifySocket {
    let descriptor: Int32
    /// What NOTIFY_SOCKET says: the path, or `@name`.
    let environmentValue: String
    private let directory: String?

    init(abstract: Bool) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let unique = "stance-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let nameBytes: [UInt8]
        if abstract {
            directory = nil
            environmentValue = "@" + unique
            nameBytes = [0] + Array(unique.utf8)   // no terminating NUL: every byte is the name
        } else {
            let made = FileManager.default.temporaryDirectory.appendingPathComponent(unique).path
            try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
            directory = made
            environmentValue = made + "/notify"
            nameBytes = Array(environmentValue.utf8) + [0]
        }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in nameBytes.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + nameBytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The datagrams queued so far, oldest first (the sends are synchronous: no waiting needed).
    func drain() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { return messages }
            messages.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }
}

@Suite("systemd notifications on a test-owned NOTIFY_SOCKET")
struct SystemdNotifierTests {
    @Test("READY=1 with a one-line STATUS arrives as one datagram on a path socket; STOPPING=1 and RELOADING=1 with MONOTONIC_USEC follow")
    func stateChangesOnPathSocket() throws {
        let listener = try NotifySocket(abstract: false)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue])
        #expect(notifier.isEnabled && notifier.watchdogIntervalSeconds == nil)
        #expect(try notifier.ready(status: "2 devices\nopen"))
        try notifier.status("serving")
        try notifier.reloading()
        try notifier.stopping()
        let messages = listener.drain()
        #expect(messages.count == 4)
        #expect(messages.first == "READY=1\nSTATUS=2 devices open")
        #expect(messages.dropFirst().first == "STATUS=serving")
        let reloading = messages.dropFirst(2).first?.split(separator: "\n").map(String.init) ?? []
        #expect(reloading.first == "RELOADING=1" && reloading.count == 2)
        #expect(reloading.last.map { $0.hasPrefix("MONOTONIC_USEC=") && UInt64($0.dropFirst(15)) != nil } == true, "\(reloading)")
        #expect(messages.last == "STOPPING=1")
    }

    @Test("an abstract NOTIFY_SOCKET (@name) receives READY=1 and WATCHDOG=1; the interval is WATCHDOG_USEC in seconds")
    func abstractSocketAndWatchdog() throws {
        let listener = try NotifySocket(abstract: true)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue, "WATCHDOG_USEC": "5000000",
                                                         "WATCHDOG_PID": "\(getpid())"])
        #expect(notifier.watchdogIntervalSeconds == 5)
        try notifier.ready()
        #expect(notifier.watchdogPing())
        #expect(listener.drain() == ["READY=1", "WATCHDOG=1"])
        #expect(notifier.watchdogPings == 1 && notifier.watchdogFailures.count == 0)
    }

    @Test("pingIfDue sends at most once per half interval: a 1 s watchdog offered a ping every 100 ms for 3 s sends 7 (at 0, 0.5 … 3 s)")
    func rateLimit() throws {
        let listener = try NotifySocket(abstract: false)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue, "WATCHDOG_USEC": "1000000"])
        let start: UInt64 = 7_000_000_000
        var sent: [UInt64] = []
        for step in UInt64(0)...30 {
            let now = start + step * 100_000_000
            if notifier.pingIfDue(nowNanoseconds: now) { sent.append((now - start) / 100_000_000) }
            #expect(!notifier.pingIfDue(nowNanoseconds: now), "a second offer at the same time")
        }
        #expect(sent == [0, 5, 10, 15, 20, 25, 30])
        #expect(listener.drain() == Array(repeating: "WATCHDOG=1", count: 7))
        #expect(notifier.watchdogPings == 7)
    }

    @Test("threads racing to ping at the same instant send one WATCHDOG=1 between them")
    func concurrentPings() throws {
        let listener = try NotifySocket(abstract: false)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue, "WATCHDOG_USEC": "2000000"])
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in notifier.pingIfDue(nowNanoseconds: 1_000_000_000) }
        #expect(listener.drain() == ["WATCHDOG=1"])
    }

    @Test("WATCHDOG_PID of another process: no watchdog for this one (no interval, no pings), READY=1 still sent")
    func watchdogForAnotherProcess() throws {
        let listener = try NotifySocket(abstract: false)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue, "WATCHDOG_USEC": "1000000",
                                                         "WATCHDOG_PID": "\(getpid() + 1)"])
        #expect(notifier.watchdogIntervalSeconds == nil)
        #expect(!notifier.watchdogPing() && !notifier.pingIfDue(nowNanoseconds: 1))
        try notifier.ready()
        #expect(listener.drain() == ["READY=1"])
    }

    @Test("without NOTIFY_SOCKET every call is a no-op returning false, even with WATCHDOG_USEC set")
    func disabled() throws {
        let notifier = try SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000"])
        #expect(!notifier.isEnabled && notifier.watchdogIntervalSeconds == nil)
        #expect(try !notifier.ready(status: "x") && !notifier.stopping() && !notifier.reloading())
        #expect(!notifier.watchdogPing() && !notifier.pingIfDue(nowNanoseconds: 0) && notifier.watchdogPings == 0)
    }

    @Test("a ping to a socket that is gone is counted as failed with its errno, not thrown; a state change throws")
    func vanishedSocket() throws {
        var listener: NotifySocket? = try NotifySocket(abstract: false)
        let path = try #require(listener?.environmentValue)
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"])
        listener = nil   // closes the socket and removes its directory
        #expect(!notifier.watchdogPing())
        #expect(notifier.watchdogFailures.count == 1 && notifier.watchdogFailures.lastErrno == ENOENT)
        #expect(throws: SystemdNotifierError.system(call: "sendto", errno: ENOENT)) { try notifier.ready() }
    }

    @Test("malformed variables are refused, naming the variable",
          arguments: [("NOTIFY_SOCKET", "run/systemd/notify"), ("NOTIFY_SOCKET", "/" + String(repeating: "x", count: 200)),
                      ("WATCHDOG_USEC", "0"), ("WATCHDOG_USEC", "5s"), ("WATCHDOG_PID", "self")])
    func malformed(variable: String, value: String) {
        var environment = ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "1000000"]
        environment[variable] = value
        #expect {
            _ = try SystemdNotifier(environment: environment)
        } throws: { error in
            guard case .invalidVariable(let name, let bad, _) = error as? SystemdNotifierError else { return false }
            return name == variable && bad == value
        }
    }
}
