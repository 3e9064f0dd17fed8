import Foundation
import StanceRecording
import Testing

/// Files written by other XDF writers (Fixtures/README.md), read as pyxdf reads them: the expected
/// values are pyxdf's.
@Suite("XDF reader on other writers' files")
struct XDFForeignFileTests {
    static func read(_ name: String) throws -> XDFRecording {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "xdf"))
        return try XDFReader.read(contentsOf: url.path)
    }

    @Test("minimal.xdf: int16 and string streams, deduced timestamps, clock offsets, as pyxdf reads them")
    func minimal() throws {
        let recording = try Self.read("minimal")
        #expect(recording.problems == [])
        #expect(recording.streams.map(\.id) == [0, 46_202_862])
        let timestamps = [5.1, 5.2, 5.3, 5.3999999999999995, 5.5, 5.6, 5.699999999999999, 5.799999999999999, 5.899999999999999]

        let numbers = try #require(recording.stream(0))
        #expect(numbers.info.name == "SendDataC" && numbers.info.format == .int16 && numbers.info.channelCount == 3)
        let values: [Int16] = [192, 255, 238, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35]
        #expect(numbers.values == .int16(values))
        #expect(numbers.timestamps == timestamps)
        #expect(numbers.clockOffsets == [.init(collectionTimeSeconds: 6.1, offsetSeconds: -0.1), .init(collectionTimeSeconds: 7.1, offsetSeconds: -0.1)])
        #expect(numbers.footer?.sampleCount == 9)

        let strings = try #require(recording.stream(46_202_862))
        guard case .string(let texts) = strings.values else {
            Issue.record("expected strings, got \(strings.values)")
            return
        }
        #expect(texts.count == 9 && texts.first?.hasPrefix(#"<?xml version="1.0"?><info><writer>LabRecorder xdfwriter"#) == true)
        #expect(Array(texts.dropFirst()) == ["Hello", "World", "from", "LSL", "Hello", "World", "from", "LSL"])
        #expect(strings.timestamps == timestamps)
    }

    @Test("empty_streams.xdf: streams without samples have footers and no timestamps")
    func emptyStreams() throws {
        let recording = try Self.read("empty_streams")
        #expect(recording.problems == [])
        #expect(recording.streams.map(\.id) == [3, 4, 1, 2])
        #expect(recording.stream(3)?.values == .float32([]) && recording.stream(3)?.footer?.sampleCount == 0)
        #expect(recording.stream(2)?.values == .string([]) && recording.stream(2)?.footer?.sampleCount == 0)
        #expect(recording.stream(4)?.values == .int32(Array(0..<10)))
        #expect(recording.stream(4)?.timestamps.first == 91725.21394789348)
        #expect(recording.stream(4)?.timestamps.last == 91734.21394789348)
        #expect(recording.stream(1)?.values == .string([#"{"state": 2}"#]))
        #expect(recording.stream(1)?.clockOffsets.count == 7)
    }
}
