import Foundation
import StanceDSP
import StanceProtocols
import StanceRecording
import StanceSimulation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("a session records each IMU as a stream of its own", .serialized)
struct SessionImuStreamsTests {
    static let rateHz = 100.0
    /// The IMU simulator's trial (squats: the segments move) and seed.
    static let imuTrial = ["--scenario", "squat", "--reps", "15", "--rep-s", "3", "--seed", "7"]

    @Test("a dual plate and two WitMotion IMUs at 100 Hz, a 4 s session: streams 16 and 17 hold each IMU's samples as sent, on the plates' clock")
    func imuStreams() throws {
        let running = try SimulatedDaemon(
            simulators: [["--scenario", "quiet-stance", "--rate-hz", "100", "--duration-s", "60"],
                         ["--protocol", "witmotion", "--rate-hz", "100"] + Self.imuTrial],
            waitingFor: ["dual-plate", "imu-left-shank", "imu-trunk"]
        ) { directory in
            let config = try witMotion100HzConfiguration(in: directory)
            return ["--config", config.path, "--log-level", "notice",
                    "--device", directory.appendingPathComponent("dual-plate").path,
                    "--device", directory.appendingPathComponent("imu-left-shank").path + ",profile=witmotion-100hz,role=imu-left-shank",
                    "--device", directory.appendingPathComponent("imu-trunk").path + ",profile=witmotion-100hz",
                    "--sessions", directory.appendingPathComponent("sessions").path]
        }
        defer { running.stop() }
        // The IMUs have sent samples (so their angle and temperature frames are known) before the session.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let devices = (try? running.status()["devices"] as? [[String: Any]]) ?? []
            if devices.count == 3, devices.allSatisfy({ ($0["samples"] as? Int ?? 0) > 20 }) { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let started = try running.stance(["session", "start", "--subject", "imus"])
        #expect(started.status == 0, "\(started.standardError)")
        Thread.sleep(forTimeInterval: 4)
        let stopped = try running.stance(["session", "stop"])
        #expect(stopped.status == 0, "\(stopped.standardError)")
        let log = running.stopDaemon()

        let session = try #require(try FileManager.default.contentsOfDirectory(atPath: running.path("sessions")).first)
        let recording = try XDFReader.read(contentsOf: running.path("sessions/\(session)/session.xdf"))
        #expect(recording.problems.isEmpty, "\(recording.problems)")
        #expect(recording.streams.map(\.id) == [1, 2, 3, 4, 5, 16, 32, 17, 33], "\(recording.streams.map { "\($0.id) \($0.info.name)" })")
        let plates = recording.streams.filter { $0.info.name.hasSuffix("plate") }
        let plateStart = try #require(plates.compactMap(\.timestamps.first).max(), "no plate samples; the daemon's log:\n\(log)")
        let plateEnd = try #require(plates.compactMap(\.timestamps.last).min())
        let plateSamples = plates.map(\.sampleCount).min() ?? 0

        let expectedSamples = try Self.emulatedSamples()
        // The emulator sends what a WT901 sends: acceleration, rates, field, angles, quaternion.
        let labels = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz", "roll", "pitch", "yaw", "qw", "qx", "qy", "qz", "temp"]
        let units = ["m/s^2", "m/s^2", "m/s^2", "rad/s", "rad/s", "rad/s", "count", "count", "count", "rad", "rad", "rad", "1", "1", "1", "1", "degC"]
        for (id, role) in [(UInt32(16), "imu-left-shank"), (17, "imu-trunk")] {
            let stream = try #require(recording.stream(id))
            let info = stream.info
            #expect(info.name == role && info.type == "IMU" && info.format == .float32 && info.nominalRateHz == Self.rateHz, "\(info)")
            let desc = XMLTag("desc", children: info.desc)
            let channels = desc.child("channels")?.children(named: "channel") ?? []
            #expect(info.channelCount == labels.count && channels.map { $0.childText("label") } == labels
                    && channels.map { $0.childText("unit") } == units, "\(role): \(channels.map(\.xml))")
            let acquisition = desc.child("acquisition")
            #expect(acquisition?.childText("device") == running.path(role) && acquisition?.childText("role") == role
                    && acquisition?.childText("profile") == "witmotion-100hz", "\(acquisition?.xml ?? "no acquisition")")
            #expect(stream.footer?.sampleCount == stream.sampleCount, "closed at the stop with its count")

            // As many samples as the plates recorded over the same 4 s, give or take a read at
            // each end of the session (one read wake is at most 100 ms: 10 samples).
            let span = plateEnd - plateStart
            print("\(role): \(stream.sampleCount) samples, plates \(plateSamples), plate span \(span) s, "
                  + "IMU \(stream.timestamps.first.map { $0 - plateStart } ?? .nan)…\(stream.timestamps.last.map { $0 - plateEnd } ?? .nan) s from the plates' ends")
            #expect(abs(stream.sampleCount - plateSamples) <= 12 && abs(Double(stream.sampleCount) - span * Self.rateHz) <= 15,
                    "\(role): \(stream.sampleCount) samples; the plates \(plateSamples) over \(span) s")
            // One clock: the IMU's first and last samples lie within 150 ms of the plates'.
            let first = try #require(stream.timestamps.first), last = try #require(stream.timestamps.last)
            #expect(abs(first - plateStart) < 0.15 && abs(last - plateEnd) < 0.15,
                    "\(role): IMU \(first)…\(last), plates \(plateStart)…\(plateEnd)")
            #expect(zip(stream.timestamps, stream.timestamps.dropFirst()).allSatisfy { $0 <= $1 }, "host receive times never go back")

            // The values: those the emulator encoded, decoded as the daemon decodes them, as float32.
            guard case .float32(let values) = stream.values else { Issue.record("\(role): not float32"); continue }
            let expected = try #require(expectedSamples[role]).map(Self.row)
            let recorded = stride(from: 0, to: values.count, by: labels.count).map { Array(values[$0..<$0 + labels.count]) }
            let offset = try #require(expected.firstIndex(of: recorded[0]), "\(role): the first recorded sample is none the emulator sent")
            let matching = zip(recorded, expected[offset...]).filter { $0 == $1 }.count
            #expect(matching == recorded.count, "\(role): \(matching) of \(recorded.count) samples as sent, from the emulator's sample \(offset)")
        }

        let description = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: running.path("sessions/\(session)/session.json")))) as? [String: Any])
        let result = try #require(description["result"] as? [String: Any])
        let imus = try #require(result["imus"] as? [[String: Any]])
        #expect(imus.map { $0["role"] as? String } == ["imu-left-shank", "imu-trunk"] && imus.allSatisfy { $0["samples_lost"] as? Int == 0 }
                && imus.map { $0["samples"] as? Int } == [16, 17].map { recording.stream($0)?.sampleCount }, "\(imus)")
        #expect(log.contains("imu-left-shank: \(recording.stream(16)?.sampleCount ?? -1) samples, 0 lost"), "\(log)")
        // The readers of a session's file look streams up by name: the IMU streams are no bother.
        let replayed = try runStance(["replay", running.path("sessions/\(session)"), "--check"])
        #expect(replayed.status == 0 && replayed.standardOutput.contains("bit-identical"), "\(replayed.standardOutput)\(replayed.standardError)")
    }

    /// Each IMU's samples as `stance simulate` (with `imuTrial`) encodes them, decoded as the
    /// daemon decodes them (the profile's ranges are the decoder's defaults).
    static func emulatedSamples() throws -> [String: [ImuSample]] {
        var parameters = ScenarioParameters()
        parameters.repetitions = 15
        parameters.repetitionSeconds = 3
        parameters.seed = 7
        var samples: [String: [ImuSample]] = [:]
        for device in SimulatedDevices.make(protocol: .witmotion, scenario: .squat, parameters: parameters, rateHz: rateHz) {
            var decoder = WitMotionDecoder()
            var decoded: [ImuSample] = []
            let bytes = device.samples.flatMap { $0 }
            bytes.withUnsafeBytes { decoder.decode($0) { decoded.append($0) } }
            decoder.flush { decoded.append($0) }
            samples[device.name] = decoded
        }
        return samples
    }

    /// The channels the streams hold for the simulated IMUs, as float32.
    static func row(_ sample: ImuSample) -> [Float] {
        let vectors = [sample.accelerationMetresPerSecondSquared, sample.angularVelocityRadiansPerSecond,
                       sample.magneticField ?? SIMD3(repeating: .nan), sample.eulerAnglesRadians ?? SIMD3(repeating: .nan)]
        let q = sample.orientation ?? SIMD4(repeating: .nan)
        return vectors.flatMap { vector in (0..<3).map { Float(vector[$0]) } } + (0..<4).map { Float(q[$0]) }
            + [Float(sample.temperatureCelsius ?? .nan)]
    }
}
