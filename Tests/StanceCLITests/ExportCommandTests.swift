import Foundation
import StanceRecording
import Testing

@Suite("stance export (the real binary)")
struct ExportCommandTests {
    /// A session directory whose session.xdf has the streams stanced writes: 5 samples at 100 Hz
    /// (cells n + lane / 4 newtons), and a mark 0.02 s after the first sample.
    private func session() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var writer = XDFWriter()
        for (id, side) in [(UInt32(1), "left"), (2, "right")] {
            try writer.addStream(id, XDFStreamInfo(name: "\(side) plate", type: "Force", channelCount: 4, nominalRateHz: 100,
                                                   format: .float32, createdAtSeconds: 50))
            let offset: Float = side == "right" ? 100 : 0
            var values: [Float] = []
            for n in 0..<5 {
                for lane in 0..<4 { values.append(Float(n) + Float(lane) / 4 + offset) }
            }
            try writer.appendSamples(id, float32: values, timestamps: .each((0..<5).map { 100 + Double($0) / 100 }))
        }
        try writer.addStream(4, XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0, format: .string,
                                              createdAtSeconds: 50))
        try writer.appendSamples(4, strings: ["session.start: x", "mark: heel strike"], timestamps: .each([100, 100.02]))
        try Data(writer.bytes).write(to: directory.appendingPathComponent("session.xdf"))
        return directory
    }

    @Test("csv: the cell-force CSV stance analyze reads, every value as recorded; an existing file is kept, with exit 2")
    func csv() throws {
        let directory = try session()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runStance(["export", directory.path, "--format", "csv"])
        #expect(result.status == 0 && result.standardOutput.contains("5 samples at 100.0 Hz"), "\(result.standardOutput)\(result.standardError)")
        let text = try String(contentsOf: directory.appendingPathComponent("session.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first.map(String.init) == CellForceCSV.header && lines.count == 6)
        #expect(lines[3] == "0.02,2.0,2.25,2.5,2.75,102.0,102.25,102.5,102.75", "\(lines[3])")
        let again = try runStance(["export", directory.path, "--format", "csv"])
        #expect(again.status == 2 && again.standardError.contains("session.csv: already exists (not overwritten)"), "\(again.standardError)")
    }

    @Test("c3d: written beside session.xdf with the mark as an event; a missing session names its path, exit 2")
    func c3d() throws {
        let directory = try session()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runStance(["export", directory.appendingPathComponent("session.xdf").path, "--format", "c3d"])
        #expect(result.status == 0 && result.standardOutput.contains("1 events"), "\(result.standardOutput)\(result.standardError)")
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("session.c3d")))
        #expect(bytes.count > 1024 && bytes[1] == 0x50, "a C3D header: second byte 0x50, got \(bytes.prefix(2))")
        let missing = try runStance(["export", "/nonexistent/session", "--format", "c3d"])
        #expect(missing.status == 2 && missing.standardError.contains("/nonexistent/session/session.xdf: No such file or directory"),
                "\(missing.standardError)")
    }
}
