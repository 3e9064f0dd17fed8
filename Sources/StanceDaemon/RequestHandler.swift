#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Logging
import StanceDevices
import StanceWire
import Synchronization

/// Answers clients' requests other than `watch`, on the hub's thread: STATUS from the counters,
/// and tare, config, sessions and marks through the pipeline's mailbox (the pipeline thread alone
/// changes the chain and feeds the session). Session files are opened and closed here, never on
/// the pipeline thread.
public final class RequestHandler: @unchecked Sendable {
    /// The device as STATUS names it.
    public struct DeviceDescription: Sendable {
        public var path: String
        public var profile: String
        public var deviceProtocol: String
        public var role: String

        public init(path: String, profile: String, deviceProtocol: String, role: String) {
            self.path = path
            self.profile = profile
            self.deviceProtocol = deviceProtocol
            self.role = role
        }
    }

    public let release: String
    public let sessionsDirectory: String
    let startNanoseconds: UInt64
    let logger: Logger
    /// A session while no plate is served (IMUs only; `ImuOnlySessions`).
    let imuOnlySession = Mutex<SessionRecorder?>(nil)
    /// The IMU windows' length, seconds (recorded in an IMU-only session's header).
    public var imuWindowSeconds = 30.0
    /// The hub (for its clients in STATUS) and the device's pipeline, which discovery may bring
    /// later; with the device's description.
    private let served = Mutex<(hub: ClientHub?, pipeline: PlatePipeline?, devices: [DeviceDescription])>((nil, nil, []))
    /// What STATUS says while there is no device.
    private let waitingFor: String

    /// - Parameters:
    ///   - startNanoseconds: the daemon's start on `CLOCK_MONOTONIC`.
    ///   - waitingFor: what the daemon waits for when no device is served (for ERROR replies).
    public init(release: String, sessionsDirectory: String, startNanoseconds: UInt64, logger: Logger,
                waitingFor: String = "a dual force plate") {
        self.release = release
        self.sessionsDirectory = sessionsDirectory
        self.startNanoseconds = startNanoseconds
        self.logger = logger
        self.waitingFor = waitingFor
    }

    /// IMUs whose samples are passed on, for STATUS: each with its reader and nominal rate (Hz);
    /// and for sessions, which record them, its feed.
    public typealias ImuEntry = (description: DeviceDescription, reader: DeviceReader<SerialDevice<ProfileDecoder>>, rateHz: Double,
                                 sessionFeed: ImuSessionFeed)
    private let imus = Mutex<[ImuEntry]>([])

    /// The IMUs STATUS lists.
    public func serve(imus entries: [ImuEntry]) { imus.withLock { $0 = entries } }

    /// The IMUs' session feeds, in configuration order.
    var imuFeeds: [ImuSessionFeed] { imus.withLock { $0 }.map(\.sessionFeed) }

    /// The hub whose clients STATUS lists.
    public func serve(hub: ClientHub) { served.withLock { $0.hub = hub } }

    /// The pipeline, from now on, and its devices in the order of its readers.
    public func serve(pipeline: PlatePipeline, devices: [DeviceDescription]) {
        served.withLock {
            $0.pipeline = pipeline
            $0.devices = devices
        }
    }

    /// The reply line for `request`.
    public func handle(_ request: WireRequest) -> [UInt8] {
        let (hub, pipeline, devices) = served.withLock { ($0.hub, $0.pipeline, $0.devices) }
        guard let pipeline, !devices.isEmpty else {
            if case .status = request { return WireMessage.status(idleStatus(hub: hub)) }
            if let reply = handleWithoutPlates(request) { return reply }
            return refuse(request, "no device yet: waiting for \(waitingFor)")
        }
        switch request {
        case .watch:
            return refuse(request, "watch is served by the hub")
        case .status:
            return WireMessage.status(status(pipeline, devices: devices, hub: hub))
        case .tare:
            switch pipeline.mailbox.submit(.tare) {
            case .tared(let offsets, let samples, let period)?:
                logger.notice("tare", metadata: ["offsets_N": "\(offsets.map { ($0 * 1000).rounded() / 1000 })"])
                return WireMessage.tare(offsetsNewtons: offsets, samples: samples, periodSeconds: period)
            case let reply: return refuse(request, reply)
            }
        case .config(let window, let lowpass):
            switch pipeline.mailbox.submit(.configure(windowSeconds: window, lowpassHz: lowpass)) {
            case .configured(let window, let lowpass)?:
                logger.notice("config", metadata: ["window_s": "\(window)", "lowpass_hz": "\(lowpass)"])
                return WireMessage.config(windowSeconds: window, lowpassHz: lowpass)
            case let reply: return refuse(request, reply)
            }
        case .sessionStart(let subject, let exercise, let mass, let notes):
            return startSession(SessionRecorder.Metadata(subject: subject, exercise: exercise, bodyMassKilograms: mass, notes: notes),
                                pipeline: pipeline, devices: devices, request: request)
        case .sessionStop:
            return stopSession(pipeline: pipeline, request: request)
        case .mark(let label):
            switch pipeline.mailbox.submit(.mark(label: label)) {
            case .marked(let time, let session)?:
                return WireMessage.mark(label: label, timeSeconds: time, session: session)
            case let reply: return refuse(request, reply)
            }
        }
    }

