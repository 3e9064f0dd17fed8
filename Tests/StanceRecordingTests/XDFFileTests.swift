import Foundation
import StanceRecording
import Testing

@Suite("XDF recording file")
struct XDFFileTests {
    func scratchPath(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-xdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    @Test("appended chunks reach the file byte for byte, across appends and a sync")
    func appendAndSync() throws {
        let path = try scratchPath("a.xdf")
        var writer = XDFWriter()
        var file = try XDFFile(creating: path)
        try file.append(writer.bytes)
        var expected = writer.bytes
        writer.removeAllBytes()
        writer.appendBoundary()
        try file.append(writer.bytes)
        expected += writer.bytes
        try file.sync()
        #expect(file.byteCount == expected.count)
        try file.close()
        #expect(try WholeFile.read(path) == expected)
    }

    @Test("an existing file is never overwritten: the error names the path and the system's reason")
    func existingFile() throws {
        let path = try scratchPath("b.xdf")
        try XDFFile(creating: path).close()
        let error = #expect(throws: XDFFile.Failure.self) { _ = try XDFFile(creating: path) }
        #expect(error?.operation == .create)
        #expect(error?.code == EEXIST)
        #expect(error?.description == "\(path): create failed: File exists")
    }
}
