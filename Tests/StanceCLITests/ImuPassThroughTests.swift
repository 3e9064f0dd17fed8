import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("IMUs through the real daemon", .serialized)
struct ImuPassThroughTests {
    @Test("two WitMotion IMUs and no plate: every IMU sample reaches a samples watcher as an IMU object with its role; STATUS lists both; plate commands say none is configured")
    func imus() throws {
        let running = try SimulatedDaemon(
            simulate: ["--protocol", "witmotion", "--scenario", "squat", "--reps", "4", "--rate-hz", "50"], waitingFor: "imu-trunk"
        ) { directory in
            ["--device", directory.appendingPathComponent("imu-left-shank").path + ",profile=witmotion-ch340,role=imu-left-shank",
             "--device", directory.appendingPathComponent("imu-trunk").path + ",profile=witmotion-ch340", "--log-level", "warning"]
        }
        defer { running.stop() }

        let watched = try running.stance(["watch", "--json", "--samples", "--seconds", "1.5"])
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

        let devices = try #require(try running.status()["devices"] as? [[String: Any]])
        #expect(devices.map { $0["role"] as? String } == ["imu-left-shank", "imu-trunk"] && devices.allSatisfy { $0["state"] as? String == "connected" },
                "\(devices)")
        let tare = try running.stance(["tare"])
        #expect(tare.status == 1 && tare.standardError.contains("none is configured"), "\(tare.standardError)")
    }
}
