/// Kernel subsystems Stance reads devices from.
public enum DeviceSubsystem: String, Sendable, CaseIterable {
    case tty
    case hidraw
    case input
}

/// What the system says about an attached device (from udev properties, or sysfs and ioctls
/// where udev is not running). Ids are lower-case hexadecimal, as udev writes them.
public struct DeviceIdentity: Sendable, Equatable {
    public var subsystem: DeviceSubsystem
    /// The device node, e.g. `/dev/ttyUSB0`, `/dev/hidraw2`, `/dev/input/event7`.
    public var devicePath: String
    /// `ID_VENDOR_ID`, e.g. "1a86".
    public var vendorID: String?
    /// `ID_MODEL_ID`, e.g. "7523".
    public var productID: String?
    /// The input device's `NAME`, or the USB product string (`ID_MODEL`).
    public var name: String?
    /// `ID_SERIAL_SHORT`.
    public var serial: String?
    /// `ID_PATH`: where it is plugged in (stable for a given USB port).
    public var portPath: String?

    public init(subsystem: DeviceSubsystem, devicePath: String, vendorID: String? = nil, productID: String? = nil,
                name: String? = nil, serial: String? = nil, portPath: String? = nil) {
        self.subsystem = subsystem
        self.devicePath = devicePath
        self.vendorID = vendorID?.lowercased()
        self.productID = productID?.lowercased()
        self.name = name
        self.serial = serial
        self.portPath = portPath
    }
}

/// Shell-style pattern matching: `*` any run of characters, `?` any one character.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.unicodeScalars)
    let text = Array(text.unicodeScalars)
    var p = 0, t = 0, star = -1, resume = 0
    while t < text.count {
        if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
            p += 1
            t += 1
        } else if p < pattern.count, pattern[p] == "*" {
            star = p
            resume = t
            p += 1
        } else if star >= 0 {
            p = star + 1
            resume += 1
            t = resume
        } else {
            return false
        }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
}
