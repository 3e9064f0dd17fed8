#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import StanceDevices
import StanceRecording

/// stanced's settings: defaults, then the configuration file (`/etc/stance/stanced.toml`), then
/// the command line. Every key is listed in `keys` and documented in `docs/configuration.md`; an
/// unknown key or a bad value stops start-up with the file, line, key and reason.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Devices to read (`PATH[,protocol=P][,role=R][,baud=B][,profile=NAME]`); empty = discovery.
    public var devices: [DeviceSpec] = []
    public var socketPath = "/run/stance/stance.sock"
    public var sessionsDirectory = "/var/lib/stance/sessions"
    public var logLevel = Logger.Level.info
    public var profilesDirectory = ProfileSet.userDirectory
    /// Causal Butterworth low-pass on every cell, Hz; 0 = none.
    public var lowpassHz = 10.0
    /// Sliding sway window, seconds, (0, 600].
    public var windowSeconds = 30.0
    /// Messages a client's queue holds before new ones are dropped (and counted).
    public var clientQueueMessages = 1024
    /// Seconds a client may leave output unread before it is disconnected.
    public var clientStuckSeconds = 10.0

    public static let defaultPath = "/etc/stance/stanced.toml"

    public init() {}

    /// A documented key: its name in the file, unit, default and meaning.
    public struct Key: Sendable {
        public var name: String
        public var type: String
        public var unit: String
        public var defaultValue: String
        public var meaning: String
    }

    public static let keys: [Key] = [
        Key(name: "devices", type: "array of strings", unit: "—", defaultValue: "[] (discovery)",
            meaning: "Devices to read, each `PATH[,protocol=P][,role=R][,baud=B][,profile=NAME]` as for `--device`. Empty: devices found by udev and matched by profile."),
        Key(name: "socket", type: "string", unit: "path", defaultValue: "/run/stance/stance.sock",
            meaning: "Where clients connect (ignored when systemd passes the socket)."),
        Key(name: "sessions", type: "string", unit: "path", defaultValue: "/var/lib/stance/sessions",
            meaning: "Directory that receives one directory per recorded session."),
        Key(name: "log_level", type: "string", unit: "—", defaultValue: "info",
            meaning: "trace, debug, info, notice, warning, error or critical."),
        Key(name: "profiles_dir", type: "string", unit: "path", defaultValue: ProfileSet.userDirectory,
            meaning: "Directory of device profiles (`*.toml`) that add to or replace the built-in ones."),
        Key(name: "pipeline.lowpass_hz", type: "number", unit: "Hz", defaultValue: "10",
            meaning: "Causal 4th-order Butterworth low-pass on every cell before force and COP; 0 turns it off; below half the sample rate. Live: `config` command, SIGHUP."),
        Key(name: "pipeline.window_s", type: "number", unit: "s", defaultValue: "30",
            meaning: "Length of the sliding sway windows, (0, 600]. Live: `config` command, SIGHUP."),
        Key(name: "clients.queue_messages", type: "integer", unit: "messages", defaultValue: "1024",
            meaning: "A client's outgoing queue, 16…1000000; when full, messages are dropped, counted, and the client gets LAG."),
        Key(name: "clients.stuck_s", type: "number", unit: "s", defaultValue: "10",
            meaning: "A client that reads nothing for this long while output waits is disconnected, (0, 3600]."),
    ]

    /// A refused setting: where, which key, why.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// "FILE:LINE:COLUMN" or "command line".
        public var location: String
        public var key: String
        public var message: String
        public var description: String { "\(location): \(key): \(message)" }

        public init(location: String, key: String, message: String) {
            self.location = location
            self.key = key
            self.message = message
        }
    }

    /// Reads the file at `path`. A missing file is no problem unless `required` (named on the
    /// command line); anything else wrong with it is.
    public static func load(path: String, required: Bool) throws(Problem) -> DaemonConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path)
        } catch {
            if error.code == ENOENT, !required { return DaemonConfiguration() }
            throw Problem(location: path, key: "—", message: "cannot read: \(error.reason)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Problem(location: path, key: "—", message: "not UTF-8 text") }
        let file: ConfigurationFile
        do {
            file = try ConfigurationFile(text: text, path: path)
        } catch {
            throw Problem(location: "\(error.path):\(error.line):\(error.column)", key: "—", message: error.message)
        }
        return try DaemonConfiguration(file: file)
    }

    /// The defaults with the file's keys applied, each checked.
    public init(file: ConfigurationFile) throws(Problem) {
        let known = Set(Self.keys.map(\.name))
        for name in file.keys {
            guard let entry = file.entries[name] else { continue }
            let location = "\(file.path):\(entry.line):\(entry.column)"
            guard known.contains(name) else {
                throw Problem(location: location, key: name, message: "unknown key (known: \(Self.keys.map(\.name).joined(separator: ", ")))")
            }
            try apply(name, entry.value, at: location)
        }
    }

    private mutating func apply(_ key: String, _ value: ConfigurationFile.Value, at location: String) throws(Problem) {
        func problem(_ message: String) -> Problem { Problem(location: location, key: key, message: message) }
        func string() throws(Problem) -> String {
            guard case .string(let text) = value, !text.isEmpty else { throw problem("expected a non-empty string, got \(value.typeName)") }
            return text
        }
        func number() throws(Problem) -> Double {
            guard let number = value.number, number.isFinite else { throw problem("expected a number, got \(value.typeName)") }
            return number
        }
        switch key {
        case "devices":
            guard case .array(let items) = value else { throw problem("expected an array of device strings, got \(value.typeName)") }
            var specs: [DeviceSpec] = []
            for item in items {
                guard case .string(let text) = item else { throw problem("expected device strings, got \(item.typeName)") }
                do {
                    specs.append(try DeviceSpec(parsing: text))
                } catch {
                    throw problem(error.description)
                }
            }
            devices = specs
        case "socket": socketPath = try string()
        case "sessions": sessionsDirectory = try string()
        case "profiles_dir": profilesDirectory = try string()
        case "log_level":
            let text = try string()
            guard let level = Logger.Level(rawValue: text) else {
                throw problem("'\(text)' is not a level (trace, debug, info, notice, warning, error, critical)")
            }
            logLevel = level
        case "pipeline.lowpass_hz": lowpassHz = try number()
        case "pipeline.window_s": windowSeconds = try number()
        case "clients.queue_messages":
            guard case .integer(let count) = value else { throw problem("expected an integer, got \(value.typeName)") }
            clientQueueMessages = count
        case "clients.stuck_s": clientStuckSeconds = try number()
        default: throw problem("unknown key")
        }
        try check(key, at: location)
    }

    /// Range checks, shared by the file and the command line.
    public func check(_ key: String, at location: String) throws(Problem) {
        func problem(_ message: String) -> Problem { Problem(location: location, key: key, message: message) }
        switch key {
        case "pipeline.lowpass_hz" where !(lowpassHz >= 0 && lowpassHz <= 1000):
            throw problem("\(lowpassHz) Hz is out of range: 0 (off) or up to 1000 Hz, and below half the sample rate")
        case "pipeline.window_s" where !(windowSeconds > 0 && windowSeconds <= 600):
            throw problem("\(windowSeconds) s is out of range (0, 600] s")
        case "clients.queue_messages" where !(16...1_000_000).contains(clientQueueMessages):
            throw problem("\(clientQueueMessages) is out of range 16…1000000 messages")
        case "clients.stuck_s" where !(clientStuckSeconds > 0 && clientStuckSeconds <= 3600):
            throw problem("\(clientStuckSeconds) s is out of range (0, 3600] s")
        case "socket" where socketPath.utf8.count > 107:
            throw problem("socket path longer than 107 bytes")
        default:
            return
        }
    }
}