    private func startSession(_ metadata: SessionRecorder.Metadata, pipeline: PlatePipeline, devices: [DeviceDescription],
                              request: WireRequest) -> [UInt8] {
        if let running = pipeline.session { return refuse(request, "session \(running.id) is already recording (stop it first)") }
        let setup = SessionRecorder.Setup(devicePath: devices.map(\.path).joined(separator: " + "),
                                          profile: devices.map(\.profile).joined(separator: " + "), rateHz: pipeline.rateHz,
                                          lowpassHz: pipeline.lowpassHz, windowSeconds: pipeline.windowSeconds,
                                          gainNewtonsPerUnit: pipeline.gainNewtonsPerUnit, layout: pipeline.layout, release: release,
                                          clockOriginNanoseconds: startNanoseconds)
        let recorder: SessionRecorder
        do {
            recorder = try SessionRecorder(sessionsDirectory: sessionsDirectory, metadata: metadata, setup: setup,
                                           imus: imus.withLock { $0 }.map(\.sessionFeed))
        } catch {
            logger.error("session not started", metadata: ["reason": "\(error)"])
            return refuse(request, "cannot start a session: \(error)")
        }
        guard pipeline.attach(recorder) else {
            _ = recorder.finish()
            try? FileManager.default.removeItem(atPath: recorder.directory)
            return refuse(request, "the pipeline did not take the session")
        }
        recorder.startImus()
        logger.notice("session started", metadata: ["id": "\(recorder.id)", "path": "\(recorder.directory)"])
        return WireMessage.session(state: "recording", Self.describe(recorder))
    }

    /// Stops and closes the recording session, if one runs (at shutdown): its files are complete
    /// on disk when this returns.
    @discardableResult
    public func closeSession() -> SessionRecorder.Summary? {
        if let summary = closeImuOnlySession() {
            logger.notice("session closed at shutdown", metadata: ["id": "\(summary.id)", "path": "\(summary.directory)"])
            return summary
        }
        guard let pipeline = served.withLock({ $0.pipeline }), case .detached(let recorder?)? = pipeline.mailbox.submit(.detach) else {
            return nil
        }
        let summary = recorder.finish()
        logger.notice("session closed at shutdown", metadata: [
            "id": "\(summary.id)", "path": "\(summary.directory)", "samples": "\(summary.samples)", "rows_lost": "\(summary.rowsLost)",
            "imus": "\(Self.logText(Self.imuCounts(recorder.imus, summary.imus)))",
        ])
        return summary
    }

    private func stopSession(pipeline: PlatePipeline, request: WireRequest) -> [UInt8] {
        switch pipeline.mailbox.submit(.detach) {
        case .detached(let recorder?)?:
            return finishStopped(recorder)
        case .detached(nil)?:
            return refuse(request, "no session is recording")
        case let reply:
            return refuse(request, reply)
        }
    }

    /// Completes a stopped session's files, logs it, and the SESSION reply.
    func finishStopped(_ recorder: SessionRecorder) -> [UInt8] {
        let summary = recorder.finish()
        logger.notice("session stopped", metadata: [
            "id": "\(summary.id)", "path": "\(summary.directory)", "samples": "\(summary.samples)",
            "duration_s": "\(summary.durationSeconds)", "rows_lost": "\(summary.rowsLost)",
            "imus": "\(Self.logText(Self.imuCounts(recorder.imus, summary.imus)))",
        ])
        if let failure = summary.failure { logger.error("session lost data", metadata: ["id": "\(summary.id)", "reason": "\(failure)"]) }
        return WireMessage.session(state: "stopped", StatusReport.Session(
            id: summary.id, path: summary.directory, samples: summary.samples, rowsLost: summary.rowsLost,
            durationSeconds: summary.durationSeconds, failure: summary.failure, imus: Self.imuCounts(recorder.imus, summary.imus)))
    }

