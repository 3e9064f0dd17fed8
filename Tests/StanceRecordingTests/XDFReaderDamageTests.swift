import StanceRecording
import StanceSimulation
import Testing

/// Files cut short or damaged, as a crash or a bad disk leaves them.
@Suite("XDF reader on damaged files")
struct XDFReaderDamageTests {
    /// A small recording and the offsets where its chunks end (the magic's end first).
    static func small() throws -> (file: [UInt8], chunkEnds: [Int]) {
        var ends = [4]
        var writer = XDFWriter(headerInfo: [XMLTag("subject", "S1")])
        ends.append(writer.bytes.count)
        func mark() { ends.append(writer.bytes.count) }
        try writer.addStream(1, XDFStreamInfo(name: "cells", type: "Force", channelCount: 2, nominalRateHz: 10, format: .float32, createdAtSeconds: 0))
        mark()
        try writer.addStream(2, XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0, format: .string, createdAtSeconds: 0))
        mark()
        try writer.appendClockOffset(1, collectionTimeSeconds: 1, offsetSeconds: 0)
        mark()
        try writer.appendSamples(1, float32: [1, 2, 3, 4], timestamps: .each([1, 1.1]))
        mark()
        try writer.appendSamples(2, strings: ["start"], timestamps: .each([1]))
        mark()
        writer.appendBoundary()
        mark()
        try writer.appendSamples(1, float32: [5, 6, 7, 8, 9, 10], timestamps: .firstOnly(1.2))
        mark()
        writer.appendBoundary()
        mark()
        try writer.closeStream(1)
        mark()
        try writer.closeStream(2)
        mark()
        return (writer.bytes, ends)
    }

    @Test("a file cut at every byte reads every complete chunk and says where it was cut")
    func truncationAtEveryOffset() throws {
        let (file, ends) = try Self.small()
        #expect(ends.last == file.count)
        for cut in 0...file.count {
            let recording = try XDFReader.read(Array(file[..<cut]))
            guard cut >= 4 else {
                #expect(recording.problems == [.truncated(chunkOffset: 0, fileSize: cut)])
                continue
            }
            let complete = ends.last { $0 <= cut }!
            if complete == cut {
                #expect(recording.problems == [], "cut at \(cut)")
            } else {
                #expect(recording.problems == [.truncated(chunkOffset: complete, fileSize: cut)], "cut at \(cut)")
                #expect(recording.truncatedAt == cut)
                // Exactly what the complete chunks hold.
                let expected = try XDFReader.read(Array(file[..<complete]))
                #expect(recording.fileHeader == expected.fileHeader, "cut at \(cut)")
                #expect(recording.streams == expected.streams, "cut at \(cut)")
            }
        }
        let whole = try XDFReader.read(file)
        #expect(whole.stream(1)?.sampleCount == 5 && whole.stream(2)?.sampleCount == 1)
    }

    /// The offset of the second samples chunk of stream 1 (after the first boundary) and the end of
    /// the boundary that follows it.
    static func secondCellsChunk() throws -> (file: [UInt8], start: Int, nextBoundaryEnd: Int) {
        let (file, ends) = try small()
        return (file, ends[7], ends[9])
    }

    @Test("a corrupted length-size byte: the chunk is skipped to the next boundary, the rest is read")
    func corruptedLengthSize() throws {
        var (file, start, boundaryEnd) = try Self.secondCellsChunk()
        file[start] = 7
        let recording = try XDFReader.read(file)
        #expect(recording.problems == [.skipped(offset: start, byteCount: boundaryEnd - start,
                                                reason: "a length of 7 bytes, not 1, 4 or 8", resumedAtBoundary: true)])
        #expect(recording.stream(1)?.values == .float32([1, 2, 3, 4]))
        #expect(recording.stream(1)?.footer?.sampleCount == 5)
        #expect(recording.stream(2)?.footer != nil)
    }

    @Test("a corrupted length, one too long or one too short: the samples do not fit, resumed at the boundary",
          arguments: [1, -1])
    func corruptedLength(delta: Int) throws {
        var (file, start, boundaryEnd) = try Self.secondCellsChunk()
        file[start + 1] = UInt8(Int(file[start + 1]) + delta)
        let recording = try XDFReader.read(file)
        #expect(recording.problems.count == 1)
        guard case .skipped(start, boundaryEnd - start, let reason, true) = recording.problems.first else {
            Issue.record("expected a skip from \(start) to \(boundaryEnd): \(recording.problems)")
            return
        }
        #expect(reason.hasPrefix("samples of stream 1: "))
        #expect(recording.stream(1)?.values == .float32([1, 2, 3, 4]))
        #expect(recording.stream(1)?.footer != nil && recording.stream(2)?.footer != nil)
    }

    @Test("a length past the end of the file is damage when a boundary follows, truncation when none does")
    func lengthPastTheEnd() throws {
        var (file, start, boundaryEnd) = try Self.secondCellsChunk()
        let damaged = Array(file[..<start]) + [4, 0xF0, 0xFF, 0xFF, 0xFF] + file[(start + 2)...]
        let recording = try XDFReader.read(damaged)
        #expect(recording.problems == [.skipped(offset: start, byteCount: boundaryEnd + 3 - start,
                                                reason: "a length past the end of the file", resumedAtBoundary: true)])
        #expect(recording.stream(2)?.footer != nil)

        file = Array(file[..<start]) + [8, 0, 0, 0, 0, 0, 0, 0, 0x80]
        #expect(try XDFReader.read(file).problems == [.truncated(chunkOffset: start, fileSize: file.count)])
    }

    @Test("damage with no boundary after it skips to the end of the file")
    func damageWithoutBoundary() throws {
        let (file, ends) = try Self.small()
        let footer = ends[ends.count - 3]
        var damaged = file
        damaged[footer] = 0
        #expect(try XDFReader.read(damaged).problems == [.skipped(offset: footer, byteCount: file.count - footer,
                                                                 reason: "a length of 0 bytes, not 1, 4 or 8", resumedAtBoundary: false)])
    }

    @Test("random garbage and random byte flips never crash or hang the reader")
    func garbage() throws {
        var random = SplitMix64(seed: 0x5EED)
        let (file, _) = try Self.small()
        for trial in 0..<3000 {
            var bytes: [UInt8]
            if trial.isMultiple(of: 2) {
                bytes = XDFChunk.magic + (0..<Int(random.next() % 600)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = file
                for _ in 0..<(1 + random.next() % 4) {
                    bytes[Int(random.next() % UInt64(bytes.count - 4)) + 4] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            let recording = try XDFReader.read(bytes)
            for stream in recording.streams {
                #expect(stream.values.count == stream.sampleCount * stream.info.channelCount)
            }
        }
    }
}
