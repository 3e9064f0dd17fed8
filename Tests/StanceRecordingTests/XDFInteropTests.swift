import Foundation
import StanceRecording
import Testing

/// The recording `scripts/interop/xdf_roundtrip.py` reads with pyxdf. The script sets
/// `STANCE_XDF_INTEROP_PATH` and runs this test; it computes the same values from the same
/// formulas, so a change here needs the same change there.
///
/// - stream 1 "left plate cells" (Force): 4 float32 channels at 100 Hz, 250 samples, value
///   `0.5 i + c` at `1000 + i / 100` s; chunks of 50 alternate per-sample and first-only stamps.
/// - stream 2 "metrics" (Metrics): 3 double64 channels at 50 Hz, 120 samples, value
///   `0.1 i + 1000 c` at `1000 + i / 50` s, in chunks of 40.
/// - stream 3 "markers" (Markers): 1 string channel, irregular, the four markers below.
/// A clock offset of 0 per stream, a boundary chunk between sample chunks, then the footers.
@Suite("XDF interop recording")
struct XDFInteropTests {
    static let markers: [(seconds: Double, text: String)] = [
        (1000.0, "session start"), (1000.5, #"tare <&> "ok""#), (1001.25, "mark é ✓"), (1002.5, "session stop"),
    ]

    static func recording() throws -> [UInt8] {
        var writer = XDFWriter(headerInfo: [XMLTag("subject", "interop & test")])
        let cells = (0..<4).map { XMLTag("channel", children: [XMLTag("label", "left_\(["tl", "tr", "bl", "br"][$0])"), XMLTag("unit", "newtons")]) }
        try writer.addStream(1, XDFStreamInfo(name: "left plate cells", type: "Force", channelCount: 4, nominalRateHz: 100,
                                              format: .float32, createdAtSeconds: 999.5, desc: [XMLTag("channels", children: cells)]))
        try writer.addStream(2, XDFStreamInfo(name: "metrics", type: "Metrics", channelCount: 3, nominalRateHz: 50,
                                              format: .double64, createdAtSeconds: 999.5))
        try writer.addStream(3, XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0,
                                              format: .string, createdAtSeconds: 999.5))
        for id: UInt32 in 1...3 { try writer.appendClockOffset(id, collectionTimeSeconds: 1000, offsetSeconds: 0) }

        for chunk in 0..<5 {
            let samples = (chunk * 50)..<(chunk * 50 + 50)
            let values = samples.flatMap { i in (0..<4).map { c in Float(i) * 0.5 + Float(c) } }
            let stamps: XDFWriter.Timestamps = chunk.isMultiple(of: 2)
                ? .each(samples.map { 1000 + Double($0) / 100 }) : .firstOnly(1000 + Double(samples.lowerBound) / 100)
            try writer.appendSamples(1, float32: values, timestamps: stamps)
            writer.appendBoundary()
        }
        for chunk in 0..<3 {
            let samples = (chunk * 40)..<(chunk * 40 + 40)
            let values = samples.flatMap { i in (0..<3).map { c in Double(i) * 0.1 + Double(c) * 1000 } }
            try writer.appendSamples(2, double64: values, timestamps: .each(samples.map { 1000 + Double($0) / 50 }))
        }
        try writer.appendSamples(3, strings: Self.markers.prefix(2).map(\.text), timestamps: .each(Self.markers.prefix(2).map(\.seconds)))
        try writer.appendSamples(3, strings: Self.markers.suffix(2).map(\.text), timestamps: .each(Self.markers.suffix(2).map(\.seconds)))
        for id: UInt32 in 1...3 { try writer.closeStream(id) }
        return writer.bytes
    }

    @Test("the interop recording goes through XDFFile unchanged (to STANCE_XDF_INTEROP_PATH when set)")
    func writeRecording() throws {
        let bytes = try Self.recording()
        let path = ProcessInfo.processInfo.environment["STANCE_XDF_INTEROP_PATH"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("stance-interop-\(UUID().uuidString).xdf").path
        var file = try XDFFile(creating: path)
        try file.append(bytes)
        try file.sync()
        try file.close()
        #expect(try WholeFile.read(path) == bytes)
    }
}
