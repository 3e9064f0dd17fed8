import Foundation
import StanceRecording
import Testing

@Suite("IMU_METRICS from emulated WitMotion IMUs through stanced", .serialized)
struct ImuMetricsTests {
    @Test("squats with the left shank's range of motion 80 % of the right's: IMU_METRICS recover a 20 % ROM asymmetry (right dominant) within 2 points, and report the trunk; a session of IMUs only",
          arguments: ["ahrs", "device"])
    func romAsymmetryRecovered(orientation: String) throws {
        let running = try SimulatedDaemon(
            simulators: [["--protocol", "witmotion", "--scenario", "squat", "--reps", "8", "--rep-s", "3", "--left-rom-ratio", "0.8",
                          "--rate-hz", "100"]],
            waitingFor: ["imu-left-shank", "imu-right-shank", "imu-trunk"]
        ) { directory in
            let config = try witMotion100HzConfiguration(in: directory, orientation: orientation)
            func device(_ role: String) -> String { directory.appendingPathComponent(role).path + ",profile=witmotion-100hz,role=\(role)" }
            return ["--config", config.path, "--window-s", "6", "--sessions", directory.appendingPathComponent("sessions").path,
                    // The first IMU configured, the one that sends IMU_METRICS, is never plugged in:
                    // another stands in for it.
                    "--device", device("imu-left-thigh-absent").replacingOccurrences(of: "role=imu-left-thigh-absent", with: "role=imu-left-thigh"),
                    "--device", device("imu-left-shank"), "--device", device("imu-right-shank"), "--device", device("imu-trunk")]
        }
        defer { running.stop() }
        // 8 s: the 6 s window holds two whole repetitions once it is full.
        let watched = try running.stance(["watch", "--json", "--rate-hz", "5", "--seconds", "9"])
        let objects = watched.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["class"] as? String == "IMU_METRICS" }
        #expect(objects.count >= 30, "5 Hz for 9 s: \(objects.count) IMU_METRICS")
        let last = try #require(objects.last)
        #expect(last["window_s"] as? Double == 6)
        let segments = try #require(last["segments"] as? [String: [String: Any]])
        #expect(Set(segments.keys) == ["left_shank", "right_shank"], "\(segments.keys)")
        let leftROM = try #require(segments["left_shank"]?["rom_deg"] as? Double)
        let rightROM = try #require(segments["right_shank"]?["rom_deg"] as? Double)
        #expect(rightROM > 20, "a squat swings the shank by tens of degrees: \(rightROM)°")
        let rom = try #require(((last["asymmetry"] as? [String: Any])?["shank"] as? [String: Any])?["rom"] as? [String: Any])
        let asymmetry = try #require(rom["asymmetry_pct"] as? Double)
        #expect(abs(asymmetry - 20) <= 2, "\(orientation): ROM asymmetry \(asymmetry) % (left \(leftROM)°, right \(rightROM)°), 20 % set")
        #expect(rom["dominant"] as? String == "right")
        let trunk = try #require(last["trunk"] as? [String: Any])
        #expect(trunk["lean_deg"] is Double && (trunk["tilt_sway"] as? [String: Any])?["ellipse95_area_deg2"] is Double, "\(trunk)")
        #expect(((trunk["acceleration_sway"] as? [String: Any])?["jerk_m2_s5"] as? Double ?? 0) > 0)

        // Into a pipe, stance watch prints one line per IMU_METRICS.
        let plain = try running.stance(["watch", "--rate-hz", "2", "--seconds", "2"])
        let lines = plain.standardOutput.split(separator: "\n").filter { $0.hasPrefix("IMU t ") }
        #expect(lines.count >= 3, "\(plain.standardOutput)")
        #expect(lines.last?.contains("shank ROM asymmetry") == true && lines.last?.contains("trunk lean") == true, "\(lines.last ?? "")")

