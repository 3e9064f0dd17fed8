#if canImport(Glibc)
import Glibc
#endif
import StanceProtocols
import Synchronization

/// Reads one serial device on a thread of its own (`docs/architecture.md` says why): opens it,
/// feeds its bytes to the decoder, and hands each output, stamped with the host's monotonic
/// receive time, to the pipeline through a lock-free ring. When the device hangs up it closes it,
/// records the gap and retries the path every `reopenInterval` until the device is back.
public final class DeviceReader<Decoder: ByteStreamDecoder>: @unchecked Sendable {
    public let path: String
    public let configuration: SerialConfiguration
    /// Decoded outputs for the pipeline (drops counted when the pipeline falls behind).
    public let outputs: SampleRing<Received<Decoder.Output>>
    /// Opens, hang-ups, reopens and errors, in order.
    public let events: SampleRing<DeviceEvent>
    /// Seconds between attempts to reopen a device that is gone (default 0.5 s).
    public let reopenIntervalSeconds: Double

    private let stopRequested = Atomic<Bool>(false)
    private let lock = Mutex<Statistics>(Statistics())
    private var decoder: Decoder

    /// Counters for `stance status`.
    public struct Statistics: Sendable, Equatable {
        public var opens = 0
        public var hangUps = 0
        public var bytesRead: UInt64 = 0
        public var decoder = DecoderCounters()
        public var connected = false
    }

    public init(path: String, configuration: SerialConfiguration = SerialConfiguration(), decoder: Decoder,
                ringCapacity: Int = 8192, reopenIntervalSeconds: Double = 0.5) {
        self.path = path
        self.configuration = configuration
        self.decoder = decoder
        self.reopenIntervalSeconds = reopenIntervalSeconds
        outputs = SampleRing(minimumCapacity: ringCapacity)
        events = SampleRing(minimumCapacity: 256)
    }

    public var statistics: Statistics { lock.withLock { $0 } }

    /// Asks the reading thread to finish (it closes the device and returns within ~100 ms).
    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Reads until `stop()`. Run it on its own thread.
    public func run() {
        var port: SerialPort?
        var gapStart: UInt64?
        var reportedFailure = false
        var nextAttempt: UInt64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        while !stopRequested.load(ordering: .relaxed) {
            guard let open = port else {
                let now = MonotonicTime.nanoseconds()
                if now < nextAttempt {
                    MonotonicTime.sleep(nanoseconds: min(nextAttempt - now, 100_000_000))
                    continue
                }
                nextAttempt = now + UInt64(reopenIntervalSeconds * 1e9)
                do {
                    port = try SerialPort(path: path, configuration: configuration)
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
                } catch {
                    if !reportedFailure { events.push(.openFailed(error.description)) }
                    reportedFailure = true
                }
                continue
            }
            var poller = pollfd(fd: open.descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            guard ready > 0 else { continue }
            // Read what is there first; then a hang-up flag means the device is gone. (A pty whose
            // other side closed reports POLLIN | POLLHUP | POLLERR and reads return 0, not EIO.)
            let readHangUp = drain(open, buffer)
            if readHangUp || poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                open.close()
                port = nil
                let now = MonotonicTime.nanoseconds()
                gapStart = now
                nextAttempt = now + UInt64(reopenIntervalSeconds * 1e9)
                events.push(.unplugged(hostNanoseconds: now))
                lock.withLock {
                    $0.hangUps += 1
                    $0.connected = false
                }
            }
        }
        port?.close()
        lock.withLock { $0.connected = false }
    }

    /// Reads everything available; returns whether the device hung up.
    private func drain(_ port: SerialPort, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        while true {
            let result: SerialPort.ReadResult
            do {
                result = try port.read(into: buffer)
            } catch {
                events.push(.readFailed(error.description))
                return true
            }
            switch result {
            case .nothing:
                return false
            case .hangUp:
                return true
            case .bytes(let count):
                let received = MonotonicTime.nanoseconds()
                decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { output in
                    outputs.push(Received(hostNanoseconds: received, value: output))
                }
                let counters = decoder.counters
                lock.withLock {
                    $0.bytesRead += UInt64(count)
                    $0.decoder = counters
                }
            }
        }
    }
}
