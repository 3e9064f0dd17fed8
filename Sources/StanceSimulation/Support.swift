import CStanceSystem
#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex with a closure API (the emulator's state is touched by its own thread and by
/// whoever stops it or asks for its statistics).
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// CLOCK_MONOTONIC in nanoseconds, and sleeping until a point on it.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 { stance_monotonic_nanoseconds() }
    static func sleep(until deadline: UInt64) { stance_sleep_until(deadline) }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, deterministic — simulations are
/// reproducible from their seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal deviate (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), .leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
