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

    @Option(help: ArgumentHelp("Serve a recorded session as a live dual plate (gpsfake-style): its directory or session.xdf. It plays when the first client watches a stream; stanced exits when it ends.", valueName: "session"))
    var replay: String?

    @Option(name: .customLong("replay-speed"), help: "With --replay: pace as a multiple of the recorded rate (default 1).")
    var replaySpeed: Double = 1

    @Flag(name: .customLong("replay-max"), help: "With --replay: as fast as the daemon reads.")
    var replayMax = false

    /// The file's settings with the command line's on top, each checked.
    func settings(replaying replayFeed: SessionReplayFeed? = nil,
                  replayProfilesDirectory: String? = nil) throws(DaemonConfiguration.Problem) -> DaemonConfiguration {
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
        if let feed = replayFeed {
            // The recording's own analysis settings, unless the command line says otherwise.
            do {
                settings.devices = try feed.deviceSpecs.map { spec throws(DeviceSpec.Problem) in try DeviceSpec(parsing: spec) }
            } catch {
                throw commandLine("--replay", error.description)
            }
            if let profiles = replayProfilesDirectory { settings.profilesDirectory = profiles }
            settings.windowSeconds = feed.analysis.windowSeconds
            settings.lowpassHz = feed.analysis.lowpassHz
        }
        if let windowSeconds { settings.windowSeconds = windowSeconds }
        if let lowpassHz { settings.lowpassHz = lowpassHz }
        for key in ["pipeline.lowpass_hz", "pipeline.window_s", "socket"] { try settings.check(key, at: "command line") }
        return settings
    }

    func validate() throws {
        guard replaySpeed > 0, replaySpeed.isFinite else { throw ValidationError("--replay-speed must be a positive number, got \(replaySpeed)") }
    }

    private static func complain(_ text: String) {
        let line = Array("stanced: \(text)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    func run() throws {
        var replayFeed: SessionReplayFeed?
        if let replay {
            do {
                replayFeed = try SessionReplayFeed(session: replay, speed: replaySpeed, asFastAsRead: replayMax)
            } catch {
                Self.complain("--replay: \(error)")
                throw ExitCode(66)   // EX_NOINPUT
            }
        }
        // The replayed IMUs' profiles (their recorded rates and ranges), in a directory of their own.
        var replayProfiles: String?
        if let feed = replayFeed, !feed.imus.isEmpty {
            do {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stanced-replay-\(getpid())").path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try feed.writeProfiles(into: directory)
                replayProfiles = directory
            } catch {
                Self.complain("--replay: cannot write the IMUs' profiles: \(error)")
                throw ExitCode(73)   // EX_CANTCREAT
            }
        }
        defer { if let replayProfiles { try? FileManager.default.removeItem(atPath: replayProfiles) } }
        let settings: DaemonConfiguration
        do {
            settings = try self.settings(replaying: replayFeed, replayProfilesDirectory: replayProfiles)
        } catch {
            Self.complain("\(error)")
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
        if let feed = replayFeed { try play(feed, into: daemon, logger: logger) }
        daemon.serveUntilSignalled()
    }
}

extension Stanced {
    /// Starts the replay once a client watches; when it has played and the pipeline has taken
    /// every plate sample (or 10 s passed; without plates, half a second for the IMUs' readers),
    /// stops the daemon as SIGTERM would.
    private func play(_ feed: SessionReplayFeed, into daemon: Daemon, logger: Logger) throws {
        let pipeline = daemon.platePipeline
        if feed.plates != nil, pipeline == nil { throw ExitCode(1) }
        let hub = daemon.clients
        let before = pipeline?.samplesProcessed ?? 0
        logger.notice("replay ready: plays when a client watches", metadata: [
            "session": "\(feed.path)", "plate_samples": "\(feed.plates?.frames.count ?? 0)", "plate_rate_hz": "\(feed.plates?.rateHz ?? 0)",
            "imus": "\(feed.imus.map { "\($0.role) (\($0.sampleCount) samples at \($0.rateHz) Hz)" }.joined(separator: ", "))",
            "speed": "\(replayMax ? "max" : "\(replaySpeed)")"])
        let started = feed.start(when: { hub.samplesWatched || hub.eventsWatched || hub.fastestMetricsRateHz > 0 }) { outcome in
            switch outcome {
            case .success(let sent):
                if let pipeline {
                    let deadline = MonotonicTime.nanoseconds() + 10_000_000_000
                    while pipeline.samplesProcessed - before < sent, MonotonicTime.nanoseconds() < deadline { usleep(10_000) }
                } else {
                    usleep(500_000)
                }
                logger.notice("replay finished", metadata: ["sent": "\(sent)", "processed": "\((pipeline?.samplesProcessed ?? 0) - before)"])
            case .failure(let error):
                logger.error("replay failed", metadata: ["error": "\(error)"])
            }
            kill(getpid(), SIGTERM)
        }
        guard started else { throw ExitCode(1) }
    }
}
