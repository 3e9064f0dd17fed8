#if canImport(Glibc)
import Glibc
#endif
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

/// The running daemon: the hub, the plate's threads once there is a plate, systemd's side of things
/// (socket activation, readiness, watchdog), and the signals.
final class Daemon {
    private var settings: DaemonConfiguration
    private let configPath: String
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let hub: ClientHub
    private let requests: RequestHandler
    private let startNanoseconds = MonotonicTime.nanoseconds()
    private var profiles: ProfileSet
    private var service: PlateService?
    private var signals = sigset_t()
    private let hubFinished = DispatchSemaphore(value: 0)
    private var lastDiscoveryReport = ""
    /// No device was configured: look for a plate until one is found.
    private let discovering: Bool
    /// The attached devices, followed through hotplug events while no plate is served.
    private var discovery: PlateDiscovery?

    /// Opens what start-up needs; a bad device spec or an unusable socket throws.
    init(settings: DaemonConfiguration, configPath: String, release: String, logger: Logger) throws {
        self.settings = settings
        self.configPath = configPath
        self.logger = logger
        // Signals go to `serveUntilSignalled`'s wait, never to whichever thread they land on: block
        // them before any thread starts (threads inherit the mask).
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        notifier = try SystemdNotifier()
        let activated = try SystemdSocketActivation.listeningSocket()
        SystemdSocketActivation.unsetEnvironment()
        profiles = ProfileSet.loading(directory: settings.profilesDirectory)
        for problem in profiles.problems { logger.warning("device profile skipped", metadata: ["problem": "\(problem)"]) }
        let plates: [DevicePlan.Device]?
        let imus: [DevicePlan.Device]
        do {
            (plates, imus) = try DevicePlan.devices(from: settings.devices, profiles: profiles)
        } catch {
            throw DaemonConfiguration.Problem(location: "configuration", key: "devices", message: error.description)
        }

        discovering = plates == nil
        requests = RequestHandler(release: release, sessionsDirectory: settings.sessionsDirectory, startNanoseconds: startNanoseconds,
                                  logger: logger,
                                  waitingFor: plates?.isEmpty == true ? "a force plate, but none is configured (IMUs only)" : "a dual force plate")
        let handler = requests
        if let activated {
            hub = ClientHub(listener: activated.descriptor, socketPath: activated.path, removesSocketFile: false, release: release,
                            maximumRateHz: plates?.first?.profile.rateHz ?? 1000, queueLimit: settings.clientQueueMessages,
                            stuckSeconds: settings.clientStuckSeconds, logger: logger) { handler.handle($0) }
            logger.notice("socket passed by systemd", metadata: ["path": "\(activated.path)", "name": "\(activated.name ?? "-")"])
        } else {
            hub = try ClientHub(socketPath: settings.socketPath, release: release, maximumRateHz: plates?.first?.profile.rateHz ?? 1000,
                                queueLimit: settings.clientQueueMessages, stuckSeconds: settings.clientStuckSeconds,
                                logger: logger) { handler.handle($0) }
        }
        requests.serve(hub: hub)
        // IMU forwarders register their rings with the hub before its thread starts.
        try startImus(imus)
        let (hub, finished) = (hub, hubFinished)
        guard DetachedThread.start(name: "stance-hub", {
            hub.run()
            finished.signal()
        }) else { throw DeviceError("pthread_create", "client hub thread", kind: .unexpected("no thread could be made (process or memory limit)")) }

        if let plates, plates.isEmpty {
            logger.notice("no force plate configured: serving the IMUs only")
        } else if let plates {
            try startService(plates)
        } else {
            logger.notice("no device configured: looking for a dual force plate through udev and the device profiles")
            discover()
        }
        let status = service.map { "serving \($0.summary) on \(hub.socketPath)" } ?? "waiting for a dual force plate; clients on \(hub.socketPath)"
        do {
            try notifier.ready(status: status)
        } catch {
            logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
        }
        logger.notice("serving", metadata: [
            "socket": "\(hub.socketPath)", "devices": "\(service?.summary ?? "none yet")",
            "sessions": "\(settings.sessionsDirectory)", "watchdog_s": "\(notifier.watchdogIntervalSeconds.map { "\($0)" } ?? "off")",
        ])
    }

    /// The client hub (thread-safe): who watches what.
    var clients: ClientHub { hub }

    /// The plate pipeline, once a plate is served.
    var platePipeline: PlatePipeline? { service?.pipeline }

    /// Each IMU on a reader thread of its own, its samples passed on as IMU objects.
    private func startImus(_ devices: [DevicePlan.Device]) throws {
        var entries: [RequestHandler.ImuEntry] = []
        // The IMUs' kinematics meet here; one IMU's thread sends the IMU_METRICS.
        let board = ImuMetricsBoard(windowSeconds: settings.windowSeconds)
        requests.imuWindowSeconds = settings.windowSeconds
        for (index, device) in devices.enumerated() {
            guard let reader = DeviceReader(serialPath: device.path, profile: device.profile) else {
                throw DaemonConfiguration.Problem(location: "configuration", key: "devices", message: "\(device.path): profile \(device.profile.name) is not a serial device")
            }
            let forwarder = ImuForwarder(reader: reader, profile: device.profile, hub: hub, startNanoseconds: startNanoseconds,
                                         board: board, index: index)
            forwarder.eventLog = eventLogger(logger)
            imuReaders.append(reader)
            imuFinished.enter()
            let finished = imuFinished
            guard DetachedThread.start(name: "stance-imu", {
                forwarder.run()
                finished.leave()
            }) else {
                finished.leave()
                throw DeviceError("pthread_create", device.path, kind: .unexpected("no thread could be made (process or memory limit)"))
            }
            entries.append((.init(path: device.path, profile: device.profile.name, deviceProtocol: device.profile.deviceProtocol.rawValue,
                                  role: device.profile.role.rawValue), reader, device.profile.rateHz, forwarder.sessionFeed))
        }
        requests.serve(imus: entries)
    }