    /// Per IMU recorded, `ROLE: N samples, M lost`; `none` without IMUs.
    static func logText(_ counts: [StatusReport.ImuCount]) -> String {
        counts.isEmpty ? "none" : counts.map { "\($0.role): \($0.samples) samples, \($0.lost) lost" }.joined(separator: "; ")
    }

    static func describe(_ recorder: SessionRecorder) -> StatusReport.Session {
        let progress = recorder.progressReport
        return StatusReport.Session(id: recorder.id, path: recorder.directory, samples: progress.samples, rowsLost: progress.lost,
                                    durationSeconds: progress.durationSeconds, failure: progress.failure,
                                    imus: imuCounts(recorder.imus, recorder.imuProgressReport))
    }

    /// Each recorded IMU's role with its counts, for the wire.
    static func imuCounts(_ imus: [SessionRecorder.ImuSetup], _ counts: [SessionRecorder.ImuCounts]) -> [StatusReport.ImuCount] {
        zip(imus, counts).map { StatusReport.ImuCount(role: $0.role, samples: $1.samples, lost: $1.lost) }
    }

    private func clients(_ hub: ClientHub?) -> [StatusReport.Client] {
        (hub?.clients ?? []).map { StatusReport.Client(id: Int($0.descriptor), streams: $0.streams.map(\.rawValue), dropped: $0.dropped) }
    }

    /// Seconds since the daemon started (the wire's clock).
    func uptime() -> Double { Double(MonotonicTime.nanoseconds() - startNanoseconds) / 1e9 }

    private func idleStatus(hub: ClientHub?) -> StatusReport {
        StatusReport(release: release, uptimeSeconds: uptime(), pipelineRateHz: 0, devices: imuEntries(), clients: clients(hub),
                     publishDrops: hub?.publishDrops ?? 0, session: imuOnlySessionReport)
    }

    private static func entry(_ device: DeviceDescription, _ reader: DeviceReader<SerialDevice<ProfileDecoder>>, rateHz: Double) -> StatusReport.Device {
        let statistics = reader.statistics
        return StatusReport.Device(
            path: device.path, profile: device.profile, deviceProtocol: device.deviceProtocol, role: device.role,
            state: statistics.connected ? "connected" : "waiting", rateHz: rateHz,
            samples: statistics.decoder.samplesDecoded, badFrames: statistics.decoder.badFrames,
            checksumErrors: statistics.decoder.checksumErrors, gaps: statistics.decoder.sequenceGaps,
            bytesDiscarded: statistics.decoder.bytesDiscarded, unplugs: statistics.hangUps, reads: statistics.reads)
    }

    private func imuEntries() -> [StatusReport.Device] {
        imus.withLock { $0 }.map { Self.entry($0.description, $0.reader, rateHz: $0.rateHz) }
    }

    private func status(_ pipeline: PlatePipeline, devices: [DeviceDescription], hub: ClientHub?) -> StatusReport {
        let entries = zip(devices, pipeline.readers).map { Self.entry($0, $1, rateHz: pipeline.rateHz) } + imuEntries()
        return StatusReport(
            release: release, uptimeSeconds: uptime(),
            pipelineRateHz: pipeline.rateHz, devices: entries, clients: clients(hub), publishDrops: hub?.publishDrops ?? 0,
            pipeline: StatusReport.Pipeline(processed: pipeline.samplesProcessed, refused: pipeline.samplesRefused,
                                            windowSeconds: pipeline.windowSeconds, lowpassHz: pipeline.lowpassHz),
            session: pipeline.session.map(Self.describe),
            alignment: pipeline.isPaired ? pipeline.alignmentReport : nil)
    }

    func refuse(_ request: WireRequest, _ message: String) -> [UInt8] {
        WireMessage.error(WireError(cmd: request.command, message: message))
    }

    private func refuse(_ request: WireRequest, _ reply: PipelineReply?) -> [UInt8] {
        switch reply {
        case .refused(let reason)?: return refuse(request, reason)
        case nil: return refuse(request, "the pipeline did not answer within 2 s")
        default: return refuse(request, "unexpected reply from the pipeline")
        }
    }
}
