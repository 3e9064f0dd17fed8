import Foundation
import StanceDaemon
import StanceDevices
import Testing

private func configuration(_ text: String) throws(DaemonConfiguration.Problem) -> DaemonConfiguration {
    do {
        return try DaemonConfiguration(file: try ConfigurationFile(text: text, path: "/etc/stance/stanced.toml"))
    } catch let problem as DaemonConfiguration.Problem {
        throw problem
    } catch {
        throw DaemonConfiguration.Problem(location: "parse", key: "—", message: "\(error)")
    }
}

@Suite("stanced's configuration file and device specs")
struct DaemonConfigurationTests {
    @Test("every key of the example in docs/configuration.md is read, with its value")
    func example() throws {
        let settings = try configuration("""
            devices = ["/dev/stance/plate-A1B2C3,profile=arduino-hx711-plate,baud=230400"]
            sessions = "/srv/sessions"
            log_level = "notice"
            socket = "/tmp/s.sock"
            profiles_dir = "/srv/profiles"
            [pipeline]
            lowpass_hz = 8
            window_s = 20
            [clients]
            queue_messages = 2048
            stuck_s = 5
            """)
        #expect(settings.devices.map(\.description) == ["/dev/stance/plate-A1B2C3,baud=230400,profile=arduino-hx711-plate"])
        #expect(settings.sessionsDirectory == "/srv/sessions" && settings.logLevel == .notice && settings.socketPath == "/tmp/s.sock")
        #expect(settings.profilesDirectory == "/srv/profiles")
        #expect(settings.lowpassHz == 8 && settings.windowSeconds == 20 && settings.clientQueueMessages == 2048 && settings.clientStuckSeconds == 5)
    }

    @Test("an empty file keeps every default")
    func defaults() throws {
        #expect(try configuration("# nothing\n") == DaemonConfiguration())
    }

