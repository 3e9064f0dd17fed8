import Foundation
import StanceDaemon
import StanceDevices
import StanceDSP
import StanceRecording
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The session recorder's IMU side without a daemon: the test thread plays the IMU's reader.
@Suite("IMU streams of a session", .serialized)
struct SessionImuRecordingTests {
    static let imu = SessionRecorder.ImuSetup(devicePath: "/dev/stance/imu-A1", profile: "witmotion-ch340", role: "imu-left-shank",
                                              rateHz: 200, accelerationRangeG: 8, angularRateRangeDegreesPerSecond: 1000)

    static func setup() -> SessionRecorder.Setup {
        SessionRecorder.Setup(devicePath: "/dev/stance/plate", profile: "test", rateHz: 100, lowpassHz: 10,
                              clockOriginNanoseconds: 5_000_000_000)
    }

    /// A sample with every part, its numbers made from `index`.
    static func sample(_ index: Int, magneticField: Bool = true) -> ImuSample {
        let x = Double(index)
        return ImuSample(accelerationMetresPerSecondSquared: SIMD3(0.1 * x, -9.81, 0.3), angularVelocityRadiansPerSecond: SIMD3(0.01, 0.02 * x, 0.03),
                         magneticField: magneticField ? SIMD3(120, -40, x) : nil, eulerAnglesRadians: SIMD3(0.5, -0.25, 0.001 * x),
                         orientation: SIMD4(1, 0, 0, 0), temperatureCelsius: 31.5)
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stance-imu-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("the channels an IMU sent before the session are declared with their units; only samples between startImus and finish are recorded, as float32, a missing part NaN, at clock origin + host time")
    func channelsAndWindow() throws {
        let feed = ImuSessionFeed(device: Self.imu)
        feed.offer(Self.sample(0), hostSeconds: 0.5)
        let sessions = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        let recorder = try SessionRecorder(sessionsDirectory: sessions, metadata: .init(), setup: Self.setup(), imus: [feed])
        #expect(recorder.imus.map(\.channels) == [[.magneticField, .eulerAngles, .orientation, .temperature]])
        feed.refresh()
        feed.offer(Self.sample(1), hostSeconds: 1.0)   // not yet: the session has not started its IMUs
        recorder.startImus()
        feed.refresh()
        for index in 2..<6 { feed.offer(Self.sample(index, magneticField: index != 4), hostSeconds: Double(index)) }
        let summary = recorder.finish()
        feed.refresh()
        feed.offer(Self.sample(6), hostSeconds: 6.0)   // after the stop
        #expect(summary.imus == [SessionRecorder.ImuCounts(samples: 4, lost: 0)] && summary.failure == nil, "\(summary)")

        let recording = try XDFReader.read(contentsOf: "\(recorder.directory)/session.xdf")
        #expect(recording.problems.isEmpty && recording.streams.map(\.id) == [1, 2, 3, 4, 5, 16, 32], "the IMU stream, then its metrics")
        let stream = try #require(recording.stream(16))
        let channels = XMLTag("desc", children: stream.info.desc).child("channels")?.children(named: "channel") ?? []
        #expect(channels.map { "\($0.childText("label") ?? "?") \($0.childText("unit") ?? "?")" } == [
            "ax m/s^2", "ay m/s^2", "az m/s^2", "gx rad/s", "gy rad/s", "gz rad/s", "mx count", "my count", "mz count",
            "roll rad", "pitch rad", "yaw rad", "qw 1", "qx 1", "qy 1", "qz 1", "temp degC",
        ])
        #expect(stream.info.name == "imu-left-shank" && stream.info.nominalRateHz == 200 && stream.info.channelCount == 17)
        #expect(stream.timestamps == [7, 8, 9, 10], "5 s clock origin + host seconds")
        guard case .float32(let values) = stream.values else { Issue.record("not float32"); return }
        for (row, index) in (2..<6).enumerated() {
            let x = Double(index)
            let expected: [Float] = [Float(0.1 * x), -9.81, 0.3, 0.01, Float(0.02 * x), 0.03,
                                     index == 4 ? .nan : 120, index == 4 ? .nan : -40, index == 4 ? .nan : Float(index),
                                     0.5, -0.25, Float(0.001 * x), 1, 0, 0, 0, 31.5]
            let got = Array(values[row * 17..<(row + 1) * 17])
            #expect(zip(got, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "sample \(index): \(got)")
        }
        let json = try String(contentsOfFile: "\(recorder.directory)/session.json", encoding: .utf8)
        #expect(json.contains("\"imus\":[{\"role\":\"imu-left-shank\",\"samples\":4,\"samples_lost\":0}]"), "\(json)")
    }

    @Test("an IMU without a session's ring to spare: samples that do not fit are counted lost, written and lost add up to those offered")
    func fullRingCountsLost() throws {
        let feed = ImuSessionFeed(device: Self.imu)
        let sessions = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: sessions) }
        // The writer is held back (a stalled disk) until the stop, so the 2048 slots must overflow.
        let recorder = try SessionRecorder(sessionsDirectory: sessions, metadata: .init(), setup: Self.setup(), imus: [feed],
                                           writerStartsAt: MonotonicTime.nanoseconds() + 60_000_000_000)
        #expect(recorder.imus.map(\.channels) == [[]], "no sample seen before: acceleration and angular velocity only")
        recorder.startImus()
        feed.refresh()
        let offered = 20_000
        for index in 0..<offered { feed.offer(Self.sample(index), hostSeconds: Double(index) * 1e-6) }
        let summary = recorder.finish()
        let counts = try #require(summary.imus.first)
        #expect(counts.samples == 2048 && counts.samples + counts.lost == offered, "\(counts)")
        let stream = try #require(try XDFReader.read(contentsOf: "\(recorder.directory)/session.xdf").stream(16))
        #expect(stream.sampleCount == counts.samples && stream.info.channelCount == 6)
    }

    @Test("the disk fills (a 64 kB tmpfs): the session fails naming session.xdf and lets the IMU go")
    func fullDisk() throws {
        let sessions = try Self.directory()
        guard mount("tmpfs", sessions, "tmpfs", 0, "size=64k,mode=0755") == 0 else {
            Issue.record("mount tmpfs on \(sessions): \(String(cString: strerror(errno))) (this test needs root)")
            return
        }
        defer {
            umount2(sessions, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: sessions)
        }
        let feed = ImuSessionFeed(device: Self.imu)
        feed.offer(Self.sample(0), hostSeconds: 0)
        let recorder = try SessionRecorder(sessionsDirectory: sessions, metadata: .init(), setup: Self.setup(), imus: [feed])
        recorder.startImus()
        feed.refresh()
        var offered = 0
        let deadline = Date().addingTimeInterval(10)
        while !recorder.hasFailed, Date() < deadline {
            feed.refresh()
            for _ in 0..<500 {
                feed.offer(Self.sample(offered), hostSeconds: Double(offered) / 200)
                offered += 1
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(recorder.hasFailed, "80 bytes a sample: 64 kB fill within a few thousand")
        let summary = recorder.finish()
        #expect(summary.failure?.contains("No space left on device") == true && summary.failure?.contains("session.xdf") == true,
                "\(summary.failure ?? "no failure")")
        let counts = try #require(summary.imus.first)
        // The drain whose write failed counts its samples lost (they may not be on the disk); those
        // of earlier drains, if any finished before the disk filled, count as written.
        #expect(counts.lost > 0 && counts.samples + counts.lost <= offered, "\(counts) of \(offered)")
        // Let go: the reader's next wake finds no session, and what it offers goes nowhere.
        feed.refresh()
        let before = recorder.imuProgressReport
        for index in 0..<3000 { feed.offer(Self.sample(index), hostSeconds: 100) }
        #expect(recorder.imuProgressReport == before, "not even counted lost: the ring is no longer fed")
    }
}
