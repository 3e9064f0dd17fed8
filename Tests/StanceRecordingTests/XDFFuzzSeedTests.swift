import Foundation
import StanceRecording
import Testing

/// The seed of the XDF reader's libFuzzer target (`make fuzz`) is the small recording of the damage
/// tests, written by `XDFWriter`; `STANCE_WRITE_FUZZ_SEED=1 swift test --filter XDFFuzzSeed` rewrites it.
@Suite("XDF reader fuzz seed")
struct XDFFuzzSeedTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/corpus/xdf-reader/small.xdf").standardizedFileURL.path

    @Test("Fuzz/corpus/xdf-reader/small.xdf is the writer's small recording, and reads without problems")
    func seed() throws {
        let bytes = try XDFReaderDamageTests.small().file
        if ProcessInfo.processInfo.environment["STANCE_WRITE_FUZZ_SEED"] == "1" {
            try? FileManager.default.removeItem(atPath: Self.path)
            var file = try XDFFile(creating: Self.path, permissions: 0o644)
            try file.append(bytes)
            try file.close()
        }
        #expect(try WholeFile.read(Self.path) == bytes)
        #expect(try XDFReader.read(contentsOf: Self.path).problems == [])
    }
}
