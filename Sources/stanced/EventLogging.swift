import Logging
import StanceWire

/// How the daemon logs the pipeline's and the IMUs' events: one line each, warnings for what
/// lost or may lose data. Session starts and stops and tares are logged by the request handler,
/// with their outcome.
func eventLogger(_ logger: Logger) -> @Sendable (WireEvent) -> Void {
    { event in
        switch event {
        case .deviceOpenFailed, .deviceUnplugged, .sampleGap: logger.warning("\(event.name)", metadata: ["detail": "\(event.detail)"])
        case .sessionFailed, .sessionRowsLost: logger.error("\(event.name)", metadata: ["detail": "\(event.detail)"])
        case .mark: logger.info("mark", metadata: ["detail": "\(event.detail)"])
        case .sessionStarted, .sessionStopped, .tare: break
        default: logger.notice("\(event.name)", metadata: ["detail": "\(event.detail)"])
        }
    }
}
