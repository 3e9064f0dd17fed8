#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import Synchronization

/// Tells systemd about the daemon's state (`sd_notify(3)` without libsystemd): readiness, status
/// text, reloading, stopping, and the watchdog's keep-alive.
///
/// Each notification is one datagram to the `AF_UNIX` socket named by `NOTIFY_SOCKET` (a path, or
/// `@name` in the abstract namespace). Without `NOTIFY_SOCKET` (not started by systemd, or not
/// `Type=notify`) every call is a no-op that returns `false`.
///
/// The watchdog ping is meant for the pipeline thread: the socket and the address are made at
/// init, the datagram is a static string, and the send never blocks (`MSG_DONTWAIT`) and never
/// allocates. A final class because it owns the socket (closed in `deinit`).
public final class SystemdNotifier: Sendable {
    /// False when `NOTIFY_SOCKET` is unset: nothing is ever sent.
    public let isEnabled: Bool
    /// How often systemd expects `WATCHDOG=1`, seconds (`WATCHDOG_USEC` / 10⁶): a ping must arrive
    /// within every such interval or systemd kills and restarts the service. Nil when no watchdog
    /// applies to this process: `WATCHDOG_USEC` unset, `WATCHDOG_PID` naming another process, or
    /// notifications disabled.
    public let watchdogIntervalSeconds: Double?

    private let descriptor: Int32
    private let address: UnixSocketAddress
    /// Half the watchdog interval, nanoseconds: `pingIfDue` sends at most this often.
    private let pingSpacingNanoseconds: UInt64
    /// `nowNanoseconds` of the last ping `pingIfDue` sent; `UInt64.max` before the first.
    private let lastPingNanoseconds = Atomic<UInt64>(.max)
    private let sentPings = Atomic<Int>(0)
    private let failedPings = Atomic<Int>(0)
    private let lastPingErrno = Atomic<Int32>(0)

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: the process environment; tests pass their own.
    ///   - processID: this process, compared with `WATCHDOG_PID` (a watchdog meant for another
    ///     process, such as a parent that exported it, is not ours to feed).
    /// - Throws: a malformed variable, or a failing `socket()`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                processID: pid_t = getpid()) throws(SystemdNotifierError) {
        guard let target = environment["NOTIFY_SOCKET"], !target.isEmpty else {
            isEnabled = false
            watchdogIntervalSeconds = nil
            descriptor = -1
            address = UnixSocketAddress()
            pingSpacingNanoseconds = .max
            return
        }
        guard let parsed = UnixSocketAddress(target) else {
            throw .invalidVariable(name: "NOTIFY_SOCKET", value: target,
                                   expected: "an absolute path or @name of at most \(UnixSocketAddress.pathCapacity - 1) bytes")
        }
        let intervalMicroseconds = try Self.watchdogMicroseconds(environment: environment, processID: processID)
        let socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socketDescriptor >= 0 else { throw .system(call: "socket", errno: errno) }
        isEnabled = true
        address = parsed
        descriptor = socketDescriptor
        watchdogIntervalSeconds = intervalMicroseconds.map { Double($0) / 1e6 }
        pingSpacingNanoseconds = intervalMicroseconds.map { $0 * 500 } ?? .max
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// `WATCHDOG_USEC` as sd_watchdog_enabled(3) reads it: nil when unset or when `WATCHDOG_PID`
    /// names another process.
    private static func watchdogMicroseconds(environment: [String: String], processID: pid_t) throws(SystemdNotifierError) -> UInt64? {
        guard let text = environment["WATCHDOG_USEC"] else { return nil }
        guard let microseconds = UInt64(text), microseconds > 0, microseconds < UInt64.max / 1000 else {
            throw .invalidVariable(name: "WATCHDOG_USEC", value: text, expected: "a positive number of microseconds")
        }
        if let pidText = environment["WATCHDOG_PID"] {
            guard let pid = pid_t(pidText), pid > 0 else {
                throw .invalidVariable(name: "WATCHDOG_PID", value: pidText, expected: "a process ID")
            }
            if pid != processID { return nil }
        }
        return microseconds
    }

    // MARK: State changes (any thread; these allocate)

