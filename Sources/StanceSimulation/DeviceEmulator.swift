#if canImport(Glibc)
import Glibc
#endif

/// A device on a pseudo-terminal: streams encoded samples at the nominal rate in real time (or as
/// fast as the reader takes them), with optional faults, and can be unplugged and replugged.
///
/// `run()` blocks the calling thread until the stream ends or `stop()` is called; run it on a
/// thread of its own. A stable name for the device is kept as a symbolic link (`linkPath`) to the
/// current `/dev/pts/N`, as udev rules give real devices stable names.
public final class DeviceEmulator: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Samples per second.
        public var rateHz: Double
        /// Ignore the clock: write as fast as the reader drains the terminal.
        public var fast: Bool
        public var faults: EmulatorFaults
        /// Keep a symbolic link here to the current terminal, if set.
        public var linkPath: String?
        /// Seed of the garbage bytes.
        public var seed: UInt64
        /// At the end, how long to wait for a reader to take the last bytes, seconds.
        public var drainSeconds: Double
        /// Wait while the terminal's buffer is full instead of dropping what does not fit (as a
        /// serial line would): for tests about what happens after the device, on a loaded machine.
        public var waitsForReader: Bool

        public init(rateHz: Double, fast: Bool = false, faults: EmulatorFaults = .none, linkPath: String? = nil,
                    seed: UInt64 = 1, drainSeconds: Double = 5, waitsForReader: Bool = false) {
            self.drainSeconds = drainSeconds
            self.waitsForReader = waitsForReader
            self.rateHz = rateHz
            self.fast = fast
            self.faults = faults
            self.linkPath = linkPath
            self.seed = seed
        }
    }

    /// What happened while streaming.
    public struct Statistics: Sendable, Equatable {
        public var samplesSent = 0
        public var samplesDropped = 0
        public var samplesCorrupted = 0
        public var garbageBursts = 0
        public var unplugs = 0
        /// Bytes the terminal had no room for (nobody was reading).
        public var bytesLost = 0
    }

    public let configuration: Configuration
    private let preamble: [UInt8]
    private let sampleBytes: @Sendable (Int) -> [UInt8]?
    private let lock = Mutex()
    private var terminal: PseudoTerminal
    private var stopped = false
    private var statistics = Statistics()

    /// - Parameters:
    ///   - preamble: bytes sent first and again after each replug (a header line, a banner).
    ///   - sampleBytes: the encoded bytes of sample `index`, or `nil` when the stream ends.
    public init(
        configuration: Configuration, preamble: [UInt8] = [], sampleBytes: @escaping @Sendable (Int) -> [UInt8]?
    ) throws(SystemCallError) {
        self.configuration = configuration
        self.preamble = preamble
        self.sampleBytes = sampleBytes
        terminal = try PseudoTerminal()
        try updateLink()
    }

    /// The terminal a reader should open now (changes at each replug; `linkPath` does not).
    public var secondaryPath: String { lock.withLock { terminal.secondaryPath } }

    public var currentStatistics: Statistics { lock.withLock { statistics } }

    /// Ends `run()` after the sample being written.
    public func stop() { lock.withLock { stopped = true } }

    /// Streams until the samples run out or `stop()` is called, then closes the terminal.
    public func run() throws(SystemCallError) {
        var random = SplitMix64(seed: configuration.seed)
        try send(preamble)
        let start = MonotonicClock.nanoseconds()
        var index = 0
        while let bytes = sampleBytes(index) {
            if lock.withLock({ stopped }) { break }
            if !configuration.fast {
                MonotonicClock.sleep(until: start + UInt64(Double(index) / configuration.rateHz * 1e9))
            }
            let actions = configuration.faults.actions(forSample: index)
            if actions.unplug { try unplugAndReplug() }
            if actions.garbage {
                try send((0..<configuration.faults.garbageLength).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                lock.withLock { statistics.garbageBursts += 1 }
            }
            if actions.drop {
                lock.withLock { statistics.samplesDropped += 1 }
            } else {
                var outgoing = bytes
                if actions.corrupt, !outgoing.isEmpty {
                    outgoing[outgoing.count / 2] ^= 0x10
                    lock.withLock { statistics.samplesCorrupted += 1 }
                }
                try send(outgoing)
                lock.withLock { statistics.samplesSent += 1 }
            }
            index += 1
        }
        // A real device's last bytes are on the wire; ours must be read before the terminal goes.
        lock.withLock { terminal }.drain(timeoutSeconds: configuration.drainSeconds)
        lock.withLock { terminal.close() }
    }

    private func send(_ bytes: [UInt8]) throws(SystemCallError) {
        guard !bytes.isEmpty else { return }
        let current = lock.withLock { terminal }
        let result: Result<Int, SystemCallError> = bytes.withUnsafeBytes { raw in
            Result { () throws(SystemCallError) -> Int in try current.write(raw, waitForReader: configuration.fast || configuration.waitsForReader) }
        }
        let lost = try result.get()
        if lost > 0 { lock.withLock { statistics.bytesLost += lost } }
    }

    private func unplugAndReplug() throws(SystemCallError) {
        // As udev removes a device's links when it goes: a reader must not reopen the old name
        // and find whatever terminal the kernel gives that number to next.
        if let linkPath = configuration.linkPath { unlink(linkPath) }
        lock.withLock {
            terminal.close()
            statistics.unplugs += 1
        }
        MonotonicClock.sleep(until: MonotonicClock.nanoseconds() + UInt64(configuration.faults.unpluggedSeconds * 1e9))
        let replugged = try PseudoTerminal()
        lock.withLock { terminal = replugged }
        try updateLink()
        try send(preamble)
    }

    /// Points `linkPath` at the current terminal (atomically: a new link renamed over the old).
    private func updateLink() throws(SystemCallError) {
        guard let linkPath = configuration.linkPath else { return }
        let target = secondaryPath
        let temporary = linkPath + ".new"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else { throw SystemCallError("symlink", temporary) }
        guard rename(temporary, linkPath) == 0 else { throw SystemCallError("rename", linkPath) }
    }
}
