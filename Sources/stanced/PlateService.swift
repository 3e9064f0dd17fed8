import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Logging
import StanceDaemon
import StanceDevices
import StanceWire

/// The reader threads and the pipeline thread of one dual plate or one left/right pair, started
/// together and stopped together.
final class PlateService: @unchecked Sendable {
    let devices: [DevicePlan.Device]
    let readers: [DeviceReader<SerialDevice<ProfileDecoder>>]
    let pipeline: PlatePipeline
    private let finished = DispatchGroup()

    /// "path (profile)" of each device, for the log and systemd's status line.
    var summary: String { devices.map { "\($0.path) (\($0.profile.name), \($0.profile.role.rawValue))" }.joined(separator: " + ") }

    init(devices: [DevicePlan.Device], hub: ClientHub, configuration: DaemonConfiguration, startNanoseconds: UInt64,
         notifier: SystemdNotifier, logger: Logger) throws {
        var readers: [DeviceReader<SerialDevice<ProfileDecoder>>] = []
        for device in devices {
            guard let reader = DeviceReader(serialPath: device.path, profile: device.profile) else {
                throw ValidationError("device \(device.path): profile \(device.profile.name) is not a serial device")
            }
            readers.append(reader)
        }
        self.devices = devices
        self.readers = readers
        let profile = devices[0].profile
        pipeline = try PlatePipeline(readers: readers, hub: hub, rateHz: profile.rateHz, gainNewtonsPerUnit: profile.gains.first ?? 1,
                                     lowpassHz: configuration.lowpassHz, windowSeconds: configuration.windowSeconds,
                                     startNanoseconds: startNanoseconds)
        // The watchdog is fed from the pipeline thread only: if it stalls, systemd restarts us.
        pipeline.heartbeat = { now in notifier.pingIfDue(nowNanoseconds: now) }
        pipeline.eventLog = eventLogger(logger)
        hub.maximumRateHz = profile.rateHz
    }

    var descriptions: [RequestHandler.DeviceDescription] {
        devices.map { .init(path: $0.path, profile: $0.profile.name, deviceProtocol: $0.profile.deviceProtocol.rawValue,
                            role: $0.profile.role.rawValue) }
    }

    /// Starts the threads; throws (after stopping what started) when one could not be made.
    func start() throws {
        var startFailures = 0
        let pipeline = pipeline
        // The pipeline runs on the first reader's thread; a second plate's reader wakes it.
        let first = readers[0]
        var bodies: [(String, @Sendable () -> Void)] = [(readers.count == 1 ? "stance-plate" : "stance-left", {
            first.run(companion: pipeline.companion)
        })]
        if readers.count == 2 {
            let second = readers[1]
            bodies.append(("stance-right", { second.run() }))
        }
        for (name, body) in bodies {
            finished.enter()
            if !DetachedThread.start(name: name, { [finished] in
                body()
                finished.leave()
            }) {
                finished.leave()   // never started: nothing to wait for (start-up fails below)
                startFailures += 1
            }
        }
        if startFailures > 0 {
            stop()
            throw DeviceError("pthread_create", devices.map(\.path).joined(separator: " + "), kind: .unexpected("no thread could be made (process or memory limit)"))
        }
    }

    /// Stops reading and the pipeline; returns once both threads ended.
    func stop() {
        pipeline.stop()
        for reader in readers { reader.stop() }
        finished.wait()
    }
}
