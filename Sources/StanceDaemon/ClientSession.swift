#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import StanceWire

/// One connected client, owned by the hub's thread: its requests, its watch, its output queue.
final class ClientSession {
    let descriptor: Int32
    private(set) var streams: [WireStream] = []
    /// The METRICS rate this client asked for, Hz (served capped at the pipeline's rate, which a
    /// stream header may raise after the client asked).
    private(set) var requestedRateHz = 50.0
    /// When the next METRICS and the next IMU_METRICS are due, on their publishers' grids.
    private var nextMetricsTime = -Double.infinity
    private var nextImuMetricsTime = -Double.infinity
    private var framer = LineFramer()
    private var queue: [[UInt8]] = []
    private var queueHead = 0
    private var partialOffset = 0
    private var droppedSinceLag = 0
    private(set) var totalDropped = 0
    /// When output last went out, or started waiting (for the stuck check).
    private var lastProgress = MonotonicTime.nanoseconds()

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    var hasPendingOutput: Bool { queueHead < queue.count }

    func enqueue(_ bytes: [UInt8]) {
        if !hasPendingOutput { lastProgress = MonotonicTime.nanoseconds() }
        queue.append(bytes)
    }

    /// A published message, if this client watches its stream (and, for METRICS, is due one).
    /// The METRICS rate served now, Hz.
    func metricsRateHz(maximumRateHz: Double) -> Double { min(requestedRateHz, maximumRateHz) }

    /// The grid is the rate asked for, uncapped: the pipeline never publishes faster than its own
    /// rate, so a request above it simply passes every object (and a rate change in the stream
    /// cannot race with a cap read on another thread).
    func offer(_ message: ClientHub.Outbound, queueLimit: Int) {
        guard streams.contains(message.stream) else { return }
        if message.stream == .metrics {
            // Keep the client's grid of due times (1 % of a period early still counts, so rounding
            // in the sum cannot skip a sample); after the first message or a gap longer than a
            // period, start a new grid here rather than sending a burst or a short interval.
            let period = 1 / requestedRateHz
            if message.fromImus {
                guard Self.due(message.timeSeconds, next: &nextImuMetricsTime, period: period) else { return }
            } else {
                guard Self.due(message.timeSeconds, next: &nextMetricsTime, period: period) else { return }
            }
        }
        guard queue.count - queueHead < queueLimit else {
            droppedSinceLag += 1
            totalDropped += 1
            return
        }
        if droppedSinceLag > 0 {
            enqueue(WireMessage.lag(dropped: droppedSinceLag))
            droppedSinceLag = 0
        }
        enqueue(message.bytes)
    }

    private static func due(_ time: Double, next: inout Double, period: Double) -> Bool {
        guard time >= next - 0.01 * period else { return false }
        next += period
        if next <= time { next = time + period }
        return true
    }

    /// Reads and answers requests; `false` when the client has gone.
    func readRequests(into buffer: inout [UInt8], maximumRateHz: Double, handle: (WireRequest) -> [UInt8]) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return false }
            if count < 0 { return errno == EAGAIN || errno == EINTR }
            var items: [LineFramer.Item] = []
            buffer.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<count])) { items.append($0) } }
            for item in items {
                switch item {
                case .oversize(let length):
                    enqueue(WireMessage.error(WireError(cmd: nil, message: "request line of \(length) bytes is over the \(LineFramer.maximumLineLength)-byte limit")))
                case .line(let line):
                    switch WireRequest.parse(line) {
                    case .failure(let error):
                        enqueue(WireMessage.error(error))
                    case .success(.watch(let requested, let rate)):
                        streams = requested
                        requestedRateHz = rate ?? 50
                        nextMetricsTime = -Double.infinity
                        nextImuMetricsTime = -Double.infinity
                        enqueue(WireMessage.watch(streams: streams, rateHz: metricsRateHz(maximumRateHz: maximumRateHz)))
                    case .success(let request):
                        enqueue(handle(request))
                    }
                }
            }
        }
    }

    /// Writes what the socket takes; `false` when the client has gone.
    func flush(now: UInt64) -> Bool {
        while queueHead < queue.count {
            let message = queue[queueHead]
            let written = message.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + partialOffset, raw.count - partialOffset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 { return errno == EAGAIN || errno == EINTR }
            lastProgress = now
            partialOffset += written
            if partialOffset == message.count {
                partialOffset = 0
                queueHead += 1
            } else {
                return true
            }
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
        // Caught up after losing messages: say how many, now rather than with the next one.
        if droppedSinceLag > 0 {
            enqueue(WireMessage.lag(dropped: droppedSinceLag))
            droppedSinceLag = 0
            return flush(now: now)
        }
        return true
    }

    func isStuck(now: UInt64, limitSeconds: Double) -> Bool {
        hasPendingOutput && Double(now &- lastProgress) / 1e9 > limitSeconds
    }
}
