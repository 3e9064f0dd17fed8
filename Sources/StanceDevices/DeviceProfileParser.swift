/// What is wrong with a profile, and where.
public struct ProfileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)" }
}

extension DeviceProfile {
    /// Every key a profile may set, with the kind of value it takes (for errors and the docs).
    public static let knownKeys: [String: String] = [
        "profile.name": "string", "profile.summary": "string",
        "match.subsystem": "tty | hidraw | input", "match.vendor_id": "hex string or array",
        "match.product_id": "hex string or array", "match.name": "glob", "match.serial": "string",
        "device.protocol": DeviceProtocol.allCases.map(\.rawValue).joined(separator: " | "),
        "device.baud": "integer", "device.rate_hz": "number", "device.role": DeviceRole.allCases.map(\.rawValue).joined(separator: " | "),
        "device.reset_on_open": "boolean", "device.acceleration_range_g": "number",
        "device.angular_rate_range_dps": "number", "device.orientation": "ahrs | device",
        "roles.by_serial": "array of \"SERIAL=ROLE\"", "roles.by_port": "array of \"ID_PATH=ROLE\"",
        "calibration.units": "N | kg | counts", "calibration.gain": "number or array (N per unit)",
        "calibration.offset": "number or array (units)",
        "geometry.half_width_mm": "number", "geometry.half_depth_mm": "number",
        "hid.channels": "array of \"usage:PAGE:ID\" or \"bits:REPORT:OFFSET:SIZE[:signed]\"",
    ]

    /// Parses and checks a profile file's text.
    public init(text: String, path: String) throws(ProfileError) {
        let file: ConfigurationFile
        do {
            file = try ConfigurationFile(text: text, path: path)
        } catch {
            throw ProfileError(path: error.path, line: error.line, column: error.column, message: error.message)
        }
        let reader = ProfileReader(file: file)
        try reader.rejectUnknownKeys()
        let subsystemName = try reader.string("match.subsystem", required: true) ?? ""
        guard let subsystem = DeviceSubsystem(rawValue: subsystemName) else {
            throw reader.error("match.subsystem", "'\(subsystemName)' is not tty, hidraw or input")
        }
        let protocolName = try reader.string("device.protocol", required: true) ?? ""
        guard let deviceProtocol = DeviceProtocol(rawValue: protocolName) else {
            throw reader.error("device.protocol", "'\(protocolName)' is not one of \(DeviceProfile.knownKeys["device.protocol"] ?? "")")
        }
        let expected: DeviceSubsystem = switch deviceProtocol {
        case .stanceLine, .stanceBinary, .witmotion: .tty
        case .wiimoteEvdev: .input
        case .hid, .goDirect: .hidraw
        }
        guard expected == subsystem else {
            throw reader.error("match.subsystem", "protocol \(protocolName) is read from \(expected.rawValue) devices, not \(subsystem.rawValue)")
        }
        let roleName = try reader.string("device.role") ?? DeviceRole.pair.rawValue
        guard let role = DeviceRole(rawValue: roleName) else {
            throw reader.error("device.role", "'\(roleName)' is not one of \(DeviceProfile.knownKeys["device.role"] ?? "")")
        }
        let unitsName = try reader.string("calibration.units") ?? "N"
        guard let units = Units(rawValue: unitsName) else { throw reader.error("calibration.units", "'\(unitsName)' is not N, kg or counts") }
        let rateHz = try reader.number("device.rate_hz", required: true) ?? 0
        guard rateHz > 0, rateHz <= 100_000 else { throw reader.error("device.rate_hz", "must be in (0, 100000] Hz, got \(rateHz)") }
        let baud = try reader.integer("device.baud")
        if let baud, baud <= 0 { throw reader.error("device.baud", "must be positive, got \(baud)") }

        self.init(
            name: try reader.string("profile.name", required: true) ?? "",
            summary: try reader.string("profile.summary") ?? "",
            source: path,
            match: Match(subsystem: subsystem, vendorIDs: try reader.hexIDs("match.vendor_id"),
                         productIDs: try reader.hexIDs("match.product_id"),
                         namePattern: try reader.string("match.name"), serial: try reader.string("match.serial")),
            deviceProtocol: deviceProtocol, baud: baud, rateHz: rateHz, role: role,
            roles: try reader.roles("roles.by_serial", prefix: "serial:").merging(try reader.roles("roles.by_port", prefix: "path:")) { a, _ in a },
            resetOnOpen: try reader.boolean("device.reset_on_open") ?? false,
            units: units, gains: try reader.numbers("calibration.gain") ?? [1], offsets: try reader.numbers("calibration.offset") ?? [0],
            halfWidthMillimetres: try reader.number("geometry.half_width_mm"),
            halfDepthMillimetres: try reader.number("geometry.half_depth_mm"),
            accelerationRangeG: try reader.number("device.acceleration_range_g"),
            angularRateRangeDegreesPerSecond: try reader.number("device.angular_rate_range_dps"),
            hidChannels: try reader.strings("hid.channels") ?? [])
        guard !name.isEmpty else { throw reader.error("profile.name", "must not be empty") }
        if let source = try reader.string("device.orientation") {
            guard let parsed = ImuOrientationSource(rawValue: source) else {
                throw reader.error("device.orientation", "'\(source)' is not ahrs or device")
            }
            orientationSource = parsed
        }
        if deviceProtocol == .hid && hidChannels.isEmpty {
            throw ProfileError(path: path, line: 0, column: 0, message: "protocol hid needs hid.channels")
        }
    }
}

