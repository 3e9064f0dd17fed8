import Foundation
import StanceDevices
import Testing

@Suite("device profiles")
struct DeviceProfileTests {
    @Test("every built-in profile parses")
    func builtInsParse() throws {
        for entry in BuiltInProfiles.texts {
            let profile = try DeviceProfile(text: entry.text, path: "built-in:\(entry.name)")
            #expect(profile.name == entry.name)
        }
        #expect(BuiltInProfiles.all.count == BuiltInProfiles.texts.count)
    }

    @Test("real device identities find their built-in profile and role", arguments: [
        (DeviceIdentity(subsystem: .input, devicePath: "/dev/input/event7", vendorID: "057e", productID: "0306",
                        name: "Nintendo Wii Remote Balance Board"), "wii-balance-board"),
        (DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB0", vendorID: "1a86", productID: "7523", name: "USB Serial"), "witmotion-ch340"),
        (DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB1", vendorID: "10c4", productID: "ea60", serial: "0001"), "witmotion-cp210x"),
        (DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyACM0", vendorID: "2341", productID: "0043", serial: "8573"), "arduino-hx711-plate"),
        (DeviceIdentity(subsystem: .hidraw, devicePath: "/dev/hidraw3", vendorID: "08F7", productID: "0010"), "vernier-go-direct"),
    ])
    func matching(identity: DeviceIdentity, expected: String) {
        guard case .matched(let profile, _) = ProfileSet().match(identity) else {
            Issue.record("\(identity.devicePath) matched nothing")
            return
        }
        #expect(profile.name == expected)
    }

    @Test("a Wii Remote that is not a balance board, and an unknown tty, match nothing")
    func unmatched() {
        let remote = DeviceIdentity(subsystem: .input, devicePath: "/dev/input/event3", name: "Nintendo Wii Remote")
        let board = BuiltInProfiles.all.first { $0.name == "wii-balance-board" }
        #expect(board?.mismatch(for: remote) == "wants the name 'Nintendo Wii Remote Balance Board', not 'Nintendo Wii Remote'")
        let clone = DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB0", vendorID: "1a86", productID: "5523")
        #expect(BuiltInProfiles.all.first { $0.name == "witmotion-ch340" }?.mismatch(for: clone) == "wants product 7523, not 5523")
        #expect(ProfileSet().match(DeviceIdentity(subsystem: .input, devicePath: "/dev/input/event3", name: "Nintendo Wii Remote")) == .unmatched)
        #expect(ProfileSet().match(DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyS0")) == .unmatched)
    }

    @Test("two identical IMUs get their roles from serial numbers or USB ports; a user profile overrides a built-in")
    func rolesAndOverrides() throws {
        var set = ProfileSet()
        set.add(text: """
        [profile]
        name = "witmotion-ch340"
        summary = "our lab's two shank IMUs"
        [match]
        subsystem = "tty"
        vendor_id = "1a86"
        product_id = "7523"
        [device]
        protocol = "witmotion"
        baud = 115200
        rate_hz = 200
        role = "imu-trunk"
        [roles]
        by_serial = ["A1=imu-left-shank"]
        by_port = ["pci-0000:00:14.0-usb-0:2:1.0=imu-right-shank"]
        """, path: "/etc/stance/devices.d/lab.toml")
        #expect(set.problems.isEmpty)
        let left = DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB0", vendorID: "1a86", productID: "7523", serial: "A1")
        let right = DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB1", vendorID: "1a86", productID: "7523",
                                   portPath: "pci-0000:00:14.0-usb-0:2:1.0")
        let other = DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB2", vendorID: "1a86", productID: "7523")
        guard case .matched(let profile, let leftRole) = set.match(left), case .matched(_, let rightRole) = set.match(right),
              case .matched(_, let otherRole) = set.match(other) else {
            Issue.record("no match")
            return
        }
        #expect(profile.source == "/etc/stance/devices.d/lab.toml" && profile.baud == 115_200)
        #expect(leftRole == .imuLeftShank && rightRole == .imuRightShank && otherRole == .imuTrunk)
    }

    @Test("equally specific profiles are ambiguous; a serial number makes one more specific")
    func ambiguity() throws {
        var set = ProfileSet()
        let base = BuiltInProfiles.texts.first { $0.name == "witmotion-ch340" }?.text ?? ""
        set.add(text: base.replacingOccurrences(of: "name = \"witmotion-ch340\"", with: "name = \"clone\""), path: "clone.toml")
        let device = DeviceIdentity(subsystem: .tty, devicePath: "/dev/ttyUSB0", vendorID: "1a86", productID: "7523", serial: "Z9")
        #expect(set.match(device) == .ambiguous(["clone", "witmotion-ch340"]))
        set.add(text: base.replacingOccurrences(of: "name = \"witmotion-ch340\"", with: "name = \"mine\"")
            .replacingOccurrences(of: "product_id = \"7523\"", with: "product_id = \"7523\"\nserial = \"Z9\""), path: "mine.toml")
        guard case .matched(let profile, _) = set.match(device) else {
            Issue.record("expected a match")
            return
        }
        #expect(profile.name == "mine")
    }

    @Test("mistakes in a profile are reported with the file, line, column and key", arguments: [
        ("[device]\nprotocl = \"witmotion\"\n", "p.toml:2:1: device.protocl: unknown key"),
        ("[profile]\nname = \"x\"\n[match]\nsubsystem = \"tty\"\n[device]\nprotocol = \"wiimote-evdev\"\nrate_hz = 100\n",
         "p.toml:4:1: match.subsystem: protocol wiimote-evdev is read from input devices, not tty"),
        ("[profile]\nname = \"x\"\n[match]\nsubsystem = \"tty\"\nvendor_id = \"12345\"\n[device]\nprotocol = \"witmotion\"\nrate_hz = 100\n",
         "p.toml:5:1: match.vendor_id: USB ids are 4 hex digits"),
        ("[profile]\nname = \"x\"\n[match]\nsubsystem = \"tty\"\n[device]\nprotocol = \"witmotion\"\nrate_hz = -5\n",
         "p.toml:7:1: device.rate_hz: must be in (0, 100000] Hz, got -5.0"),
        ("[profile]\nname = \"x\"\n[match]\nsubsystem = \"tty\"\n[device]\nprotocol = \"witmotion\"\nrate_hz = 100\norientation = \"gps\"\n",
         "p.toml:8:1: device.orientation: 'gps' is not ahrs or device"),
        ("[profile]\nname = \"x\n", "p.toml:2:8: string not closed on this line"),
        ("[profile]\nname = \"x\"\n", "p.toml: match.subsystem is required"),
    ])
    func errors(text: String, expected: String) {
        let error = #expect(throws: ProfileError.self) { try DeviceProfile(text: text, path: "p.toml") }
        #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
    }

    @Test("user profiles load from a directory; a broken file is reported, the others still load")
    func directory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plate = BuiltInProfiles.texts.first { $0.name == "arduino-hx711-plate" }?.text ?? ""
        try plate.replacingOccurrences(of: "rate_hz = 80", with: "rate_hz = 1000").write(to: directory.appendingPathComponent("a.toml"), atomically: true, encoding: .utf8)
        try "[oops".write(to: directory.appendingPathComponent("b.toml"), atomically: true, encoding: .utf8)
        let set = ProfileSet.loading(directory: directory.path)
        #expect(set.profiles.first { $0.name == "arduino-hx711-plate" }?.rateHz == 1000)
        #expect(set.problems.count == 1 && set.problems[0].contains("b.toml:1:"))
    }
}
