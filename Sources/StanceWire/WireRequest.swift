#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The streams a client can watch.
public enum WireStream: String, Sendable, CaseIterable {
    /// METRICS objects at the watch rate.
    case metrics
    /// Device, gap, tare, session and mark events.
    case events
    /// Every calibrated per-cell sample.
    case samples
}

/// A refused request: the `ERROR` reply names the command (when there was one) and why.
public struct WireError: Error, Equatable, Sendable {
    public var cmd: String?
    public var message: String

    public init(cmd: String?, message: String) {
        self.cmd = cmd
        self.message = message
    }
}

/// A client's request (`docs/protocol.md`): one JSON object per line with a `cmd`.
public enum WireRequest: Equatable, Sendable {
    case watch(streams: [WireStream], rateHz: Double?)
    case status
    case tare
    case sessionStart(subject: String?, exercise: String?, bodyMassKilograms: Double?, notes: String?)
    case sessionStop
    case mark(label: String)
    case config(windowSeconds: Double?, lowpassHz: Double?)

    /// The commands, as clients spell them.
    public static let commands = ["watch", "status", "tare", "session.start", "session.stop", "mark", "config"]

    /// The command as the client spelled it, for an `ERROR` reply.
    public var command: String {
        switch self {
        case .watch: "watch"
        case .status: "status"
        case .tare: "tare"
        case .sessionStart: "session.start"
        case .sessionStop: "session.stop"
        case .mark: "mark"
        case .config: "config"
        }
    }

    /// Parses one request line; a bad line gives the `ERROR` to send back.
    public static func parse(_ line: [UInt8]) -> Result<WireRequest, WireError> {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) else {
            return .failure(WireError(cmd: nil, message: "not a JSON object"))
        }
        guard case .string(let cmd)? = object["cmd"] else {
            return .failure(WireError(cmd: nil, message: "no \"cmd\" string"))
        }
        let fields = Fields(object: object, cmd: cmd)
        do {
            switch cmd {
            case "watch":
                let names = try fields.strings("streams") ?? [WireStream.metrics.rawValue]
                var streams: [WireStream] = []
                for name in names {
                    guard let stream = WireStream(rawValue: name) else {
                        throw WireError(cmd: cmd, message: "unknown stream \"\(name)\" (known: metrics, events, samples)")
                    }
                    if !streams.contains(stream) { streams.append(stream) }
                }
                let rate = try fields.number("rate_hz")
                if let rate, !(rate > 0) { throw WireError(cmd: cmd, message: "rate_hz must be positive, got \(rate)") }
                return .success(.watch(streams: streams, rateHz: rate))
            case "status": return .success(.status)
            case "tare": return .success(.tare)
            case "session.start":
                let mass = try fields.number("body_mass_kg")
                if let mass, !(mass > 0 && mass < 400) { throw WireError(cmd: cmd, message: "body_mass_kg must be in (0, 400) kg") }
                return .success(.sessionStart(subject: try fields.string("subject"), exercise: try fields.string("exercise"),
                                              bodyMassKilograms: mass, notes: try fields.string("notes")))
            case "session.stop": return .success(.sessionStop)
            case "mark":
                guard let label = try fields.string("label"), !label.isEmpty else {
                    throw WireError(cmd: cmd, message: "mark needs a non-empty \"label\"")
                }
                return .success(.mark(label: label))
            case "config":
                let window = try fields.number("window_s")
                let lowpass = try fields.number("lowpass_hz")
                if let window, !(window > 0 && window <= 600) { throw WireError(cmd: cmd, message: "window_s must be in (0, 600] s") }
                if let lowpass, !(lowpass >= 0) { throw WireError(cmd: cmd, message: "lowpass_hz must be 0 (off) or positive") }
                if window == nil && lowpass == nil { throw WireError(cmd: cmd, message: "config needs window_s or lowpass_hz") }
                return .success(.config(windowSeconds: window, lowpassHz: lowpass))
            default:
                throw WireError(cmd: cmd, message: "unknown command (known: \(commands.joined(separator: ", ")))")
            }
        } catch let error as WireError {
            return .failure(error)
        } catch {
            return .failure(WireError(cmd: cmd, message: "\(error)"))
        }
    }
}

/// Any JSON value (requests are parsed with FoundationEssentials' JSONDecoder, so that the daemon
/// does not load all of Foundation).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// Typed fields of a request object, with errors that name the field.
private struct Fields {
    let object: [String: JSONValue]
    let cmd: String

    func string(_ name: String) throws -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw WireError(cmd: cmd, message: "\"\(name)\" must be a string")
        }
    }

    func number(_ name: String) throws -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case .number(let value)?: return value
        default: throw WireError(cmd: cmd, message: "\"\(name)\" must be a number")
        }
    }

    func strings(_ name: String) throws -> [String]? {
        switch object[name] {
        case nil, .null?: return nil
        case .array(let items)?:
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw WireError(cmd: cmd, message: "\"\(name)\" must be an array of strings") }
                texts.append(text)
            }
            return texts
        default: throw WireError(cmd: cmd, message: "\"\(name)\" must be an array of strings")
        }
    }
}
