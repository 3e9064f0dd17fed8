import Foundation
import StanceRecording

/// A temporary sessions directory holding session directories whose `session.xdf` has the
/// header and plate streams stanced writes (`docs/recording.md`).
struct SessionsFixture {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The path of session `id`'s file.
    func path(_ id: String) -> String { "\(directory)/\(id)/session.xdf" }

    /// Writes session `id`: `samples` frames at 100 Hz from `SessionsFixture.frame`, the left plate
    /// carrying `leftShare` of the load, with the given metadata.
    @discardableResult
    func addSession(_ id: String, startedUTC: String, subject: String? = nil, exercise: String? = nil,
                    samples: Int = 300, leftShare: Float = 0.45, swayMillimetres: Float = 5) throws -> [SIMD8<Float>] {
        var session = [XMLTag("id", id), XMLTag("started_utc", startedUTC)]
        if let subject { session.append(XMLTag("subject", subject)) }
        if let exercise { session.append(XMLTag("exercise", exercise)) }
        session.append(XMLTag("body_mass_kg", 72.5))
        var writer = XDFWriter(headerInfo: [
            XMLTag("session", children: session),
            XMLTag("devices", children: [XMLTag("device", children: [XMLTag("path", "/dev/ttyUSB0"), XMLTag("profile", "sim")])]),
        ])
        let frames = (0..<samples).map { Self.frame($0, leftShare: leftShare, swayMillimetres: swayMillimetres) }
        for (streamID, offset) in [(UInt32(1), 0), (2, 4)] {
            try writer.addStream(streamID, XDFStreamInfo(name: streamID == 1 ? "left plate" : "right plate", type: "Force",
                                                         channelCount: 4, nominalRateHz: 100, format: .float32, createdAtSeconds: 50))
            let values = frames.flatMap { frame in (0..<4).map { frame[offset + $0] } }
            try writer.appendSamples(streamID, float32: values, timestamps: .each((0..<samples).map { 1000 + Double($0) / 100 }))
        }
        try FileManager.default.createDirectory(atPath: "\(directory)/\(id)", withIntermediateDirectories: true)
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path(id)))
        return frames
    }

    /// Cell forces (N) of a 700 N subject swaying `swayMillimetres`-ish at 0.5 Hz (left plate
    /// a little more), `leftShare` of the load on the left.
    static func frame(_ index: Int, leftShare: Float, swayMillimetres: Float) -> SIMD8<Float> {
        let phase = 2 * Float.pi * 0.5 * Float(index) / 100
        let tilt = swayMillimetres / 100 * sin(phase)
        let left = 700 * leftShare / 4, right = 700 * (1 - leftShare) / 4
        // Front cells (TL TR) gain what the back cells (BL BR) lose: COP moves in y.
        return SIMD8(left * (1 + 1.5 * tilt), left * (1 + 1.5 * tilt), left * (1 - 1.5 * tilt), left * (1 - 1.5 * tilt),
                     right * (1 + tilt), right * (1 + tilt), right * (1 - tilt), right * (1 - tilt))
    }
}
