#if canImport(Glibc)
import Glibc
#endif
import CStanceSystem

/// Wakes a thread that waits for a lock-free ring to fill, without it polling on a timer: the
/// producer rings after pushing (one `eventfd` write, no lock, no allocation), the consumer sleeps
/// in `poll` on `descriptor` (alone with `wait`, or among its other descriptors).
///
/// Rings coalesce: many rings before a wait wake it once, which is all a ring consumer needs, as it
/// drains the whole ring on each wake.
public final class Doorbell: @unchecked Sendable {
    /// The eventfd, readable while rung; close-on-exec and non-blocking. −1 when the kernel
    /// refused one (descriptor limit): `poll` ignores it, so waits become plain timed sleeps.
    public let descriptor: Int32

    public init() {
        descriptor = stance_event_descriptor()
    }

    /// Whether rings wake a waiter (false only when the eventfd could not be made).
    public var wakesWaiters: Bool { descriptor >= 0 }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Wakes the waiter (safe from any thread; never blocks).
    public func ring() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, 8)
    }

    /// Clears the rung state after a wake (the waiter calls it before draining its ring, so a ring
    /// during the drain wakes the next wait).
    public func clear() {
        var count: UInt64 = 0
        _ = read(descriptor, &count, 8)
    }

    /// Sleeps until rung or `timeoutMilliseconds` pass, then clears; `true` when rung.
    @discardableResult
    public func wait(timeoutMilliseconds: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let rung = poll(&poller, 1, timeoutMilliseconds) > 0
        if rung { clear() }
        return rung
    }
}
