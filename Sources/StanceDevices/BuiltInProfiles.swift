/// The profiles Stance ships with, in the same format as the user's files in
/// `/etc/stance/devices.d/` (which override them by name). Each names its sources.
public enum BuiltInProfiles {
    public static let texts: [(name: String, text: String)] = [
        ("wii-balance-board", """
        # Nintendo Wii Balance Board through Linux hid-wiimote. The input device's name is
        # WIIMOTE_NAME + " Balance Board" (drivers/hid/hid-wiimote.h, hid-wiimote-modules.c);
        # axes are in units of 10 g (0.01 kg), so one unit is 0.0980665 N.
        [profile]
        name = "wii-balance-board"
        summary = "Nintendo Wii Balance Board (Bluetooth, hid-wiimote evdev)"
        [match]
        subsystem = "input"
        name = "Nintendo Wii Remote Balance Board"
        [device]
        protocol = "wiimote-evdev"
        rate_hz = 100
        role = "left"
        [calibration]
        units = "kg"
        gain = 0.0980665
        [geometry]
        half_width_mm = 216.5
        half_depth_mm = 119
        """),
        ("witmotion-ch340", """
        # WitMotion WT901/JY901/HWT901B behind a CH340 USB serial bridge: USB 1a86:7523
        # (Linux drivers/usb/serial/ch341.c). Factory default 9600 baud, 10 Hz output
        # (WitMotion WT901 manual); raise both with the WitMotion tool and set them here.
        # Arduino clones use the same bridge: give those a profile of their own with their
        # serial or port path, which is more specific and wins.
        [profile]
        name = "witmotion-ch340"
        summary = "WitMotion IMU on a CH340 bridge"
        [match]
        subsystem = "tty"
        vendor_id = "1a86"
        product_id = "7523"
        [device]
        protocol = "witmotion"
        baud = 9600
        rate_hz = 10
        role = "imu-trunk"
        acceleration_range_g = 16
        angular_rate_range_dps = 2000
        """),
        ("witmotion-cp210x", """
        # WitMotion IMUs with a Silicon Labs CP210x bridge: USB 10c4:ea60
        # (Linux drivers/usb/serial/cp210x.c).
        [profile]
        name = "witmotion-cp210x"
        summary = "WitMotion IMU on a CP210x bridge"
        [match]
        subsystem = "tty"
        vendor_id = "10c4"
        product_id = "ea60"
        [device]
        protocol = "witmotion"
        baud = 9600
        rate_hz = 10
        role = "imu-trunk"
        acceleration_range_g = 16
        angular_rate_range_dps = 2000
        """),
        ("arduino-hx711-plate", """
        # A DIY plate: Arduino (USB vendor 2341 Arduino LLC, 2a03 Arduino Srl; cdc_acm) with
        # HX711/ADS1256/ADS1220 amplifiers, speaking the Stance line protocol; its header line
        # says the channels, layout and units. Opening resets the board (DTR): wait for the header.
        [profile]
        name = "arduino-hx711-plate"
        summary = "Arduino load-cell plate, Stance line protocol"
        [match]
        subsystem = "tty"
        vendor_id = ["2341", "2a03"]
        [device]
        protocol = "stance-line"
        baud = 115200
        rate_hz = 80
        role = "pair"
        reset_on_open = true
        [calibration]
        units = "N"
        gain = 1
        [geometry]
        half_width_mm = 216.5
        half_depth_mm = 119
        """),
        ("vernier-go-direct", """
        # Vernier Go Direct over USB: 08f7:0010 for every Go Direct device (VernierST/godirect-py
        # backend_usb.py); which sensor it is (GDX-FP force plate, GDX-FOR…) comes from
        # GET_DEVICE_INFO once open, not from USB. Measurements are float32 newtons.
        [profile]
        name = "vernier-go-direct"
        summary = "Vernier Go Direct force plate (GDX-FP) over USB HID"
        [match]
        subsystem = "hidraw"
        vendor_id = "08f7"
        product_id = "0010"
        [device]
        protocol = "go-direct"
        rate_hz = 1000
        role = "left"
        [calibration]
        units = "N"
        gain = 1
        """),
    ]

    /// The built-in profiles, parsed (a broken one is a bug caught by the tests).
    public static let all: [DeviceProfile] = texts.compactMap { entry in
        try? DeviceProfile(text: entry.text, path: "built-in:\(entry.name)")
    }
}

/// The result of matching a device against the profiles.
public enum ProfileMatch: Sendable, Equatable {
    case matched(DeviceProfile, role: DeviceRole)
    /// Several profiles match equally well: the user must say which (a more specific profile).
    case ambiguous([String])
    /// Nothing matches.
    case unmatched
}

/// Built-in profiles overridden by the user's, and matching of devices against them.
public struct ProfileSet: Sendable {
    public private(set) var profiles: [DeviceProfile]
    /// Files that could not be read, with why (shown by `stance devices` and logged).
    public private(set) var problems: [String] = []

    public init(profiles: [DeviceProfile] = BuiltInProfiles.all) {
        self.profiles = profiles
    }

    /// Adds or replaces (by name) a profile.
    public mutating func add(_ profile: DeviceProfile) {
        profiles.removeAll { $0.name == profile.name }
        profiles.append(profile)
    }

    mutating func recordProblem(_ problem: String) { problems.append(problem) }

    /// Adds a file's profile, or records why it could not be.
    public mutating func add(text: String, path: String) {
        do {
            add(try DeviceProfile(text: text, path: path))
        } catch {
            problems.append(error.description)
        }
    }

    /// The most specific profile for `identity`.
    public func match(_ identity: DeviceIdentity) -> ProfileMatch {
        let scored = profiles.compactMap { profile in profile.specificity(for: identity).map { (profile, $0) } }
        guard let best = scored.map(\.1).max() else { return .unmatched }
        let winners = scored.filter { $0.1 == best }.map(\.0)
        guard winners.count == 1, let profile = winners.first else { return .ambiguous(winners.map(\.name).sorted()) }
        return .matched(profile, role: profile.role(for: identity))
    }
}
