#if canImport(Glibc)
import Glibc
#endif
import Logging
import StanceDevices
import StanceWire
import Synchronization

/// The daemon's side of the Unix socket: accepts clients, answers their requests, and fans out
/// what the pipeline publishes to each client that watches that stream.
///
/// The pipeline never waits for a client and never touches client state: `publish` pushes into one
/// lock-free ring, and the hub's own thread fans out into each client's bounded queue. A full
/// queue drops the message and counts it; the client gets `LAG` with the count once it drains. A
/// client that has not taken a byte for `stuckSeconds` while output waits is disconnected.
public final class ClientHub: @unchecked Sendable {
    /// A message for the clients watching `stream`, with its time (for per-client rates).
    public struct Outbound: Sendable {
        public var stream: WireStream
        /// Where the message falls on the stream's sample grid, seconds (METRICS are decimated
        /// on it, per client).
        public var timeSeconds: Double
        public var bytes: [UInt8]
        /// The `metrics` stream carries two kinds, each decimated on its own grid per client:
        /// the plates' METRICS and the IMUs' IMU_METRICS.
        public var fromImus: Bool

        public init(stream: WireStream, timeSeconds: Double, bytes: [UInt8], fromImus: Bool = false) {
            self.stream = stream
            self.timeSeconds = timeSeconds
            self.bytes = bytes
            self.fromImus = fromImus
        }
    }

    /// Per-client counters for STATUS.
    public struct ClientStatistics: Sendable, Equatable {
        public var descriptor: Int32
        public var streams: [WireStream]
        public var dropped: Int
    }

    public let socketPath: String
    /// Messages a client's queue holds before new ones are dropped.
    public let queueLimit: Int
    public let stuckSeconds: Double
    /// The fastest METRICS rate a client may ask for, Hz: the pipeline's, which a stream header
    /// can change (the pipeline sets it).
    public var maximumRateHz: Double {
        get { Double(bitPattern: maximumRate.load(ordering: .relaxed)) }
        set { maximumRate.store(newValue.bitPattern, ordering: .relaxed) }
    }
    private let maximumRate: Atomic<UInt64>
    private let listener: Int32
    private let outbound: SampleRing<Outbound>
    /// Rung by `publish`, so fan-out follows a message at once rather than at the next poll.
    private let doorbell = Doorbell()
    private let stopRequested = Atomic<Bool>(false)
    private let sampleWatchers = Atomic<Int>(0)
    private let eventWatchers = Atomic<Int>(0)
    private let fastestMetricsRate = Atomic<UInt64>(0)
    private let snapshot = Mutex<[ClientStatistics]>([])
    private let logger: Logger
    private let handle: @Sendable (WireRequest) -> [UInt8]

    /// Whether `run` removes the socket file when it ends (not when systemd made the socket).
    public let removesSocketFile: Bool

    /// - Parameters:
    ///   - socketPath: where to listen (an existing socket file there is replaced).
    ///   - handle: answers every request but `watch` (status, tare, sessions…), on the hub's thread.
    public convenience init(socketPath: String, release: String, maximumRateHz: Double, queueLimit: Int = 1024, stuckSeconds: Double = 10,
                            logger: Logger, handle: @escaping @Sendable (WireRequest) -> [UInt8]) throws(DeviceError) {
        self.init(listener: try Self.listen(at: socketPath), socketPath: socketPath, removesSocketFile: true, release: release,
                  maximumRateHz: maximumRateHz, queueLimit: queueLimit, stuckSeconds: stuckSeconds, logger: logger, handle: handle)
    }

    /// Serves on a socket that is already listening (systemd socket activation passes one).
    /// - Parameters:
    ///   - listener: a listening, non-blocking `AF_UNIX` stream socket; the hub closes it at the end.
    ///   - removesSocketFile: false when the socket's owner (systemd) keeps the file.
    public init(listener: Int32, socketPath: String, removesSocketFile: Bool, release: String, maximumRateHz: Double,
                queueLimit: Int = 1024, stuckSeconds: Double = 10, logger: Logger,
                handle: @escaping @Sendable (WireRequest) -> [UInt8]) {
        self.listener = listener
        self.socketPath = socketPath
        self.removesSocketFile = removesSocketFile
        self.queueLimit = queueLimit
        self.stuckSeconds = stuckSeconds
        maximumRate = Atomic(maximumRateHz.bitPattern)
        self.logger = logger
        self.handle = handle
        self.release = release
        outbound = SampleRing(minimumCapacity: 4096)
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
    }

