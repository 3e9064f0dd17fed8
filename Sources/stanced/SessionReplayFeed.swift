#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import StanceDSP
import StanceProtocols
import StanceRecording
import StanceSimulation

/// `stanced --replay SESSION`: a recorded session played into a pseudo-terminal as a dual plate
/// speaking the Stance line protocol (gpsd's gpsfake, for a force plate), which the daemon then
/// reads like any live device. Each recorded sample goes out with its device sequence number and
/// its cells in newtons, written so they parse back to exactly the recorded float32 values; the
/// plate's calibration is 1 N per unit and nothing is tared, so the daemon's chain sees the
/// recorded cells unchanged. Playing starts when `start` is told to (the first client watching),
/// at the recorded rate times `speed`, or as fast as the daemon reads.
final class SessionReplayFeed: @unchecked Sendable {
    let plates: SessionPlates
    let path: String
    private let emulator: DeviceEmulator

    /// Reads the session and opens the pseudo-terminal.
    /// - Parameters:
    ///   - session: a session's directory or its `session.xdf`.
    ///   - speed: pace as a multiple of the recorded rate (> 0).
    ///   - asFastAsRead: ignore the pace; write as fast as the reader takes the lines.
    init(session: String, speed: Double, asFastAsRead: Bool) throws {
        path = SessionPlates.filePath(session: session)
        plates = try SessionPlates.read(contentsOf: path).plates
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

    /// The terminal the daemon reads.
    var devicePath: String { emulator.secondaryPath }

    /// On a thread of its own: waits until `ready()` is true (checked every 20 ms), plays the
    /// session, then calls `finished` with the samples sent.
    func start(when ready: @escaping @Sendable () -> Bool, finished: @escaping @Sendable (Result<Int, SystemCallError>) -> Void) -> Bool {
        DetachedThread.start(name: "stance-replay") { [self] in
            while !ready() { usleep(20_000) }
            do throws(SystemCallError) {
                try emulator.run()
                finished(.success(emulator.currentStatistics.samplesSent))
            } catch {
                finished(.failure(error))
            }
        }
    }

    func stop() { emulator.stop() }
}
