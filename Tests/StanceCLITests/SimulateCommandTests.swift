import Foundation
import StanceDSP
import StanceProtocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("stance simulate (the real binary)", .serialized)
struct SimulateCommandTests {
    @Test("--list names every scenario and protocol")
    func list() throws {
        let result = try runStance(["simulate", "--list"])
        #expect(result.status == 0)
        for name in ["quiet-stance", "squat", "step-up", "isometric-hold", "single-leg-stance", "stance-line", "witmotion", "wiimote-evdev"] {
            #expect(result.standardOutput.contains(name), "missing \(name)")
        }
    }

    @Test("a dual plate on a pseudo-terminal: a reader decodes the whole trial with the split that was set")
    func streamsToTerminal() throws {
        let process = Process()
        process.executableURL = stanceExecutable
        process.arguments = ["simulate", "--scenario", "quiet-stance", "--protocol", "stance-line", "--rate-hz", "200",
                             "--duration-s", "2", "--left-share", "0.62", "--fast"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // First line: "dual-plate /dev/pts/N".
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            firstLine.append(chunk)
        }
        let fields = String(decoding: firstLine, as: UTF8.self).split(separator: "\n")[0].split(separator: " ")
        #expect(fields.first == "dual-plate")
        let path = try #require(fields.dropFirst().first.map(String.init))

        let descriptor = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)
        try #require(descriptor >= 0, "cannot open \(path)")
        defer { close(descriptor) }
        var decoder = LineProtocolDecoder()
        var samples: [DeviceSample] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(20)
        while samples.count < 400, Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<count])) {
                    if case .sample(let sample) = $0 { samples.append(sample) }
                }
            }
        }
        #expect(samples.count == 400)
        #expect(decoder.header?.rateHz == 200 && decoder.header?.layout == .dualPlate)
        let layout = DualPlateLayout()
        let left = samples.map { layout.reading(cellForcesNewtons: $0.dualPlateCells).left.forceNewtons }.reduce(0, +)
        let total = samples.map { layout.reading(cellForcesNewtons: $0.dualPlateCells).totalForceNewtons }.reduce(0, +)
        #expect(abs(left / total - 0.62) < 0.01)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("--csv writes a trial that stance analyze reads back with the split that was set")
    func csvForAnalyze() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).csv").path
        defer { unlink(path) }
        let simulate = try runStance(["simulate", "--scenario", "squat", "--left-share", "0.58", "--csv", path])
        #expect(simulate.status == 0, "\(simulate.standardError)")
        let analyze = try runStance(["analyze", path, "--json"])
        #expect(analyze.status == 0, "\(analyze.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(analyze.standardOutput.utf8)) as? [String: Any]
        let distribution = try #require(report?["weight_distribution"] as? [String: Any])
        #expect(abs(((distribution["left_pct"] as? Double) ?? 0) - 58) < 0.01)
    }

    @Test("--imu-csv writes one IMU's truth and readings: the agreed header, rate × duration rows; an unknown segment is a usage error")
    func imuCSV() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imu-\(UUID().uuidString).csv").path
        defer { unlink(path) }
        let simulate = try runStance(["simulate", "--scenario", "quiet-stance", "--imu-csv", path, "--segment", "trunk",
                                      "--rate-hz", "500", "--duration-s", "4", "--seed", "3", "--imu-noise", "none"])
        #expect(simulate.status == 0, "\(simulate.standardError)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time_s,true_qw,true_qx,true_qy,true_qz,gx_rad_s,gy_rad_s,gz_rad_s,ax_m_s2,ay_m_s2,az_m_s2,mx_uT,my_uT,mz_uT")
        #expect(lines.count == 1 + 2000 && lines.allSatisfy { $0.split(separator: ",").count == 14 })
        let bad = try runStance(["simulate", "--imu-csv", path, "--segment", "left-foot"])
        #expect(bad.status == 64 && bad.standardError.contains("left-thigh"))
    }

    @Test("an unknown scenario is a usage error naming the known ones")
    func unknownScenario() throws {
        let result = try runStance(["simulate", "--scenario", "burpees"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("quiet-stance"))
    }
}

@Suite("stance devices (the real binary)")
struct DevicesCommandTests {
    @Test("--all --json lists this machine's nodes with their profile match and access")
    func json() throws {
        let result = try runStance(["devices", "--all", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(document["udev_running"] is Bool)
        let devices = try #require(document["devices"] as? [[String: Any]])
        let ptmx = try #require(devices.first { $0["path"] as? String == "/dev/ptmx" })
        #expect(ptmx["subsystem"] as? String == "tty" && ptmx["profile"] as? String == "none" && ptmx["accessible"] as? Bool == true)
    }

    @Test("the table says whether udev runs and how many profiles are loaded; a broken user profile is shown")
    func table() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("devices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[device]\nprotocol = \"witmotion\n".write(to: directory.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        let result = try runStance(["devices", "--profiles-dir", directory.path])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("udev: "))
        #expect(result.standardOutput.contains("profiles: 5 built-in, 0 from \(directory.path)"))
        #expect(result.standardOutput.contains("bad.toml:2:12: string not closed"), "\(result.standardOutput)")
    }
}
