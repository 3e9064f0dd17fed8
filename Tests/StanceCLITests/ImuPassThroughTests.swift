import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("IMUs through the real daemon", .serialized)
struct ImuPassThroughTests {
    @Test("two WitMotion IMUs and no plate: every IMU sample reaches a samples watcher as an IMU object with its role; STATUS lists both; plate commands say none is configured")
    func imus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-imu-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = Process()
        simulator.executableURL = stanceExecutable
        simulator.arguments = ["simulate", "--protocol", "witmotion", "--scenario", "squat", "--reps", "4", "--rate-hz", "50", "--link-dir", directory.path]
        simulator.standardOutput = Pipe()
        try simulator.run()
        defer { if simulator.isRunning { simulator.terminate() } }
        var waited = 0
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("imu-trunk").path), waited < 200 { usleep(20_000); waited += 1 }
        let socketPath = directory.appendingPathComponent("stance.sock").path
        let daemon = Process()
        daemon.executableURL = stancedExecutable
        daemon.arguments = ["--device", directory.appendingPathComponent("imu-left-shank").path + ",profile=witmotion-ch340,role=imu-left-shank",
                            "--device", directory.appendingPathComponent("imu-trunk").path + ",profile=witmotion-ch340",
                            "--socket", socketPath, "--log-level", "warning"]
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        waited = 0
        while !FileManager.default.fileExists(atPath: socketPath), waited < 200 { usleep(20_000); waited += 1 }

        let watched = try runStance(["watch", "--json", "--samples", "--seconds", "1.5", "--socket", socketPath])
        var perRole: [String: Int] = [:]
        var gravityOK = true
        for line in watched.standardOutput.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["class"] as? String == "IMU", let role = object["role"] as? String,
                  let acceleration = object["acc_m_s2"] as? [Double], acceleration.count == 3,
                  (object["gyro_rad_s"] as? [Double])?.count == 3 else { continue }
            perRole[role, default: 0] += 1
            let magnitude = (acceleration.map { $0 * $0 }.reduce(0, +)).squareRoot()
            if !(5...15).contains(magnitude) { gravityOK = false }
        }
        #expect((perRole["imu-left-shank"] ?? 0) >= 50 && (perRole["imu-trunk"] ?? 0) >= 50, "IMU objects per role in 1.5 s at 50 Hz: \(perRole)")
        #expect(gravityOK, "accelerations near 1 g during squats")

        let status = try runStance(["status", "--json", "--socket", socketPath])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
        let devices = try #require(object["devices"] as? [[String: Any]])
        #expect(devices.map { $0["role"] as? String } == ["imu-left-shank", "imu-trunk"] && devices.allSatisfy { $0["state"] as? String == "connected" },
                "\(devices)")
        let tare = try runStance(["tare", "--socket", socketPath])
        #expect(tare.status == 1 && tare.standardError.contains("none is configured"), "\(tare.standardError)")
    }
}
