#if canImport(Glibc)
import Glibc
#endif
import StanceProtocols
import Synchronization

/// Reads one device on a thread of its own (`docs/architecture.md` says why): opens it, decodes
/// what it sends, and hands each output, stamped with the host's monotonic receive time, to the
/// pipeline through a lock-free ring. When the device hangs up it closes it, records the gap and
/// retries every `reopenIntervalSeconds` until the device is back.
public final class DeviceReader<Device: ReadableDevice>: @unchecked Sendable {
    /// The device's configured path, for events and errors.
    public let path: String
    /// Decoded outputs for the pipeline (drops counted when the pipeline falls behind).
    public let outputs: SampleRing<Received<Device.Output>>
    /// Rung after each read that pushed outputs, and after each event.
    public let doorbell = Doorbell()
    /// Opens, hang-ups, reopens and errors, in order.
    public let events: SampleRing<DeviceEvent>
    /// Seconds between attempts to reopen a device that is gone (default 0.5 s).
    public let reopenIntervalSeconds: Double

    private let open: (Device?) throws(DeviceError) -> Device
    private let stopRequested = Atomic<Bool>(false)
    private let lock = Mutex<Statistics>(Statistics())

    /// Counters for `stance status`.
    public struct Statistics: Sendable, Equatable {
        public var opens = 0
        public var hangUps = 0
        /// Reads that delivered at least one output (published with the decoder's counters, at
        /// most every 50 ms).
        public var reads: UInt64 = 0
        public var decoder = DecoderCounters()
        public var connected = false
    }

    /// - Parameter open: opens the device; it is given the previous one (closed) after an unplug,
    ///   so decoding state such as sequence counters can carry over the gap.
    public init(path: String, ringCapacity: Int = 8192, reopenIntervalSeconds: Double = 0.5,
                open: @escaping (Device?) throws(DeviceError) -> Device) {
        self.path = path
        self.open = open
        self.reopenIntervalSeconds = reopenIntervalSeconds
        outputs = SampleRing(minimumCapacity: ringCapacity)
        events = SampleRing(minimumCapacity: 256)
    }

    public var statistics: Statistics { lock.withLock { $0 } }

