import ArgumentParser
import Foundation
import Logging
import StanceDaemon
import StanceDevices
import StanceWire

/// `stanced`: serves live metrics of a dual force plate on a Unix socket.
@main
struct Stanced: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stanced",
        abstract: "The Stance daemon: live per-leg force, weight shift, sway and asymmetry on a Unix socket.",
        discussion: "This version serves one serial dual-plate device given with --device; discovery, configuration files and systemd integration come next.",
        version: "0.1.0"
    )

    @Option(help: "A device: PATH[,profile=NAME]. The profile defaults to arduino-hx711-plate.")
    var device: String

    @Option(help: "Where to listen.")
    var socket: String = "/run/stance/stance.sock"

    @Option(help: "Where sessions are recorded (a directory per session).")
    var sessions: String = "/var/lib/stance/sessions"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .customLong("window-s"), help: "Sliding sway window, seconds.")
    var windowSeconds: Double = 30

    @Option(name: .customLong("lowpass-hz"), help: "Causal low-pass on every cell, Hz (0 = none).")
    var lowpassHz: Double = 10

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        guard windowSeconds > 0, windowSeconds <= 600 else { throw ValidationError("--window-s must be in (0, 600] s") }
        guard lowpassHz >= 0 else { throw ValidationError("--lowpass-hz must be 0 or positive") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
        let logger = Logger(label: "stanced")
        // Signals are taken by a waiting thread, never by whichever thread they land on.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let parts = device.split(separator: ",").map(String.init)
        let path = parts[0]
        var profileName = "arduino-hx711-plate"
        for option in parts.dropFirst() {
            let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0] == "profile" else { throw ValidationError("--device: unknown option '\(option)' (known: profile=NAME)") }
            profileName = pair[1]
        }
        let profiles = ProfileSet.loading()
        guard let profile = profiles.profiles.first(where: { $0.name == profileName }) else {
            throw ValidationError("--device: no profile '\(profileName)' (known: \(profiles.profiles.map(\.name).joined(separator: ", ")))")
        }
        guard let reader = DeviceReader(serialPath: path, profile: profile) else {
            throw ValidationError("--device: profile \(profileName) is not a serial device")
        }
        let started = MonotonicTime.nanoseconds()
        let requests = RequestHandler(
            release: Self.configuration.version, sessionsDirectory: sessions,
            device: .init(path: path, profile: profile.name, deviceProtocol: profile.deviceProtocol.rawValue, role: profile.role.rawValue),
            startNanoseconds: started, logger: logger)
        let hub = try ClientHub(socketPath: socket, release: Self.configuration.version, maximumRateHz: profile.rateHz, logger: logger) {
            requests.handle($0)
        }
        let pipeline = try PlatePipeline(reader: reader, hub: hub, rateHz: profile.rateHz, gainNewtonsPerUnit: profile.gains.first ?? 1,
                                         lowpassHz: lowpassHz, windowSeconds: windowSeconds, startNanoseconds: started)
        pipeline.eventLog = { event in
            switch event {
            case .deviceOpenFailed, .deviceUnplugged, .sampleGap: logger.warning("\(event.name)", metadata: ["detail": "\(event.detail)"])
            case .mark: logger.info("mark", metadata: ["detail": "\(event.detail)"])
            case .sessionStarted, .sessionStopped, .tare: break  // the request handler logs these, with their outcome
            default: logger.notice("\(event.name)", metadata: ["detail": "\(event.detail)"])
            }
        }
        requests.hub = hub
        requests.pipeline = pipeline
        let finished = DispatchGroup()
        for body in [{ hub.run() }, { reader.run() }, { pipeline.run() }] as [@Sendable () -> Void] {
            finished.enter()
            Thread { body(); finished.leave() }.start()
        }
        logger.notice("serving", metadata: ["device": "\(path)", "profile": "\(profileName)", "socket": "\(socket)"])
        var received: Int32 = 0
        while sigwait(&signals, &received) == 0 {
            if received == SIGHUP {
                logger.notice("SIGHUP: nothing to reload in this version")
                continue
            }
            break
        }
        logger.notice("stopping", metadata: ["signal": "\(received)"])
        pipeline.stop()
        reader.stop()
        hub.stop()
        finished.wait()
        logger.notice("stopped")
    }
}

