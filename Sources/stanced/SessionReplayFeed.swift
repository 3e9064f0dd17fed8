#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import StanceDSP
import StanceProtocols
import StanceRecording
import StanceSimulation
import Synchronization
import Foundation

/// `stanced --replay SESSION`: a recorded session played into pseudo-terminals (gpsd's gpsfake,
/// for force plates and IMUs), which the daemon then reads like live devices.
///
/// The plates go out as a dual plate speaking the Stance line protocol: each recorded sample with
/// its device sequence number and its cells in newtons, written so they parse back to exactly the
/// recorded float32 values; the plate's calibration is 1 N per unit and nothing is tared, so the
/// daemon's chain sees the recorded cells unchanged. Each IMU stream goes out as a WitMotion IMU
/// of its own (`ImuReplay`). A session of IMUs only has no plate. Playing starts when `start` is
/// told to (the first client watching), every device at once, at the recorded rates times
/// `speed`, or as fast as the daemon reads.
final class SessionReplayFeed: @unchecked Sendable {
    /// Nil for a session of IMUs only.
    let plates: SessionPlates?
    let imus: [ImuReplay]
    /// The recording's analysis settings (window, low-pass), which the replaying daemon takes.
    let analysis: SessionAnalysisSettings
    let path: String
    private let emulator: DeviceEmulator?

    /// Reads the session and opens the pseudo-terminals.
    /// - Parameters:
    ///   - session: a session's directory or its `session.xdf`.
    ///   - speed: pace as a multiple of the recorded rate (> 0).
    ///   - asFastAsRead: ignore the pace; write as fast as the reader takes the lines.
    init(session: String, speed: Double, asFastAsRead: Bool) throws {
        path = SessionPlates.filePath(session: session)
        let (recording, readPlates) = try SessionPlates.readWithOptionalPlates(contentsOf: path)
        analysis = SessionAnalysisSettings(recording: recording)
        imus = try recording.streams.compactMap { try ImuReplay(stream: $0, speed: speed, asFastAsRead: asFastAsRead) }
        guard let plates = readPlates else {
            plates = nil
            emulator = nil
            return
        }
        self.plates = plates
        var preamble: [UInt8] = []
        let encoder = LineProtocolEncoder(checksums: true)
        encoder.encode(LineHeader(channels: 8, rateHz: plates.rateHz, units: .newtons, layout: .dualPlate, id: "replay"), into: &preamble)
        let (frames, sequences, times) = (plates.frames, plates.deviceSequences, plates.timestamps)
        let origin = times.first ?? 0
        emulator = try DeviceEmulator(
            configuration: DeviceEmulator.Configuration(rateHz: plates.rateHz * speed, fast: asFastAsRead, drainSeconds: 10,
                                                        waitsForReader: true),
            preamble: preamble
        ) { index in
            guard index < frames.count else { return nil }
            var values = SIMD16<Double>()
            values.lowHalf = frames[index]
            let sequence = sequences[index] >= 0 ? UInt32(truncatingIfNeeded: sequences[index]) : UInt32(truncatingIfNeeded: index)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(200)
            encoder.encode(DeviceSample(sequence: sequence, deviceTimeMicroseconds: UInt64(max(0, (times[index] - origin) * 1e6).rounded()),
                                        channelCount: 8, values: values), into: &bytes)
            return bytes
        }
    }

    /// The terminal the daemon reads the plates from (nil without plates).
    var devicePath: String? { emulator?.secondaryPath }

    /// The daemon's devices: the plates' pty as a dual plate, each IMU's by its replay profile.
    var deviceSpecs: [String] {
        (devicePath.map { ["\($0),protocol=stance-line,role=pair"] } ?? [])
            + imus.map { "\($0.emulator.secondaryPath),profile=\($0.profileName),role=\($0.role)" }
    }

    /// On a thread per device: waits until `ready()` is true (checked every 20 ms), plays the
    /// session, then, once every device has played, calls `finished` with the plate samples sent
    /// (or the first failure).
    func start(when ready: @escaping @Sendable () -> Bool, finished: @escaping @Sendable (Result<Int, SystemCallError>) -> Void) -> Bool {
        let emulators = (emulator.map { [$0] } ?? []) + imus.map(\.emulator)
        let outcomes = Mutex<(remaining: Int, failure: SystemCallError?)>((emulators.count, nil))
        let platesEmulator = emulator
        for (index, device) in emulators.enumerated() {
            let started = DetachedThread.start(name: "stance-replay-\(index)") {
                while !ready() { usleep(20_000) }
                var failure: SystemCallError?
                do throws(SystemCallError) {
                    try device.run()
                } catch {
                    failure = error
                }
                let last = outcomes.withLock { state in
                    state.remaining -= 1
                    if state.failure == nil { state.failure = failure }
                    return state.remaining == 0 ? state.failure.map { Result<Int, SystemCallError>.failure($0) } ?? .success(0) : nil
                }
                guard let last else { return }
                finished(last.map { _ in platesEmulator?.currentStatistics.samplesSent ?? 0 })
            }
            guard started else { return false }
        }
        return true
    }

    func stop() {
        emulator?.stop()
        imus.forEach { $0.emulator.stop() }
    }

    /// Writes each IMU's profile into `directory` (`replay-ROLE.toml`).
    func writeProfiles(into directory: String) throws {
        for imu in imus {
            try imu.profile.write(toFile: "\(directory)/\(imu.profileName).toml", atomically: false, encoding: .utf8)
        }
    }
}
