import StanceDevices
import StanceDSP
import StanceWire

/// An IMU's samples on the `samples` stream (as `IMU` objects) and to the recording session
/// (`sessionFeed`), and its device events on `events`, running on the IMU reader's own thread. The
/// IMU metrics (orientation, kinematics, asymmetry) are not computed here.
public final class ImuForwarder: @unchecked Sendable {
    public let reader: DeviceReader<SerialDevice<ProfileDecoder>>
    public let role: DeviceRole
    /// Where a recording session takes this IMU's samples.
    public let sessionFeed: ImuSessionFeed
    private let publisher: ClientHub.Publisher
    private let startNanoseconds: UInt64
    /// Where this IMU's metrics meet the others'; nil: no metrics.
    private let board: ImuMetricsBoard?
    /// This IMU's place in the configuration (which IMU sends IMU_METRICS is settled on the board).
    private let imuIndex: Int
    private var tracker: ImuKinematicsTracker
    private var metricsGrid = MetricsGrid()
    private let rateHz: Double
    /// Called for every device event: where the daemon logs them.
    public var eventLog: (@Sendable (WireEvent) -> Void)?

    /// - Parameters:
    ///   - profile: the profile the reader decodes by (for the role, rate and ranges).
    ///   - board: where the IMUs' metrics meet (nil: none computed).
    ///   - index: this IMU's place among the configured IMUs.
    public init(reader: DeviceReader<SerialDevice<ProfileDecoder>>, profile: DeviceProfile, hub: ClientHub, startNanoseconds: UInt64,
                board: ImuMetricsBoard? = nil, index: Int = 0) {
        self.reader = reader
        self.board = board
        imuIndex = index
        rateHz = profile.rateHz
        tracker = ImuKinematicsTracker(role: profile.role, windowSeconds: board?.windowSeconds ?? 30, rateHz: profile.rateHz,
                                       orientationSource: profile.orientationSource)
        role = profile.role
        let ranges = profile.witMotionConfiguration
        sessionFeed = ImuSessionFeed(device: SessionRecorder.ImuSetup(
            devicePath: reader.path, profile: profile.name, role: profile.role.rawValue, rateHz: profile.rateHz,
            accelerationRangeG: ranges.accelerationRangeG, angularRateRangeDegreesPerSecond: ranges.angularRateRangeDegreesPerSecond))
        publisher = hub.makePublisher()
        self.startNanoseconds = startNanoseconds
    }

    /// Runs the reader with the forwarding on its thread until `reader.stop()`.
    public func run() {
        reader.run(companion: ReaderCompanion(doorbells: []) { [self] in
            forward()
            return 0
        })
    }

    private func seconds(_ hostNanoseconds: UInt64) -> Double { Double(hostNanoseconds &- startNanoseconds) / 1e9 }

    private func forward() {
        while let event = reader.events.pop() {
            let now = seconds(event.hostNanoseconds ?? MonotonicTime.nanoseconds())
            let wire = event.wireEvent(devicePath: reader.path)
            eventLog?(wire)
            if publisher.eventsWatched {
                publisher.publish(ClientHub.Outbound(stream: .events, timeSeconds: now, bytes: WireMessage.event(timeSeconds: now, wire)))
            }
        }
        sessionFeed.refresh()
        while let received = reader.outputs.pop() {
            guard case .imu(let sample) = received.value else { continue }
            let time = seconds(received.hostNanoseconds)
            sessionFeed.offer(sample, hostSeconds: time)
            if let board { updateMetrics(sample, board: board, time: time) }
            guard publisher.samplesWatched else { continue }
            publisher.publish(ClientHub.Outbound(stream: .samples, timeSeconds: time,
                                                 bytes: WireMessage.imu(timeSeconds: time, device: reader.path, role: role.rawValue, sample: sample)))
        }
    }

    /// Per sample: the segment's kinematics; at the metrics rate, this IMU's report to the board
    /// and, from the publishing IMU, the IMU_METRICS.
    private func updateMetrics(_ sample: ImuSample, board: ImuMetricsBoard, time: Double) {
        tracker.update(sample, board: board)
        let metricsRate = min(publisher.fastestMetricsRateHz, rateHz)
        guard metricsGrid.advance(periodSeconds: 1 / rateHz, metricsRateHz: metricsRate) else { return }
        if let report = tracker.report { board.post(report, role: role, timeSeconds: time) }
        guard let streamSeconds = board.claimPublishing(index: imuIndex, hostSeconds: time, periodSeconds: 1 / metricsRate) else { return }
        publisher.publish(ClientHub.Outbound(stream: .metrics, timeSeconds: streamSeconds,
                                             bytes: WireMessage.imuMetrics(board.snapshot(timeSeconds: time)), fromImus: true))
    }
}