    /// Asks the reading thread to finish (it closes the device and returns within ~100 ms).
    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Reads until `stop()`. Run it on its own thread.
    /// - Parameter companion: work that shares this thread (a single device's pipeline): woken by
    ///   its doorbell or by every read, and at least every 100 ms. With one, the reader's own
    ///   doorbell is not rung: the consumer runs right here, one thread hop fewer per sample. When
    ///   it says nobody needs the next bytes yet, they wait in the kernel's buffer until then (or
    ///   until a doorbell rings) and are read in one batch: fewer wakes, no later delivery.
    public func run(companion: ReaderCompanion? = nil) {
        var device: Device?
        var previous: Device?
        var gapStart: UInt64?
        var reportedFailure = false
        var nextAttempt: UInt64 = 0
        var countersPublished: UInt64 = 0
        var reads: UInt64 = 0
        // The device and the companion's doorbells; made once (no allocation per read).
        let doorbells = companion?.doorbells ?? []
        var waiting = doorbells.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        var pollers = [pollfd(fd: -1, events: Int16(POLLIN), revents: 0)] + waiting
        func notify() { if companion == nil { doorbell.ring() } }
        func publishCounters(of device: Device) {
            let counters = device.counters
            lock.withLock {
                $0.decoder = counters
                $0.reads = reads
            }
        }
        while !stopRequested.load(ordering: .relaxed) {
            guard let current = device else {
                let now = MonotonicTime.nanoseconds()
                if now < nextAttempt {
                    let wait = min(nextAttempt - now, 100_000_000)
                    if let companion {
                        for index in waiting.indices { waiting[index].revents = 0 }
                        if poll(&waiting, nfds_t(waiting.count), Int32(wait / 1_000_000) + 1) > 0 {
                            for (index, doorbell) in doorbells.enumerated() where waiting[index].revents != 0 { doorbell.clear() }
                        }
                        _ = companion.service()
                    } else {
                        MonotonicTime.sleep(nanoseconds: wait)
                    }
                    continue
                }
                nextAttempt = now + UInt64(reopenIntervalSeconds * 1e9)
                do {
                    device = try open(previous)
                    reportedFailure = false
                    lock.withLock {
                        $0.opens += 1
                        $0.connected = true
                    }
                    if let start = gapStart {
                        events.push(.reopened(path: path, gapNanoseconds: MonotonicTime.nanoseconds() - start))
                        gapStart = nil
                    } else {
                        events.push(.opened(path: path))
                    }
                    notify()
                } catch {
                    if !reportedFailure {
                        events.push(.openFailed(error.description))
                        notify()
                    }
                    reportedFailure = true
                }
                _ = companion?.service()
                continue
            }
            pollers[0].fd = current.descriptor
            for index in pollers.indices { pollers[index].revents = 0 }
            let ready = poll(&pollers, nfds_t(pollers.count), 100)
            for (index, doorbell) in doorbells.enumerated() where pollers[index + 1].revents != 0 { doorbell.clear() }
            guard ready > 0, pollers[0].revents != 0 else {
                _ = companion?.service()
                continue
            }
            // Read what is there first; then a hang-up flag means the device is gone. (A pty whose
            // other side closed reports POLLIN | POLLHUP | POLLERR and reads return 0, not EIO.)
            var present: Bool
            do {
                let received = MonotonicTime.nanoseconds()
                var pushed = false
                present = try current.readAvailable { output in
                    outputs.push(Received(hostNanoseconds: received, value: output))
                    pushed = true
                }
                if pushed {
                    reads += 1
                    notify()
                }
            } catch {
                events.push(.readFailed(error.description))
                present = false
            }
            let hungUp = !present || pollers[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
            // The counters go to STATUS at most every 50 ms: no lock per sample.
            let now = MonotonicTime.nanoseconds()
            if hungUp || now &- countersPublished > 50_000_000 {
                publishCounters(of: current)
                countersPublished = now
            }
            if hungUp {
                current.close()
                previous = current
                device = nil
                gapStart = now
                nextAttempt = now + UInt64(reopenIntervalSeconds * 1e9)
                events.push(.unplugged(hostNanoseconds: now))
                notify()
                lock.withLock {
                    $0.hangUps += 1
                    $0.connected = false
                }
            }
            if let companion {
                let notNeededBefore = companion.service()
                if !hungUp { hold(until: notNeededBefore, waking: &waiting) }
            }
        }
        if let current = device {
            publishCounters(of: current)
            current.close()
        }
        lock.withLock { $0.connected = false }
    }

    /// Leaves the device's bytes in the kernel's buffer until `deadline` (monotonic ns, capped at
    /// `ReaderCompanion.longestHoldNanoseconds` from now) or until one of the companion's
    /// doorbells rings, whichever comes first. The doorbells stay set for the next poll to see.
    private func hold(until deadline: UInt64, waking doorbells: inout [pollfd]) {
        let now = MonotonicTime.nanoseconds()
        guard deadline > now + ReaderCompanion.shortestHoldNanoseconds else { return }
        // Whole milliseconds, rounded down: a hold ends early rather than late.
        let milliseconds = Int32(min(deadline - now, ReaderCompanion.longestHoldNanoseconds) / 1_000_000)
        guard milliseconds > 0 else { return }
        for index in doorbells.indices { doorbells[index].revents = 0 }
        _ = poll(&doorbells, nfds_t(doorbells.count), milliseconds)
    }
}

/// Work that shares a device reader's thread: `service` runs after every wake of the reader (a
/// read, a ring of one of `doorbells`, or 100 ms without either).
public struct ReaderCompanion: Sendable {
    public var doorbells: [Doorbell]
    /// The work. It returns the monotonic time (ns) before which nobody needs the device's next
    /// bytes, or 0 for "at once"; the reader does not read before then unless a doorbell rings.
    public var service: @Sendable () -> UInt64

    /// The longest a reader leaves bytes unread, ns (20 ms: 1.4 kB of line protocol at 1 kHz,
    /// a third of a tty's 4 kB line-discipline buffer).
    public static let longestHoldNanoseconds: UInt64 = 20_000_000
    /// Holds shorter than this (ns) are not worth a wake of their own: the reader reads at once.
    public static let shortestHoldNanoseconds: UInt64 = 1_000_000

    public init(doorbells: [Doorbell], service: @escaping @Sendable () -> UInt64) {
        self.doorbells = doorbells
        self.service = service
    }
}

extension DeviceReader {
    /// A reader of a serial device at `path` speaking what `decoder` decodes; the decoder's state
    /// carries over unplugs, so a jump in the device's counter across a gap is counted.
    public convenience init<Decoder: ByteStreamDecoder>(
        serialPath path: String, configuration: SerialConfiguration = SerialConfiguration(), decoder: Decoder,
        ringCapacity: Int = 8192, reopenIntervalSeconds: Double = 0.5
    ) where Device == SerialDevice<Decoder> {
        self.init(path: path, ringCapacity: ringCapacity, reopenIntervalSeconds: reopenIntervalSeconds) {
            (previous: SerialDevice<Decoder>?) throws(DeviceError) -> SerialDevice<Decoder> in
            SerialDevice(port: try SerialPort(path: path, configuration: configuration), decoder: previous?.decoder ?? decoder)
        }
    }
}
