import CStanceSystem

/// The host's `CLOCK_MONOTONIC`, nanoseconds: the receive time stamped on every sample.
public enum MonotonicTime {
    @inline(__always)
    public static func nanoseconds() -> UInt64 { stance_monotonic_nanoseconds() }

    /// Sleeps `nanoseconds` on the monotonic clock (signals do not cut it short).
    public static func sleep(nanoseconds: UInt64) { stance_sleep_until(stance_monotonic_nanoseconds() + nanoseconds) }

    /// Sleeps 0.2 ms: how a consumer thread waits for a lock-free ring to fill.
    public static func sleepBriefly() { sleep(nanoseconds: 200_000) }
}

/// A decoder output with the host time its bytes were read.
public struct Received<Value: Sendable>: Sendable {
    /// `CLOCK_MONOTONIC` when the bytes carrying this value were read, nanoseconds.
    public var hostNanoseconds: UInt64
    public var value: Value
}

/// What happened to a device, in order, for the log and `stance status`.
public enum DeviceEvent: Sendable, Equatable {
    case opened(path: String)
    /// Opening failed; reported once per outage, then retried quietly.
    case openFailed(String)
    /// The device hung up (unplugged): a gap starts at `hostNanoseconds`.
    case unplugged(hostNanoseconds: UInt64)
    /// The device is back after a gap of `gapNanoseconds`.
    case reopened(path: String, gapNanoseconds: UInt64)
    case readFailed(String)
}
