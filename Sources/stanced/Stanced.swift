#if canImport(Glibc)
import Glibc
#endif
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

/// `stanced`: serves live metrics of a dual force plate on a Unix socket.
@main
struct Stanced: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stanced",
        abstract: "The Stance daemon: live per-leg force, weight shift, sway and asymmetry on a Unix socket.",
        discussion: """
        Reads one dual force plate, or two single plates (role=left, role=right) paired onto one grid, and any \
        WitMotion IMUs. Settings come from the configuration file (default \(DaemonConfiguration.defaultPath); every \
        key is in docs/configuration.md), then from these options. With no device configured, a dual force plate is \
        found through udev and the device profiles, now or when it is plugged in. Under systemd, the socket may be \
        passed (socket activation), readiness is notified and the watchdog fed from the pipeline thread.

        Signals: SIGTERM or SIGINT stops (a recording session is closed, the socket removed); SIGHUP reloads the \
        configuration and profiles. Exit status 78 for a bad configuration, 1 for other start-up failures.
        """,
        version: "0.1.0"
    )

    @Option(help: ArgumentHelp("Configuration file (default \(DaemonConfiguration.defaultPath), if present).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("A device: PATH[,protocol=P][,role=R][,baud=B][,profile=NAME]; repeatable.", valueName: "spec"))
    var device: [String] = []

    @Option(help: ArgumentHelp("Where to listen (default /run/stance/stance.sock).", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Where sessions are recorded (default /var/lib/stance/sessions).", valueName: "dir"))
    var sessions: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Option(name: .customLong("window-s"), help: "Sliding sway window, seconds (default 30).")
    var windowSeconds: Double?

    @Option(name: .customLong("lowpass-hz"), help: "Causal low-pass on every cell, Hz; 0 = none (default 10).")
    var lowpassHz: Double?

    /// The file's settings with the command line's on top, each checked.
    func settings() throws(DaemonConfiguration.Problem) -> DaemonConfiguration {
        var settings = try DaemonConfiguration.load(path: config ?? DaemonConfiguration.defaultPath, required: config != nil)
        func commandLine(_ key: String, _ message: String) -> DaemonConfiguration.Problem {
            DaemonConfiguration.Problem(location: "command line", key: key, message: message)
        }
        if !device.isEmpty {
            var specs: [DeviceSpec] = []
            for text in device {
                do {
                    specs.append(try DeviceSpec(parsing: text))
                } catch {
                    throw commandLine("--device", error.description)
                }
            }
            settings.devices = specs
        }
        if let socket { settings.socketPath = socket }
        if let sessions { settings.sessionsDirectory = sessions }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else { throw commandLine("--log-level", "unknown level '\(logLevel)'") }
            settings.logLevel = level
        }
        if let windowSeconds { settings.windowSeconds = windowSeconds }
        if let lowpassHz { settings.lowpassHz = lowpassHz }
        for key in ["pipeline.lowpass_hz", "pipeline.window_s", "socket"] { try settings.check(key, at: "command line") }
        return settings
    }

    func run() throws {
        let settings: DaemonConfiguration
        do {
            settings = try self.settings()
        } catch {
            let line = Array("stanced: \(error)\n".utf8)
            _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode(78)   // EX_CONFIG: systemd's unit does not restart on it
        }
        let level = settings.logLevel
        LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
        let logger = Logger(label: "stanced")
        let daemon: Daemon
        do {
            daemon = try Daemon(settings: settings, configPath: config ?? DaemonConfiguration.defaultPath,
                                release: Self.configuration.version, logger: logger)
        } catch let problem as DaemonConfiguration.Problem {
            logger.critical("\(problem)")
            throw ExitCode(78)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        daemon.serveUntilSignalled()
    }
}
