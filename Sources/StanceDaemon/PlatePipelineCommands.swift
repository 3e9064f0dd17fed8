import StanceDevices
import StanceDSP
import StanceWire

/// The pipeline thread's side of commands and events: it alone changes the chain and the session.
extension PlatePipeline {
    func serve(_ command: PipelineCommand, state: inout StreamState) -> PipelineReply {
        let now = seconds(MonotonicTime.nanoseconds())
        switch command {
        case .tare:
            if let absent = readers.first(where: { !$0.statistics.connected }) { return .refused("no device: \(absent.path) is not connected") }
            switch quietHistory.tare() {
            case .failure(.tooFewSamples(let got, let needed)):
                return .refused("not enough signal yet: \(got) of the \(needed) samples of the last \(Self.tarePeriodSeconds) s")
            case .failure(let refusal):
                return .refused("tare refused: \(refusal)")
            case .success(let offsets):
                chain.calibration.tareNewtons = offsets
                let list = (0..<8).map { offsets[$0] }
                publish(.tare(offsetsNewtons: list), at: now)
                return .tared(offsetsNewtons: list, samples: quietHistory.count, periodSeconds: Self.tarePeriodSeconds)
            }
        case .configure(let window, let lowpass):
            let windowSeconds = window ?? liveWindowSeconds
            let lowpassHz = lowpass ?? liveLowpassHz
            guard windowSeconds > 0, windowSeconds <= 600 else { return .refused("window_s must be in (0, 600] s, got \(windowSeconds)") }
            guard lowpassHz >= 0, lowpassHz < rateHz / 2 else {
                return .refused("lowpass_hz must be 0 (off) or below the Nyquist frequency \(rateHz / 2) Hz, got \(lowpassHz)")
            }
            switch redesign(rateHz: rateHz, lowpassHz: lowpassHz, windowSeconds: windowSeconds) {
            case .failure(let error): return .refused("cannot design the filter: \(error)")
            case .success: return .configured(windowSeconds: windowSeconds, lowpassHz: lowpassHz)
            }
        case .attach(let session):
            guard recorder == nil else { return .refused("a session is already recording") }
            session.hostStartSeconds = now
            recorder = session
            recorderForStatus.withLock { $0 = session }
            state.sessionSamples = 0
            state.sessionRowsLostReported = 0
            state.nextRowsLostReportNanoseconds = 0
            publish(.sessionStarted(id: session.id, path: session.directory), at: now)
            return .attached
        case .detach:
            guard let session = recorder else { return .detached(nil) }
            // Published first, so the session's own file notes its end too.
            publish(.sessionStopped(id: session.id, path: session.directory), at: now)
            recorder = nil
            recorderForStatus.withLock { $0 = nil }
            return .detached(session)
        case .mark(let label):
            publish(.mark(label: label, session: recorder?.id), at: now)
            return .marked(timeSeconds: now, session: recorder?.id)
        }
    }

    /// A session whose files could not be written (its writer closed them and stopped): it ends
    /// here, with an EVENT and an error in the log; live metrics go on.
    func endFailedSession(_ session: SessionRecorder) {
        recorder = nil
        recorderForStatus.withLock { $0 = nil }
        let reason = session.progressReport.failure ?? "a write failed"
        publish(.sessionFailed(id: session.id, path: session.directory, reason: reason), at: seconds(MonotonicTime.nanoseconds()))
    }

    /// A session whose writer fell behind until its buffer filled: an EVENT (and an error in the
    /// log) with the samples lost so far, at most once a second while it goes on.
    func reportRowsLost(_ session: SessionRecorder, state: inout StreamState) {
        let lost = session.rowsDropped
        guard lost > state.sessionRowsLostReported else { return }
        let now = MonotonicTime.nanoseconds()
        guard now >= state.nextRowsLostReportNanoseconds else { return }
        state.sessionRowsLostReported = lost
        state.nextRowsLostReportNanoseconds = now + 1_000_000_000
        publish(.sessionRowsLost(id: session.id, path: session.directory, rowsLost: lost), at: seconds(now))
    }

    /// Attaches a recording session: it is fed from the next sample. False when one already is.
    public func attach(_ session: SessionRecorder) -> Bool {
        if case .attached? = mailbox.submit(.attach(session)) { return true }
        return false
    }

    /// Publishes an EVENT (when someone watches events) and notes it in the session.
    func publish(_ event: WireEvent, at time: Double) {
        eventLog?(event)
        if let recorder {
            let sessionSeconds = time - recorder.hostStartSeconds
            recorder.note(SessionRecorder.Note(deviceSeconds: sessionSeconds, hostSeconds: time, event: event.name,
                                               detail: event.detail))
        }
        guard hub.eventsWatched else { return }
        hub.publish(ClientHub.Outbound(stream: .events, timeSeconds: time, bytes: WireMessage.event(timeSeconds: time, event)))
    }
}

extension PlatePipeline {
    /// Changes the live parameters from another thread (a reload): nil when done, else why not.
    public func reconfigure(windowSeconds: Double, lowpassHz: Double) -> String? {
        switch mailbox.submit(.configure(windowSeconds: windowSeconds, lowpassHz: lowpassHz)) {
        case .configured?: return nil
        case .refused(let reason)?: return reason
        default: return "the pipeline did not answer within 2 s"
        }
    }
}