/// Typed access to a profile's entries, with errors that name the key and its line.
private struct ProfileReader {
    let file: ConfigurationFile

    func error(_ key: String, _ message: String) -> ProfileError {
        let entry = file.entries[key]
        return ProfileError(path: file.path, line: entry?.line ?? 0, column: entry?.column ?? 0, message: "\(key): \(message)")
    }

    func rejectUnknownKeys() throws(ProfileError) {
        for key in file.keys where DeviceProfile.knownKeys[key] == nil {
            throw error(key, "unknown key (known: \(DeviceProfile.knownKeys.keys.sorted().joined(separator: ", ")))")
        }
    }

    private func entry(_ key: String, required: Bool) throws(ProfileError) -> ConfigurationFile.Value? {
        guard let entry = file.entries[key] else {
            if required { throw ProfileError(path: file.path, line: 0, column: 0, message: "\(key) is required") }
            return nil
        }
        return entry.value
    }

    func string(_ key: String, required: Bool = false) throws(ProfileError) -> String? {
        guard let value = try entry(key, required: required) else { return nil }
        guard case .string(let text) = value else { throw error(key, "expected a string, got \(value.typeName)") }
        return text
    }

    func strings(_ key: String) throws(ProfileError) -> [String]? {
        guard let value = try entry(key, required: false) else { return nil }
        guard case .array(let items) = value else { throw error(key, "expected an array of strings") }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw error(key, "expected strings, got \(item.typeName)") }
            result.append(text)
        }
        return result
    }

    func number(_ key: String, required: Bool = false) throws(ProfileError) -> Double? {
        guard let value = try entry(key, required: required) else { return nil }
        guard let number = value.number else { throw error(key, "expected a number, got \(value.typeName)") }
        return number
    }

    func integer(_ key: String) throws(ProfileError) -> Int? {
        guard let value = try entry(key, required: false) else { return nil }
        guard case .integer(let number) = value else { throw error(key, "expected an integer, got \(value.typeName)") }
        return number
    }

    func boolean(_ key: String) throws(ProfileError) -> Bool? {
        guard let value = try entry(key, required: false) else { return nil }
        guard case .boolean(let flag) = value else { throw error(key, "expected true or false, got \(value.typeName)") }
        return flag
    }

    func numbers(_ key: String) throws(ProfileError) -> [Double]? {
        guard let value = try entry(key, required: false) else { return nil }
        if let number = value.number { return [number] }
        guard case .array(let items) = value else { throw error(key, "expected a number or an array of numbers") }
        var result: [Double] = []
        for item in items {
            guard let number = item.number else { throw error(key, "expected numbers, got \(item.typeName)") }
            result.append(number)
        }
        return result
    }

    /// USB ids as 4 lower-case hex digits, from "1a86" or ["1a86", "10c4"].
    func hexIDs(_ key: String) throws(ProfileError) -> [String] {
        guard let value = try entry(key, required: false) else { return [] }
        let items: [ConfigurationFile.Value] = if case .array(let list) = value { list } else { [value] }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item, text.count == 4, UInt16(text, radix: 16) != nil else {
                throw error(key, "USB ids are 4 hex digits in quotes, e.g. \"1a86\"")
            }
            result.append(text.lowercased())
        }
        return result
    }

    func roles(_ key: String, prefix: String) throws(ProfileError) -> [String: DeviceRole] {
        var result: [String: DeviceRole] = [:]
        for item in try strings(key) ?? [] {
            guard let equals = item.lastIndex(of: "="), let role = DeviceRole(rawValue: String(item[item.index(after: equals)...])) else {
                throw error(key, "'\(item)' is not IDENTIFIER=ROLE with a known role")
            }
            result[prefix + item[..<equals]] = role
        }
        return result
    }
}