    /// `READY=1`: start-up is complete (call it once the devices are open and the socket is
    /// served), with an optional `STATUS=` line. Returns false when notifications are disabled.
    @discardableResult
    public func ready(status: String? = nil) throws(SystemdNotifierError) -> Bool {
        try notify(status.map { "READY=1\n\(Self.statusAssignment($0))" } ?? "READY=1")
    }

    /// `STATUS=`: one line of free text for `systemctl status` (line breaks become spaces).
    @discardableResult
    public func status(_ text: String) throws(SystemdNotifierError) -> Bool {
        try notify(Self.statusAssignment(text))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (which systemd 253 and later require with it): a
    /// reload (SIGHUP) has begun. Send `ready()` when it is done.
    @discardableResult
    public func reloading() throws(SystemdNotifierError) -> Bool {
        try notify("RELOADING=1\nMONOTONIC_USEC=\(MonotonicTime.nanoseconds() / 1000)")
    }

    /// `STOPPING=1`: shutdown has begun.
    @discardableResult
    public func stopping() throws(SystemdNotifierError) -> Bool {
        try notify("STOPPING=1")
    }

    /// Sends `assignments` (newline-separated `KEY=value` lines, see sd_notify(3)) as one datagram.
    /// Returns false when notifications are disabled; throws when the send fails.
    @discardableResult
    public func notify(_ assignments: String) throws(SystemdNotifierError) -> Bool {
        guard isEnabled else { return false }
        var message = assignments
        let sent = message.withUTF8 { send($0.baseAddress, $0.count) }
        guard sent >= 0 else { throw .system(call: "sendto", errno: errno) }
        return true
    }

    private static func statusAssignment(_ text: String) -> String {
        "STATUS=" + text.map { $0.isNewline ? " " : String($0) }.joined()
    }

    // MARK: Watchdog (the pipeline thread: no allocation, never blocks)

    /// Sends `WATCHDOG=1` now. Returns true when the datagram went out; a failure (systemd gone,
    /// its queue full) is counted in `watchdogFailures`, never thrown, so a real-time loop can call
    /// it. False without a watchdog.
    @discardableResult
    public func watchdogPing() -> Bool {
        guard watchdogIntervalSeconds != nil else { return false }
        let message: StaticString = "WATCHDOG=1"
        if send(message.utf8Start, message.utf8CodeUnitCount) >= 0 {
            sentPings.add(1, ordering: .relaxed)
            return true
        }
        lastPingErrno.store(errno, ordering: .relaxed)
        failedPings.add(1, ordering: .relaxed)
        return false
    }

    /// Sends `WATCHDOG=1` if at least half the watchdog interval has passed since the last ping
    /// this method sent (or none has been sent yet): call it on every pass of a loop, and systemd
    /// hears from the process twice per interval however fast the loop spins.
    ///
    /// - Parameter nowNanoseconds: a monotonic clock reading, nanoseconds (`MonotonicTime.nanoseconds()`).
    /// - Returns: true when a ping was sent.
    @discardableResult
    public func pingIfDue(nowNanoseconds: UInt64) -> Bool {
        guard watchdogIntervalSeconds != nil else { return false }
        let last = lastPingNanoseconds.load(ordering: .relaxed)
        guard last == .max || nowNanoseconds >= last &+ pingSpacingNanoseconds else { return false }
        // Two threads that both find a ping due: only the one that records its time sends.
        guard lastPingNanoseconds.compareExchange(expected: last, desired: nowNanoseconds, ordering: .relaxed).exchanged else {
            return false
        }
        return watchdogPing()
    }

    /// `WATCHDOG=1` datagrams sent so far.
    public var watchdogPings: Int { sentPings.load(ordering: .relaxed) }

    /// Pings whose send failed, and the `errno` of the latest (0 when none failed).
    public var watchdogFailures: (count: Int, lastErrno: Int32) {
        (failedPings.load(ordering: .relaxed), lastPingErrno.load(ordering: .relaxed))
    }

    private func send(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int {
        address.withSocketAddress { target, length in
            sendto(descriptor, bytes, count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), target, length)
        }
    }
}

/// Why a `SystemdNotifier` could not be made or could not send.
public enum SystemdNotifierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An environment variable systemd sets does not hold what it should.
    case invalidVariable(name: String, value: String, expected: String)
    /// A system call failed with `errno`.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidVariable(let name, let value, let expected):
            return "\(name)='\(value)': expected \(expected)"
        case .system(let call, let code):
            return "systemd notification: \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
