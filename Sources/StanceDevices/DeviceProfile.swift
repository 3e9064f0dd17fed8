/// What a device is for in a session.
public enum DeviceRole: String, Sendable, CaseIterable {
    /// A dual plate, both feet.
    case pair
    case left
    case right
    case imuLeftShank = "imu-left-shank"
    case imuRightShank = "imu-right-shank"
    case imuLeftThigh = "imu-left-thigh"
    case imuRightThigh = "imu-right-thigh"
    case imuTrunk = "imu-trunk"
}

/// The wire format a device speaks (`docs/protocols.md`).
public enum DeviceProtocol: String, Sendable, CaseIterable {
    case stanceLine = "stance-line"
    case stanceBinary = "stance-binary"
    case witmotion
    case wiimoteEvdev = "wiimote-evdev"
    /// Generic HID input reports, channels mapped by the profile.
    case hid
    case goDirect = "go-direct"
}

/// A device profile: which devices it matches and how to read them (`docs/devices.md`).
public struct DeviceProfile: Sendable, Equatable {
    public struct Match: Sendable, Equatable {
        public var subsystem: DeviceSubsystem
        public var vendorIDs: [String]
        public var productIDs: [String]
        /// Glob on the device's name (input `NAME` or USB product string).
        public var namePattern: String?
        public var serial: String?
    }

    public enum Units: String, Sendable, CaseIterable {
        case newtons = "N"
        case kilograms = "kg"
        case counts
    }

    public var name: String
    public var summary: String
    /// Where it came from: "built-in" or a file path.
    public var source: String
    public var match: Match
    public var deviceProtocol: DeviceProtocol
    /// Serial line rate, baud (serial devices only).
    public var baud: Int?
    /// Nominal sample rate, hertz.
    public var rateHz: Double
    public var role: DeviceRole
    /// Roles for identical devices, by `serial:…` or `path:…` (udev `ID_PATH`).
    public var roles: [String: DeviceRole]
    /// Raise DTR on open (many Arduinos reset) and wait for the stream's header line.
    public var resetOnOpen: Bool
    /// Per-cell calibration: newtons per unit and offset (units) of each channel.
    public var units: Units
    public var gains: [Double]
    public var offsets: [Double]
    /// Plate geometry: cells at ±half width (x) and ±half depth (y), millimetres.
    public var halfWidthMillimetres: Double?
    public var halfDepthMillimetres: Double?
    /// WitMotion ranges.
    public var accelerationRangeG: Double?
    public var angularRateRangeDegreesPerSecond: Double?
    /// HID channels: "usage:PAGE:ID" or "bits:REPORT:OFFSET:SIZE[:signed]".
    public var hidChannels: [String]
    /// Where an IMU's orientation comes from: Stance's own filter on its accelerometer and
    /// gyroscope (`ahrs`, the default), or the orientation the device reports (`device`).
    public var orientationSource: ImuOrientationSource = .ahrs

    /// The serial settings this profile asks for: its rate (115200 baud if it says none), and DTR
    /// raised on open when the device resets then (`reset_on_open`).
    public var serialConfiguration: SerialConfiguration {
        SerialConfiguration(baud: baud ?? 115_200, dataTerminalReady: resetOnOpen ? true : nil)
    }

    /// How well this profile matches `identity`: `nil` when it does not, otherwise the number of
    /// fields that matched (more is more specific).
    public func specificity(for identity: DeviceIdentity) -> Int? {
        guard identity.subsystem == match.subsystem else { return nil }
        var score = 1
        if !match.vendorIDs.isEmpty {
            guard let vendor = identity.vendorID, match.vendorIDs.contains(vendor) else { return nil }
            score += 1
        }
        if !match.productIDs.isEmpty {
            guard let product = identity.productID, match.productIDs.contains(product) else { return nil }
            score += 1
        }
        if let pattern = match.namePattern {
            guard let name = identity.name, globMatches(pattern, name) else { return nil }
            score += 2
        }
        if let serial = match.serial {
            guard identity.serial == serial else { return nil }
            score += 4
        }
        return score
    }

    /// Why this profile does not match `identity` (the first field that disagrees), or `nil` if it does.
    public func mismatch(for identity: DeviceIdentity) -> String? {
        if identity.subsystem != match.subsystem { return "wants a \(match.subsystem.rawValue) device" }
        if !match.vendorIDs.isEmpty, !match.vendorIDs.contains(identity.vendorID ?? "") {
            return "wants vendor \(match.vendorIDs.joined(separator: " or ")), not \(identity.vendorID ?? "none")"
        }
        if !match.productIDs.isEmpty, !match.productIDs.contains(identity.productID ?? "") {
            return "wants product \(match.productIDs.joined(separator: " or ")), not \(identity.productID ?? "none")"
        }
        if let pattern = match.namePattern, !globMatches(pattern, identity.name ?? "") {
            return "wants the name '\(pattern)', not '\(identity.name ?? "")'"
        }
        if let serial = match.serial, identity.serial != serial { return "wants serial \(serial), not \(identity.serial ?? "none")" }
        return nil
    }

    /// The role of this device: by its serial number, else by its USB port, else the profile's.
    public func role(for identity: DeviceIdentity) -> DeviceRole {
        if let serial = identity.serial, let role = roles["serial:" + serial] { return role }
        if let port = identity.portPath, let role = roles["path:" + port] { return role }
        return role
    }
}

/// Where an IMU's orientation comes from (profile key `device.orientation`).
public enum ImuOrientationSource: String, Sendable, CaseIterable {
    /// Stance's `OrientationFilter` on the accelerometer and gyroscope.
    case ahrs
    /// The orientation the device computes and sends (a WitMotion's quaternion or angles).
    case device
}