    @Test("files: /dev/null is an empty file, a missing default is no problem, a missing named file or a directory says why")
    func files() throws {
        #expect(try DaemonConfiguration.load(path: "/dev/null", required: true) == DaemonConfiguration())
        let missing = "/nonexistent-\(getpid())/stanced.toml"
        #expect(try DaemonConfiguration.load(path: missing, required: false) == DaemonConfiguration())
        #expect { try DaemonConfiguration.load(path: missing, required: true) } throws: {
            "\($0)" == "\(missing): —: cannot read: No such file or directory"
        }
        #expect { try DaemonConfiguration.load(path: "/tmp", required: true) } throws: {
            "\($0)" == "/tmp: —: cannot read: Is a directory"
        }
    }

    @Test("a bad key or value names the file, line, column, key and reason", arguments: [
        ("[pipline]\nwindow_s = 20", "/etc/stance/stanced.toml:2:1: pipline.window_s: unknown key"),
        ("\n\n[pipeline]\nlowpass_hz = -1", "/etc/stance/stanced.toml:4:1: pipeline.lowpass_hz: -1.0 Hz is out of range"),
        ("[pipeline]\nwindow_s = \"long\"", "/etc/stance/stanced.toml:2:1: pipeline.window_s: expected a number, got string"),
        ("[pipeline]\nwindow_s = 601", "pipeline.window_s: 601.0 s is out of range (0, 600] s"),
        ("[clients]\nqueue_messages = 2.5", "clients.queue_messages: expected an integer, got float"),
        ("[clients]\nqueue_messages = 8", "clients.queue_messages: 8 is out of range 16…1000000 messages"),
        ("[clients]\nstuck_s = 0", "clients.stuck_s: 0.0 s is out of range (0, 3600] s"),
        ("log_level = \"loud\"", "log_level: 'loud' is not a level"),
        ("socket = \"\"", "socket: expected a non-empty string, got string"),
        ("devices = \"/dev/ttyACM0\"", "devices: expected an array of device strings, got string"),
        ("devices = [\"/dev/ttyACM0,speed=9600\"]", "devices: device '/dev/ttyACM0,speed=9600': unknown option 'speed'"),
        ("devices = [\"/dev/ttyACM0,baud=fast\"]", "baud 'fast' is not a rate in 50…4000000 baud"),
        ("devices = [\"/dev/ttyACM0,role=middle\"]", "role 'middle' is unknown (known: pair, left, right"),
        ("devices = [\"/dev/ttyACM0,protocol=morse\"]", "protocol 'morse' is unknown"),
        ("devices = [\"/dev/ttyACM0,baud=9600,baud=19200\"]", "baud is given twice"),
        ("devices = [\"profile=x\"]", "starts with the device's path"),
    ])
    func refused(text: String, expected: String) {
        #expect {
            try configuration(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("docs/configuration.md documents every key with its unit and default")
    func documented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        for key in DaemonConfiguration.keys {
            let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(key.name)` |") }
            #expect(row != nil, "no row for \(key.name)")
            #expect(row?.contains("| \(key.unit) |") == true, "\(key.name): unit \(key.unit) missing from \(row ?? "")")
        }
    }

    @Test("a spec's protocol, role and baud replace its profile's; unknown profiles are named with the known ones")
    func specResolution() throws {
        let profile = try DeviceSpec(parsing: "/dev/ttyACM0,protocol=stance-binary,baud=230400").resolve(in: ProfileSet())
        #expect(profile.name == "arduino-hx711-plate" && profile.deviceProtocol == .stanceBinary && profile.baud == 230_400)
        #expect(throws: DeviceSpec.Problem.self) { try DeviceSpec(parsing: "/dev/x,profile=nope").resolve(in: ProfileSet()) }
    }

    @Test("what this version cannot serve is refused at start-up with the reason", arguments: [
        (["/dev/a,role=left"], "single plates come in pairs: one role=left and one role=right (got 1 left, 0 right)"),
        (["/dev/a,role=left", "/dev/b,role=left"], "(got 2 left, 0 right)"),
        (["/dev/a,protocol=hid"], "protocol hid is not read by this version of stanced for role pair"),
        (["/dev/a", "/dev/b"], "2 dual plates and 0 single plates configured"),
        (["/dev/a", "/dev/b,role=left", "/dev/c,role=right"], "1 dual plates and 2 single plates"),
        (["/dev/a,role=imu-trunk"], "IMUs on protocol stance-line are not read by this version of stanced (WitMotion serial IMUs are)"),
    ])
    func unservable(specs: [String], expected: String) throws {
        let parsed = try specs.map { try DeviceSpec(parsing: $0) }
        #expect {
            try DevicePlan.devices(from: parsed, profiles: ProfileSet())
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("IMUs are read beside the plates, or alone (then no plate, and no discovery)")
    func imus() throws {
        let specs = try ["/dev/imu0,profile=witmotion-ch340,role=imu-left-shank", "/dev/ttyACM0"].map { try DeviceSpec(parsing: $0) }
        let both = try DevicePlan.devices(from: specs, profiles: ProfileSet())
        #expect(both.plates?.map(\.path) == ["/dev/ttyACM0"] && both.imus.map(\.path) == ["/dev/imu0"])
        #expect(both.imus.first?.profile.role == .imuLeftShank)
        let alone = try DevicePlan.devices(from: [specs[0]], profiles: ProfileSet())
        #expect(alone.plates?.isEmpty == true && alone.imus.count == 1)
    }

    @Test("one dual plate, or a left and a right plate (in that order whatever the order given); none leaves it to discovery")
    func plan() throws {
        let plate = try DevicePlan.devices(from: [try DeviceSpec(parsing: "/dev/ttyACM0")], profiles: ProfileSet()).plates
        #expect(plate?.map(\.path) == ["/dev/ttyACM0"] && plate?.first?.profile.role == .pair)
        let pair = try DevicePlan.devices(from: [try DeviceSpec(parsing: "/dev/b,role=right"), try DeviceSpec(parsing: "/dev/a,role=left")],
                                          profiles: ProfileSet()).plates
        #expect(pair?.map(\.path) == ["/dev/a", "/dev/b"] && pair?.map(\.profile.role) == [.left, .right])
        #expect(try DevicePlan.devices(from: [], profiles: ProfileSet()).plates == nil)
    }
}
