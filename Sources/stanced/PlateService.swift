import ArgumentParser
import Foundation
import Logging
import StanceDaemon
import StanceDevices
import StanceWire

/// The reader and pipeline threads of one dual plate, started together and stopped together.
final class PlateService: @unchecked Sendable {
    let path: String
    let profile: DeviceProfile
    let reader: DeviceReader<SerialDevice<ProfileDecoder>>
    let pipeline: PlatePipeline
    private let finished = DispatchGroup()

    init(path: String, profile: DeviceProfile, hub: ClientHub, configuration: DaemonConfiguration, startNanoseconds: UInt64,
         notifier: SystemdNotifier, logger: Logger) throws {
        guard let reader = DeviceReader(serialPath: path, profile: profile) else {
            throw ValidationError("device \(path): profile \(profile.name) is not a serial device")
        }
        self.path = path
        self.profile = profile
        self.reader = reader
        pipeline = try PlatePipeline(reader: reader, hub: hub, rateHz: profile.rateHz, gainNewtonsPerUnit: profile.gains.first ?? 1,
                                     lowpassHz: configuration.lowpassHz, windowSeconds: configuration.windowSeconds,
                                     startNanoseconds: startNanoseconds)
        // The watchdog is fed from the pipeline thread only: if it stalls, systemd restarts us.
        pipeline.heartbeat = { now in notifier.pingIfDue(nowNanoseconds: now) }
        pipeline.eventLog = { event in
            switch event {
            case .deviceOpenFailed, .deviceUnplugged, .sampleGap: logger.warning("\(event.name)", metadata: ["detail": "\(event.detail)"])
            case .mark: logger.info("mark", metadata: ["detail": "\(event.detail)"])
            case .sessionStarted, .sessionStopped, .tare: break   // the request handler logs these, with their outcome
            default: logger.notice("\(event.name)", metadata: ["detail": "\(event.detail)"])
            }
        }
        hub.maximumRateHz = profile.rateHz
    }

    var description: RequestHandler.DeviceDescription {
        .init(path: path, profile: profile.name, deviceProtocol: profile.deviceProtocol.rawValue, role: profile.role.rawValue)
    }

    func start() {
        for body in [{ [reader] in reader.run() }, { [pipeline] in pipeline.run() }] as [@Sendable () -> Void] {
            finished.enter()
            Thread { [finished] in
                body()
                finished.leave()
            }.start()
        }
    }

    /// Stops reading and the pipeline; returns once both threads ended.
    func stop() {
        pipeline.stop()
        reader.stop()
        finished.wait()
    }
}