    /// A listening socket bound at `socketPath` (a stale socket file there is replaced).
    private static func listen(at socketPath: String) throws(DeviceError) -> Int32 {
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard listener >= 0 else { throw .lastSystemError("socket", socketPath) }
        unlink(socketPath)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(listener)
            throw DeviceError("bind", socketPath, kind: .unexpected("socket path longer than \(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes"))
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 64) == 0 else {
            let error = DeviceError.lastSystemError("bind", socketPath)
            close(listener)
            throw error
        }
        return listener
    }

    private let release: String

    /// Called by the pipeline (the only producer): never blocks, never allocates beyond the
    /// message itself.
    @discardableResult
    public func publish(_ message: Outbound) -> Bool {
        let pushed = outbound.push(message)
        doorbell.ring()
        return pushed
    }

    /// Clients watching `samples` now: the pipeline serializes SAMPLE objects only when some do.
    public var samplesWatched: Bool { sampleWatchers.load(ordering: .relaxed) > 0 }

    /// Clients watching `events` now.
    public var eventsWatched: Bool { eventWatchers.load(ordering: .relaxed) > 0 }

    /// The highest METRICS rate any client asked for, Hz (0 when none watch): the pipeline
    /// publishes at this rate, capped at its own, and the hub thins it for slower clients.
    public var fastestMetricsRateHz: Double { Double(bitPattern: fastestMetricsRate.load(ordering: .relaxed)) }

    /// A producer other than the main pipeline (an IMU's forwarder): its own lock-free ring,
    /// fanned out by the hub like the pipeline's. Create every publisher before `run()` starts.
    public final class Publisher: @unchecked Sendable {
        let ring = SampleRing<Outbound>(minimumCapacity: 1024)
        private let doorbell: Doorbell
        private let hub: ClientHub

        init(hub: ClientHub, doorbell: Doorbell) {
            self.hub = hub
            self.doorbell = doorbell
        }

        /// From the publisher's one thread: never blocks.
        @discardableResult
        public func publish(_ message: Outbound) -> Bool {
            let pushed = ring.push(message)
            doorbell.ring()
            return pushed
        }

        public var samplesWatched: Bool { hub.samplesWatched }
        public var eventsWatched: Bool { hub.eventsWatched }
        public var fastestMetricsRateHz: Double { hub.fastestMetricsRateHz }
    }

    /// A new producer's ring; call before `run()` (the hub's thread reads the list it finds then).
    public func makePublisher() -> Publisher {
        let publisher = Publisher(hub: self, doorbell: doorbell)
        publishers.append(publisher)
        return publisher
    }

    private var publishers: [Publisher] = []

    /// Messages the pipeline and the other publishers (the IMUs' forwarders) made faster than the
    /// hub's thread took them: dropped before any client saw them.
    public var publishDrops: Int { publishers.reduce(outbound.droppedCount) { $0 + $1.ring.droppedCount } }

    public var clients: [ClientStatistics] { snapshot.withLock { $0 } }

    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        doorbell.ring()
    }

    /// Serves until `stop()`; run it on its own thread. Removes the socket file at the end when it
    /// made it.
    public func run() {
        var sessions: [Int32: ClientSession] = [:]
        var buffer = [UInt8](repeating: 0, count: 4096)
        var descriptors: [pollfd] = []
        var watchesPublished: UInt64 = 0
        while !stopRequested.load(ordering: .relaxed) {
            // Reused, not reallocated, every round.
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            descriptors.append(pollfd(fd: doorbell.descriptor, events: Int16(POLLIN), revents: 0))
            for (descriptor, session) in sessions {
                descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN) | (session.hasPendingOutput ? Int16(POLLOUT) : 0), revents: 0))
            }
            // The doorbell wakes the hub for published messages; the timeout only paces the stuck check
            // (and fan-out, should the eventfd be missing).
            _ = poll(&descriptors, nfds_t(descriptors.count), doorbell.wakesWaiters ? 100 : 2)
            var watchesChanged = false
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                acceptClients(into: &sessions)
                watchesChanged = true
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 { doorbell.clear() }
            // Fan out what the pipeline published.
            while let message = outbound.pop() {
                for session in sessions.values { session.offer(message, queueLimit: queueLimit) }
            }
            for publisher in publishers {
                while let message = publisher.ring.pop() {
                    for session in sessions.values { session.offer(message, queueLimit: queueLimit) }
                }
            }
            let now = MonotonicTime.nanoseconds()
            for entry in descriptors.dropFirst(2) {
                guard let session = sessions[entry.fd] else { continue }
                var alive = true
                if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                    alive = session.readRequests(into: &buffer, maximumRateHz: maximumRateHz, handle: handle)
                    watchesChanged = true
                }
                if alive { alive = session.flush(now: now) }
                if alive, session.isStuck(now: now, limitSeconds: stuckSeconds) {
                    logger.warning("client stuck: disconnecting", metadata: ["fd": "\(entry.fd)", "stuck_s": "\(stuckSeconds)"])
                    alive = false
                }
                if !alive {
                    close(entry.fd)
                    sessions[entry.fd] = nil
                    watchesChanged = true
                }
            }
            // What the pipeline needs (who watches what) at once when it changes; the dropped
            // counts for STATUS at least every 250 ms. Not every round: it allocates.
            if watchesChanged || now &- watchesPublished > 250_000_000 {
                publishWatches(of: sessions)
                watchesPublished = now
            }
        }
        for descriptor in sessions.keys { close(descriptor) }
        close(listener)
        if removesSocketFile { unlink(socketPath) }
    }

    /// What the pipeline and STATUS need to know of the clients, after each round.
    private func publishWatches(of sessions: [Int32: ClientSession]) {
        let statistics = sessions.map { ClientStatistics(descriptor: $0.key, streams: $0.value.streams, dropped: $0.value.totalDropped) }
        snapshot.withLock { $0 = statistics }
        sampleWatchers.store(statistics.count { $0.streams.contains(.samples) }, ordering: .relaxed)
        eventWatchers.store(statistics.count { $0.streams.contains(.events) }, ordering: .relaxed)
        let fastest = sessions.values.filter { $0.streams.contains(.metrics) }.map(\.requestedRateHz).max() ?? 0
        fastestMetricsRate.store(fastest.bitPattern, ordering: .relaxed)
    }

    private func acceptClients(into sessions: inout [Int32: ClientSession]) {
        while true {
            let descriptor = accept(listener, nil, nil)
            guard descriptor >= 0 else { return }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            let session = ClientSession(descriptor: descriptor)
            session.enqueue(WireMessage.version(release: release))
            sessions[descriptor] = session
        }
    }
}