        // A session without plates: the IMUs' streams and the markers, nothing else.
        #expect(try running.stance(["session", "start", "--subject", "imu-only"]).status == 0)
        Thread.sleep(forTimeInterval: 1)
        #expect(try running.stance(["mark", "half way"]).standardOutput.contains("in session "))
        Thread.sleep(forTimeInterval: 1)
        let stopped = try running.stance(["session", "stop"])
        #expect(stopped.status == 0, "\(stopped.standardError)")
        // Each IMU's counts, on the wire and printed: none lost.
        let counted = stopped.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  imu-") && $0.hasSuffix(" samples, 0 lost") }
        #expect(counted.count == 4, "\(stopped.standardOutput)")
        // It lasted as long as its IMU samples (no plate samples), and is summarised from them.
        let stopLine = stopped.standardOutput.split(separator: "\n").first { $0.contains(" stopped: 0 plate samples, ") } ?? ""
        let lasted = Double(stopLine.split(separator: ", ").dropFirst().first?.split(separator: " ").first ?? "") ?? 0
        #expect(abs(lasted - 2) < 0.3, "\(stopLine)")
        #expect(stopped.standardOutput.contains("IMUs over the session:\n  shank ROM left "), "\(stopped.standardOutput)")
        let session = try #require(try FileManager.default.contentsOfDirectory(atPath: running.path("sessions")).first)
        let recording = try XDFReader.read(contentsOf: running.path("sessions/\(session)/session.xdf"))
        #expect(recording.problems.isEmpty)
        // The absent thigh IMU has its streams too, empty.
        #expect(recording.streams.map(\.info.name).sorted() == ["imu-left-shank", "imu-left-shank metrics", "imu-left-thigh",
                                                                  "imu-left-thigh metrics", "imu-right-shank", "imu-right-shank metrics",
                                                                  "imu-trunk", "imu-trunk metrics", "markers"],
                "\(recording.streams.map(\.info.name))")
        // The recorded IMU metrics come back bit for bit from the recorded IMU streams.
        let replayed = try runStance(["replay", running.path("sessions/\(session)"), "--check"])
        #expect(replayed.status == 0, "\(replayed.standardError)")
        #expect(replayed.standardOutput.components(separatedBy: "bit-identical").count - 1 == 4, "\(replayed.standardOutput)")
        let shankMetrics = try #require(recording.streams.first { $0.info.name == "imu-right-shank metrics" })
        #expect(abs(shankMetrics.sampleCount - 100) <= 15, "50 Hz for about 2 s: \(shankMetrics.sampleCount) rows")
        for stream in recording.streams where stream.info.type == "IMU" && stream.info.name != "imu-left-thigh" {
            #expect(abs(stream.sampleCount - 200) <= 25, "\(stream.info.name): \(stream.sampleCount) samples in about 2 s at 100 Hz")
            #expect(stream.footer != nil)
        }
        guard case .string(let markers)? = recording.streams.first(where: { $0.info.name == "markers" })?.values else {
            Issue.record("no markers")
            return
        }
        #expect(markers.count == 3 && markers[0].hasPrefix("session.start") && markers[1] == "mark: half way"
                && markers[2].hasPrefix("session.stop"), "\(markers)")
        // The catalogue lists it, with its IMUs and length (and no force summary).
        let listed = try runStance(["sessions", "list", "--json", "--dir", running.path("sessions")])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]], "\(listed.standardError)")
        #expect(rows.count == 1 && rows.first?["subject"] as? String == "imu-only", "\(rows)")
        #expect((rows.first?["devices"] as? String)?.contains("imu-left-shank") == true, "\(rows)")
        #expect(abs((rows.first?["duration_s"] as? Double ?? 0) - 2) < 0.3, "\(rows)")

        // Exported as CSV: each IMU stream and its metrics, columns named with their units, the
        // recorded values exactly; C3D, which holds force plates, is refused by name.
        let sessionDirectory = running.path("sessions/\(session)")
        let exported = try runStance(["export", sessionDirectory, "--format", "csv"])
        #expect(exported.status == 0, "\(exported.standardError)")
        let shankCSV = try String(contentsOfFile: sessionDirectory + "/session-imu-right-shank.csv", encoding: .utf8)
        let csvLines = shankCSV.split(separator: "\n")
        let expectedHeader = "time_s,ax_m_s^2,ay_m_s^2,az_m_s^2,gx_rad_s,gy_rad_s,gz_rad_s,mx_count,my_count,mz_count,"
            + "roll_rad,pitch_rad,yaw_rad,qw,qx,qy,qz,temp_degC"
        #expect(csvLines.first.map(String.init) == expectedHeader, "\(csvLines.first ?? "")")
        let shankStream = try #require(recording.streams.first { $0.info.name == "imu-right-shank" })
        #expect(csvLines.count == shankStream.sampleCount + 1)
        if case .float32(let recorded) = shankStream.values, csvLines.count > 1 {
            let first = csvLines[1].split(separator: ",", omittingEmptySubsequences: false).dropFirst().map { Float(Double($0) ?? .nan) }
            #expect(first == Array(recorded[0..<shankStream.info.channelCount]), "\(csvLines[1])")
        }
        let metricsCSV = try String(contentsOfFile: sessionDirectory + "/session-imu-trunk-metrics.csv", encoding: .utf8)
        #expect(metricsCSV.hasPrefix("time_s,lean_deg,sagittal_deg,tilt_path_length_deg,"), "\(metricsCSV.prefix(80))")
        #expect(exported.standardOutput.split(separator: "\n").count == 8, "four IMUs and their metrics: \(exported.standardOutput)")
        let c3d = try runStance(["export", sessionDirectory, "--format", "c3d"])
        #expect(c3d.status == 2 && c3d.standardError.contains("IMUs only has no force plates"), "\(c3d.standardError)")
    }

    @Test("single-leg stance on the left with five IMUs (thighs too): single_leg reports the trunk's and the left shank's sway on the left leg, nothing on the right")
    func singleLegStanceOnTheLeft() throws {
        let roles = ["imu-left-shank", "imu-right-shank", "imu-left-thigh", "imu-right-thigh", "imu-trunk"]
        let running = try SimulatedDaemon(
            simulators: [["--protocol", "witmotion", "--scenario", "single-leg-stance", "--leg", "left", "--duration-s", "60",
                          "--rate-hz", "100"]],
            waitingFor: roles
        ) { directory in
            let config = try witMotion100HzConfiguration(in: directory, orientation: "ahrs")
            return ["--config", config.path, "--window-s", "6", "--sessions", directory.appendingPathComponent("sessions").path]
                + roles.flatMap { ["--device", directory.appendingPathComponent($0).path + ",profile=witmotion-100hz,role=\($0)"] }
        }
        defer { running.stop() }
        let watched = try running.stance(["watch", "--json", "--rate-hz", "2", "--seconds", "8"])
        let last = try #require(watched.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.last { $0["class"] as? String == "IMU_METRICS" }, "\(watched.standardOutput)")
        let segments = try #require(last["segments"] as? [String: [String: Any]])
        #expect(Set(segments.keys) == ["left_shank", "right_shank", "left_thigh", "right_thigh"], "\(segments.keys)")
        let liftedShank = try #require(segments["right_shank"]?["sagittal_deg"] as? Double)
        #expect(abs(liftedShank - 70) < 5, "the lifted right shank is at 70° in the simulation: \(liftedShank)°")
        #expect((last["asymmetry"] as? [String: Any])?["thigh"] is [String: Any], "\(last)")
        let singleLeg = try #require(last["single_leg"] as? [String: Any], "\(last)")
        for segment in ["trunk", "shank"] {
            let legs = try #require(singleLeg[segment] as? [String: Any], "\(segment): \(singleLeg)")
            let left = try #require(legs["left_stance"] as? [String: Any], "\(segment): \(legs)")
            let seconds = try #require(left["seconds"] as? Double)
            #expect(seconds >= 5 && seconds <= 6.01, "\(segment): \(seconds) s on the left leg in a 6 s window")
            #expect((left["path_length_deg"] as? Double ?? 0) > 0 && left["ellipse95_area_deg2"] is Double, "\(segment): \(left)")
            #expect(legs["right_stance"] is NSNull && legs["sway_path"] is NSNull, "\(segment): nothing on the right leg: \(legs)")
        }

        // Into a pipe, stance watch prints it.
        let plain = try running.stance(["watch", "--rate-hz", "2", "--seconds", "1.5"])
        let line = plain.standardOutput.split(separator: "\n").last { $0.hasPrefix("IMU t ") } ?? ""
        #expect(line.contains("single-leg trunk path ") && line.contains("single-leg shank path ") && line.contains(" / – deg over 6.0 / – s"), "\(line)")

        // The session file gives the same comparison back (`ImuSessionSummary`, in the catalogue).
        #expect(try running.stance(["session", "start", "--subject", "one-leg"]).status == 0)
        Thread.sleep(forTimeInterval: 3)
        #expect(try running.stance(["session", "stop"]).status == 0)
        let listed = try runStance(["sessions", "list", "--json", "--dir", running.path("sessions")])
        let row = try #require((try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]])?.first,
                               "\(listed.standardOutput) \(listed.standardError)")
        #expect(row["single_leg_segment"] as? String == "trunk", "\(row)")
        let leftSeconds = try #require(row["single_leg_left_s"] as? Double, "\(row)")
        let duration = try #require(row["duration_s"] as? Double)
        #expect(leftSeconds > duration - 1.2 && leftSeconds <= duration + 0.02, "\(leftSeconds) s on the left leg of \(duration) s recorded")
        #expect(row["single_leg_right_s"] as? Double == 0 && row["single_leg_sway_path_asymmetry_pct"] == nil, "\(row)")
        let leftROM = try #require(row["shank_rom_left_deg"] as? Double), rightROM = try #require(row["shank_rom_right_deg"] as? Double)
        #expect(leftROM < 5 && rightROM < 5, "standing still: shank ROM \(leftROM)° and \(rightROM)°")
        let shown = try runStance(["sessions", "show", try #require(row["id"] as? String), "--dir", running.path("sessions")])
        #expect(shown.standardOutput.contains("single-leg stance") && shown.standardOutput.contains("trunk sway: "), "\(shown.standardOutput)")
    }

    @Test("stanced --replay plays a session of IMUs only as WitMotion IMUs: every recorded sample comes back with its recorded values, and IMU_METRICS with it")
    func imuSessionReplays() throws {
        let roles = ["imu-left-shank", "imu-right-shank", "imu-trunk"]
        let running = try SimulatedDaemon(
            simulators: [["--protocol", "witmotion", "--scenario", "squat", "--reps", "8", "--rep-s", "3", "--rate-hz", "100"]],
            waitingFor: roles
        ) { directory in
            let config = try witMotion100HzConfiguration(in: directory)
            return ["--config", config.path, "--window-s", "6", "--sessions", directory.appendingPathComponent("sessions").path]
                + roles.flatMap { ["--device", directory.appendingPathComponent($0).path + ",profile=witmotion-100hz,role=\($0)"] }
        }
        defer { running.stop() }
        #expect(try running.stance(["session", "start", "--subject", "replayed-imus"]).status == 0)
        Thread.sleep(forTimeInterval: 2)
        #expect(try running.stance(["session", "stop"]).status == 0)
        let session = try #require(try FileManager.default.contentsOfDirectory(atPath: running.path("sessions")).first)
        let directory = running.path("sessions/\(session)")
        let recording = try XDFReader.read(contentsOf: directory + "/session.xdf")

        let socket = running.path("replay.sock")
        let replaying = Process()
        replaying.executableURL = stancedExecutable
        replaying.arguments = ["--replay", directory, "--replay-speed", "2", "--socket", socket, "--sessions", running.path("replayed")]
        let errors = Pipe()
        replaying.standardError = errors
        try replaying.run()
        defer { if replaying.isRunning { replaying.terminate() } }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(20_000) }
        let watched = try runStance(["watch", "--json", "--samples", "--rate-hz", "10", "--seconds", "20", "--socket", socket])
        replaying.waitUntilExit()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(replaying.terminationStatus == 0, "stanced --replay exits when the recording ends: \(log)")
        let objects = watched.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.contains { $0["class"] as? String == "IMU_METRICS" && $0["trunk"] is [String: Any] }, "\(log)")
        for role in roles {
            let stream = try #require(recording.streams.first { $0.info.name == role })
            guard case .float32(let recorded) = stream.values else { Issue.record("\(role) is not float32"); continue }
            let width = stream.info.channelCount
            let served = objects.filter { $0["class"] as? String == "IMU" && $0["role"] as? String == role }
            #expect(served.count == stream.sampleCount, "\(role): \(served.count) IMU objects, \(stream.sampleCount) recorded")
            let mismatch = zip(served, 0...).first { object, index in
                let values = (object["acc_m_s2"] as? [Double] ?? []) + (object["gyro_rad_s"] as? [Double] ?? [])
                return values.map(Float.init) != Array(recorded[(index * width)..<(index * width + 6)])
            }
            #expect(mismatch == nil, "\(role): sample \(mismatch?.1 ?? -1) differs: \(mismatch.map { "\($0.0)" } ?? "")")
        }
    }
}
