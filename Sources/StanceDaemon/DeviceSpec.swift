import StanceDevices

/// One `--device` (or `devices = [...]` entry in the configuration):
/// `PATH[,protocol=P][,role=R][,baud=B][,profile=NAME]`.
public struct DeviceSpec: Sendable, Equatable {
    public var path: String
    public var profileName: String?
    public var deviceProtocol: DeviceProtocol?
    public var role: DeviceRole?
    /// Serial line rate, baud.
    public var baud: Int?

    /// The profile a spec without `profile=` starts from (overridden by its other options).
    public static let defaultProfileName = "arduino-hx711-plate"

    /// Why a spec is refused: the spec as written, the option at fault and what was expected.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var spec: String
        public var message: String
        public var description: String { "device '\(spec)': \(message)" }
    }

    /// Parses `text`; every option at most once.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, !first.contains("=") else {
            throw Problem(spec: text, message: "starts with the device's path, e.g. /dev/ttyACM0,profile=arduino-hx711-plate")
        }
        path = first
        var seen: Set<String> = []
        for option in parts.dropFirst() {
            let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[1].isEmpty else {
                throw Problem(spec: text, message: "'\(option)' is not KEY=VALUE (keys: protocol, role, baud, profile)")
            }
            let (key, value) = (pair[0], pair[1])
            guard seen.insert(key).inserted else { throw Problem(spec: text, message: "\(key) is given twice") }
            switch key {
            case "profile":
                profileName = value
            case "protocol":
                guard let parsed = DeviceProtocol(rawValue: value) else {
                    throw Problem(spec: text, message: "protocol '\(value)' is unknown (known: \(DeviceProtocol.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                deviceProtocol = parsed
            case "role":
                guard let parsed = DeviceRole(rawValue: value) else {
                    throw Problem(spec: text, message: "role '\(value)' is unknown (known: \(DeviceRole.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                role = parsed
            case "baud":
                guard let parsed = Int(value), (50...4_000_000).contains(parsed) else {
                    throw Problem(spec: text, message: "baud '\(value)' is not a rate in 50…4000000 baud")
                }
                baud = parsed
            default:
                throw Problem(spec: text, message: "unknown option '\(key)' (known: protocol, role, baud, profile)")
            }
        }
    }

    /// The profile to read this device with: the named one (or the default), with the spec's
    /// protocol, role and baud in place of the profile's.
    public func resolve(in profiles: ProfileSet) throws(Problem) -> DeviceProfile {
        let name = profileName ?? Self.defaultProfileName
        guard var profile = profiles.profiles.first(where: { $0.name == name }) else {
            throw Problem(spec: description, message: "no profile '\(name)' (known: \(profiles.profiles.map(\.name).joined(separator: ", ")))")
        }
        if let deviceProtocol { profile.deviceProtocol = deviceProtocol }
        if let role { profile.role = role }
        if let baud { profile.baud = baud }
        return profile
    }

    /// The spec as it would be written.
    public var description: String {
        var text = path
        if let deviceProtocol { text += ",protocol=\(deviceProtocol.rawValue)" }
        if let role { text += ",role=\(role.rawValue)" }
        if let baud { text += ",baud=\(baud)" }
        if let profileName { text += ",profile=\(profileName)" }
        return text
    }
}