    private var imuReaders: [DeviceReader<SerialDevice<ProfileDecoder>>] = []
    private let imuFinished = DispatchGroup()

    private func startService(_ devices: [DevicePlan.Device]) throws {
        let started = try PlateService(devices: devices, hub: hub, configuration: settings, startNanoseconds: startNanoseconds,
                                       notifier: notifier, logger: logger)
        try started.start()
        requests.serve(pipeline: started.pipeline, devices: started.descriptions)
        service = started
    }

    /// Looks for a plate once; starts it when found. Says what it passed over, once per change.
    private func discover() {
        if discovery == nil { discovery = PlateDiscovery(profiles: profiles) }
        guard let outcome = discovery?.look() else {
            report("libudev could not be initialised: no discovery; configure the device (--device or devices = [...])")
            return
        }
        if let plate = outcome.plate {
            do {
                try startService([plate])
                discovery = nil
                logger.notice("dual force plate found", metadata: ["device": "\(plate.path)", "profile": "\(plate.profile.name)"])
                _ = try? notifier.status("serving \(plate.path) (\(plate.profile.name)) on \(hub.socketPath)")
            } catch {
                report("found \(plate.path) but cannot read it: \(error)")
            }
            return
        }
        report(outcome.passedOver.isEmpty ? "no dual force plate attached yet" : "no usable dual force plate: " + outcome.passedOver.joined(separator: "; "))
    }

    private func report(_ text: String) {
        guard text != lastDiscoveryReport else { return }
        lastDiscoveryReport = text
        logger.notice("discovery", metadata: ["result": "\(text)"])
    }

    /// Waits for signals: SIGHUP reloads, SIGTERM or SIGINT stops. Meanwhile, with no plate yet,
    /// looks for one every second (and feeds the watchdog, which the pipeline does otherwise).
    func serveUntilSignalled() {
        var information = siginfo_t()
        var timeout = timespec(tv_sec: 1, tv_nsec: 0)
        while true {
            let received = sigtimedwait(&signals, &information, &timeout)
            if received == SIGHUP {
                reload()
            } else if received == SIGTERM || received == SIGINT {
                logger.notice("stopping", metadata: ["signal": "\(received == SIGTERM ? "SIGTERM" : "SIGINT")"])
                break
            } else if service == nil {
                // No pipeline thread feeds the watchdog yet: this one does.
                _ = notifier.pingIfDue(nowNanoseconds: MonotonicTime.nanoseconds())
                if discovering { discover() }
            }
        }
        _ = try? notifier.stopping()
        requests.closeSession()
        service?.stop()
        for reader in imuReaders { reader.stop() }
        imuFinished.wait()
        hub.stop()
        hubFinished.wait()
        logger.notice("stopped")
    }

    /// SIGHUP: reads the configuration file and the device profiles again. The live parameters
    /// (sway window, low-pass) change at once; what needs a restart is logged as such.
    private func reload() {
        _ = try? notifier.reloading()
        defer { _ = try? notifier.ready() }
        let reloaded: DaemonConfiguration
        do {
            reloaded = try DaemonConfiguration.load(path: configPath, required: false)
        } catch {
            logger.error("reload refused: the configuration is not valid; keeping the running one", metadata: ["problem": "\(error)"])
            return
        }
        profiles = ProfileSet.loading(directory: reloaded.profilesDirectory)
        for problem in profiles.problems { logger.warning("device profile skipped", metadata: ["problem": "\(problem)"]) }
        discovery = nil   // the next look matches the devices against the new profiles
        var restartNeeded: [String] = []
        if reloaded.devices != settings.devices { restartNeeded.append("devices") }
        if reloaded.socketPath != settings.socketPath { restartNeeded.append("socket") }
        if reloaded.sessionsDirectory != settings.sessionsDirectory { restartNeeded.append("sessions") }
        if reloaded.logLevel != settings.logLevel { restartNeeded.append("log_level") }
        if reloaded.clientQueueMessages != settings.clientQueueMessages { restartNeeded.append("clients.queue_messages") }
        if reloaded.clientStuckSeconds != settings.clientStuckSeconds { restartNeeded.append("clients.stuck_s") }
        if reloaded.windowSeconds != settings.windowSeconds || reloaded.lowpassHz != settings.lowpassHz {
            if let pipeline = service?.pipeline,
               let refusal = pipeline.reconfigure(windowSeconds: reloaded.windowSeconds, lowpassHz: reloaded.lowpassHz) {
                logger.error("reload: pipeline settings refused", metadata: ["reason": "\(refusal)"])
            } else {
                settings.windowSeconds = reloaded.windowSeconds
                settings.lowpassHz = reloaded.lowpassHz
                logger.notice("reload: pipeline settings applied", metadata: [
                    "window_s": "\(reloaded.windowSeconds)", "lowpass_hz": "\(reloaded.lowpassHz)"])
            }
        }
        logger.notice("reloaded", metadata: [
            "config": "\(configPath)", "profiles": "\(profiles.profiles.count)",
            "restart_needed_for": "\(restartNeeded.isEmpty ? "nothing" : restartNeeded.joined(separator: ", "))"])
    }
}
