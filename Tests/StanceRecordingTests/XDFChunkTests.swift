import StanceRecording
import Testing

/// Chunk bytes written out by hand from the XDF 1.0 specification
/// (https://github.com/sccn/xdf/wiki/Specifications): [NumLengthBytes] [Length = 2 + content]
/// [Tag, UInt16 LE] [Content], all little-endian.
@Suite("XDF chunk framing")
struct XDFChunkTests {
    /// Little-endian bytes of a Double / Float, spelt out so the expectations stay hand-checked.
    static let d1_0: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
    static let d1_5: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]
    static let d2_0: [UInt8] = [0, 0, 0, 0, 0, 0, 0x00, 0x40]
    static let d10_0: [UInt8] = [0, 0, 0, 0, 0, 0, 0x24, 0x40]
    static let d10_5: [UInt8] = [0, 0, 0, 0, 0, 0, 0x25, 0x40]
    static let f1_0: [UInt8] = [0, 0, 0x80, 0x3F]
    static let fMinus2_0: [UInt8] = [0, 0, 0, 0xC0]
    static let f0_5: [UInt8] = [0, 0, 0, 0x3F]
    static let f0_0: [UInt8] = [0, 0, 0, 0]

    /// A writer with its file header taken away, so that `bytes` is only what a test appends.
    func writer(_ streams: [(UInt32, XDFStreamInfo)]) throws -> XDFWriter {
        var writer = XDFWriter()
        for (id, info) in streams { try writer.addStream(id, info) }
        writer.removeAllBytes()
        return writer
    }

    func info(_ format: XDFChannelFormat, channels: Int, rateHz: Double) -> XDFStreamInfo {
        XDFStreamInfo(name: "s", type: "t", channelCount: channels, nominalRateHz: rateHz, format: format, createdAtSeconds: 0)
    }

    @Test("variable-length numbers take 1, 4 or 8 bytes after the length-of-length byte")
    func variableLength() {
        func encoded(_ value: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            XDFChunk.appendVariableLength(value, to: &bytes)
            #expect(bytes.count == XDFChunk.variableLengthSize(value))
            return bytes
        }
        #expect(encoded(0) == [1, 0])
        #expect(encoded(255) == [1, 0xFF])
        #expect(encoded(256) == [4, 0x00, 0x01, 0, 0])
        #expect(encoded(0xFFFF_FFFF) == [4, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(encoded(0x1_0000_0000) == [8, 0, 0, 0, 0, 1, 0, 0, 0])
    }

    @Test("a file starts with XDF: and a FileHeader chunk holding version 1.0")
    func fileHeader() {
        let xml = #"<?xml version="1.0"?><info><version>1.0</version></info>"#
        #expect(xml.utf8.count == 56)
        let expected: [UInt8] = Array("XDF:".utf8) + [1, 58, 1, 0] + Array(xml.utf8)
        #expect(XDFWriter().bytes == expected)
    }

    @Test("session metadata follows the version in the file header, escaped")
    func fileHeaderInfo() {
        let writer = XDFWriter(headerInfo: [XMLTag("subject", "A&B")])
        let xml = #"<?xml version="1.0"?><info><version>1.0</version><subject>A&amp;B</subject></info>"#
        #expect(Array(writer.bytes.dropFirst(4 + 4)) == Array(xml.utf8))
    }

    @Test("a StreamHeader chunk is the stream id and the info XML with the caller's desc")
    func streamHeader() throws {
        var writer = XDFWriter()
        writer.removeAllBytes()
        let info = XDFStreamInfo(name: "left <plate>", type: "Force", channelCount: 2, nominalRateHz: 1000, format: .float32,
                                 createdAtSeconds: 12.25, desc: [XMLTag("channels", children: [
                                     XMLTag("channel", children: [XMLTag("label", "tl"), XMLTag("unit", "newtons")]),
                                 ])])
        try writer.addStream(0x0102_0304, info)
        let xml = #"<?xml version="1.0"?><info><name>left &lt;plate&gt;</name><type>Force</type>"#
            + "<channel_count>2</channel_count><nominal_srate>1000.0</nominal_srate><channel_format>float32</channel_format>"
            + "<created_at>12.25</created_at><desc><channels><channel><label>tl</label><unit>newtons</unit></channel>"
            + "</channels></desc></info>"
        let length = 2 + 4 + xml.utf8.count
        #expect(length > 255)
        let expected: [UInt8] = [4, UInt8(length & 0xFF), UInt8(length >> 8), 0, 0, 2, 0, 0x04, 0x03, 0x02, 0x01] + Array(xml.utf8)
        #expect(writer.bytes == expected)
    }

    @Test("float32 samples, each stamped: flag 8, float64 time, then the channels")
    func float32Samples() throws {
        var writer = try writer([(1, info(.float32, channels: 2, rateHz: 100))])
        try writer.appendSamples(1, float32: [1, -2, 0.5, 0], timestamps: .each([10.0, 10.5]))
        // Content: id 4 + count 2 + 2 × (flag 1 + time 8) + 4 values × 4 = 40; Length = 42.
        let expected: [UInt8] = [1, 42, 3, 0, 1, 0, 0, 0, 1, 2]
            + [8] + Self.d10_0 + Self.f1_0 + Self.fMinus2_0
            + [8] + Self.d10_5 + Self.f0_5 + Self.f0_0
        #expect(writer.bytes == expected)
        let tally = try #require(writer.tally(of: 1))
        #expect(tally.firstTimestampSeconds == 10.0 && tally.lastTimestampSeconds == 10.5 && tally.sampleCount == 2)
    }

    @Test("double64 samples stamped only first: flag 0 on the rest, the footer counts the deduced times")
    func firstOnlyTimestamps() throws {
        var writer = try writer([(2, info(.double64, channels: 1, rateHz: 100))])
        try writer.appendSamples(2, double64: [1.0, 1.5, 2.0], timestamps: .firstOnly(10.0))
        // Content: 4 + 2 + (9 + 8) + (1 + 8) + (1 + 8) = 41; Length = 43.
        let expected: [UInt8] = [1, 43, 3, 0, 2, 0, 0, 0, 1, 3]
            + [8] + Self.d10_0 + Self.d1_0 + [0] + Self.d1_5 + [0] + Self.d2_0
        #expect(writer.bytes == expected)
        let tally = try #require(writer.tally(of: 2))
        #expect(tally.lastTimestampSeconds == 10.0 + 0.01 + 0.01)
        #expect(tally.sampleCount == 3)
    }

    @Test("a chunk longer than 255 bytes takes a 4-byte length")
    func fourByteLength() throws {
        var writer = try writer([(1, info(.float32, channels: 1, rateHz: 100))])
        let samples = 60
        try writer.appendSamples(1, float32: [Float](repeating: 0, count: samples),
                                 timestamps: .each((0..<samples).map { Double($0) }))
        // Content: 4 + 2 + 60 × (9 + 4) = 786; Length = 788 = 0x314.
        #expect(Array(writer.bytes.prefix(11)) == [4, 0x14, 0x03, 0, 0, 3, 0, 1, 0, 0, 0])
        #expect(writer.bytes.count == 5 + 788)
    }

    @Test("string samples: each value is its UTF-8 bytes after a variable-length count, unescaped")
    func stringSamples() throws {
        var writer = try writer([(3, info(.string, channels: 1, rateHz: 0))])
        try writer.appendSamples(3, strings: ["a", "é<"], timestamps: .each([1.0, 2.0]))
        // Content: 4 + 2 + 2 × 9 + (2 + 1) + (2 + 3) = 32; Length = 34.
        let expected: [UInt8] = [1, 34, 3, 0, 3, 0, 0, 0, 1, 2]
            + [8] + Self.d1_0 + [1, 1, UInt8(ascii: "a")]
            + [8] + Self.d2_0 + [1, 3, 0xC3, 0xA9, UInt8(ascii: "<")]
        #expect(writer.bytes == expected)
    }

    @Test("a string value longer than 255 bytes takes a 4-byte length")
    func longString() throws {
        var writer = try writer([(3, info(.string, channels: 1, rateHz: 0))])
        let text = String(repeating: "x", count: 300)
        try writer.appendSamples(3, strings: [text], timestamps: .each([1.0]))
        // Content: 4 + 2 + 9 + (5 + 300) = 320 = 0x140; Length = 322 = 0x142.
        #expect(Array(writer.bytes.prefix(20)) == [4, 0x42, 0x01, 0, 0, 3, 0, 3, 0, 0, 0, 1, 1, 8] + Self.d1_0.prefix(6))
        #expect(Array(writer.bytes[22..<27]) == [4, 0x2C, 0x01, 0, 0])
        #expect(writer.bytes.count == 5 + 322)
    }

    @Test("ClockOffset: stream id, collection time, offset; Boundary: the specification's UUID")
    func clockOffsetAndBoundary() throws {
        var writer = try writer([(7, info(.double64, channels: 1, rateHz: 0))])
        try writer.appendClockOffset(7, collectionTimeSeconds: 1.5, offsetSeconds: 0)
        writer.appendBoundary()
        let expected: [UInt8] = [1, 22, 4, 0, 7, 0, 0, 0] + Self.d1_5 + [0, 0, 0, 0, 0, 0, 0, 0]
            + [1, 18, 5, 0, 0x43, 0xA5, 0x46, 0xDC, 0xCB, 0xF5, 0x41, 0x0F, 0xB3, 0x0E, 0xD5, 0x46, 0x73, 0x83, 0xCB, 0xE4]
        #expect(writer.bytes == expected)
    }

    @Test("the StreamFooter reports first and last timestamp, sample count and clock offsets")
    func streamFooter() throws {
        var writer = try writer([(9, info(.double64, channels: 1, rateHz: 0)), (10, info(.string, channels: 1, rateHz: 0))])
        try writer.appendSamples(9, double64: [1, 2], timestamps: .each([5.5, 6.25]))
        try writer.appendClockOffset(9, collectionTimeSeconds: 6, offsetSeconds: -0.5)
        writer.removeAllBytes()
        try writer.closeStream(9)
        let xml = #"<?xml version="1.0"?><info><first_timestamp>5.5</first_timestamp><last_timestamp>6.25</last_timestamp>"#
            + "<sample_count>2</sample_count><clock_offsets><offset><time>6.0</time><value>-0.5</value></offset>"
            + "</clock_offsets></info>"
        #expect(6 + xml.utf8.count == 228)
        #expect(writer.bytes == [1, 228, 6, 0, 9, 0, 0, 0] + Array(xml.utf8))

        writer.removeAllBytes()
        try writer.closeStream(10)
        let empty = #"<?xml version="1.0"?><info><sample_count>0</sample_count><clock_offsets/></info>"#
        #expect(writer.bytes == [1, UInt8(6 + empty.utf8.count), 6, 0, 10, 0, 0, 0] + Array(empty.utf8))
    }

    @Test("chunks that do not fit their stream are refused and nothing is appended")
    func refusals() throws {
        var writer = try writer([(1, info(.float32, channels: 2, rateHz: 0))])
        #expect(throws: XDFWriterError.unknownStream(5)) { try writer.appendSamples(5, float32: [1, 2], timestamps: .each([0])) }
        #expect(throws: XDFWriterError.wrongFormat(1, stream: .float32, written: .double64)) {
            try writer.appendSamples(1, double64: [1, 2], timestamps: .each([0]))
        }
        #expect(throws: XDFWriterError.valueCount(1, values: 3, channels: 2)) {
            try writer.appendSamples(1, float32: [1, 2, 3], timestamps: .each([0]))
        }
        #expect(throws: XDFWriterError.valueCount(1, values: 0, channels: 2)) {
            try writer.appendSamples(1, float32: [], timestamps: .each([]))
        }
        #expect(throws: XDFWriterError.timestampCount(1, timestamps: 1, samples: 2)) {
            try writer.appendSamples(1, float32: [1, 2, 3, 4], timestamps: .each([0]))
        }
        #expect(throws: XDFWriterError.deducedTimestampsWithoutRate(1)) {
            try writer.appendSamples(1, float32: [1, 2, 3, 4], timestamps: .firstOnly(0))
        }
        #expect(throws: XDFWriterError.duplicateStream(1)) { try writer.addStream(1, info(.float32, channels: 1, rateHz: 0)) }
        #expect(writer.bytes.isEmpty)
        try writer.closeStream(1)
        writer.removeAllBytes()
        #expect(throws: XDFWriterError.streamClosed(1)) { try writer.appendSamples(1, float32: [1, 2], timestamps: .each([0])) }
        #expect(throws: XDFWriterError.streamClosed(1)) { try writer.closeStream(1) }
        #expect(writer.bytes.isEmpty)
    }
}
