#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StanceDevices
import StanceWire
import Synchronization

/// Sessions of a daemon with IMUs and no plate: the recorder takes the IMUs' samples straight from
/// their readers (`ImuSessionFeed`), so there is no pipeline to attach to; start, marks and stop
/// become markers here, on the hub's thread, and the file holds the markers and the IMU streams.
extension RequestHandler {
    /// A session request while no plate is served; nil when there are no IMUs either.
    func handleWithoutPlates(_ request: WireRequest) -> [UInt8]? {
        let feeds = imuFeeds
        guard !feeds.isEmpty else { return nil }
        endImuSessionIfFailed()
        switch request {
        case .sessionStart(let subject, let exercise, let mass, let notes):
            if let running = imuOnlySession.withLock({ $0 }) {
                return refuse(request, "session \(running.id) is already recording (stop it first)")
            }
            var setup = SessionRecorder.Setup(devicePath: "", profile: "", rateHz: 0, lowpassHz: 0, windowSeconds: imuWindowSeconds,
                                              release: release, clockOriginNanoseconds: startNanoseconds)
            setup.hasPlates = false
            let recorder: SessionRecorder
            do {
                recorder = try SessionRecorder(sessionsDirectory: sessionsDirectory,
                                               metadata: .init(subject: subject, exercise: exercise, bodyMassKilograms: mass, notes: notes),
                                               setup: setup, imus: feeds)
            } catch {
                logger.error("session not started", metadata: ["reason": "\(error)"])
                return refuse(request, "cannot start a session: \(error)")
            }
            let now = uptime()
            recorder.hostStartSeconds = now
            imuOnlySession.withLock { $0 = recorder }
            recorder.startImus()
            note(recorder, WireEvent.sessionStarted(id: recorder.id, path: recorder.directory), at: now)
            logger.notice("session started", metadata: ["id": "\(recorder.id)", "path": "\(recorder.directory)", "plates": "none"])
            return WireMessage.session(state: "recording", Self.describe(recorder))
        case .sessionStop:
            guard let recorder = imuOnlySession.withLock({ $0.take() }) else { return refuse(request, "no session is recording") }
            note(recorder, WireEvent.sessionStopped(id: recorder.id, path: recorder.directory), at: uptime())
            return finishStopped(recorder)
        case .mark(let label):
            let now = uptime()
            let session = imuOnlySession.withLock { $0 }
            if let session { note(session, WireEvent.mark(label: label, session: session.id), at: now) }
            return WireMessage.mark(label: label, timeSeconds: now, session: session?.id)
        default:
            return nil
        }
    }

    /// The IMU-only session, if one records (for STATUS and the shutdown).
    var imuOnlySessionReport: StatusReport.Session? { imuOnlySession.withLock { $0 }.map(Self.describe) }

    /// At shutdown: the IMU-only session's file completed.
    func closeImuOnlySession() -> SessionRecorder.Summary? {
        guard let recorder = imuOnlySession.withLock({ $0.take() }) else { return nil }
        note(recorder, WireEvent.sessionStopped(id: recorder.id, path: recorder.directory), at: uptime())
        return recorder.finish()
    }

    /// A writer that failed (a full disk) ends its session at the next request.
    private func endImuSessionIfFailed() {
        guard let recorder = imuOnlySession.withLock({ session -> SessionRecorder? in
            guard let failed = session, failed.hasFailed else { return nil }
            session = nil
            return failed
        }) else { return }
        let summary = recorder.finish()
        logger.error("session.failed", metadata: ["id": "\(summary.id)", "reason": "\(summary.failure ?? "a write failed")"])
    }

    private func note(_ recorder: SessionRecorder, _ event: WireEvent, at time: Double) {
        recorder.note(SessionRecorder.Note(deviceSeconds: time - recorder.hostStartSeconds, hostSeconds: time, event: event.name,
                                           detail: event.detail))
    }
}
