import StanceRecording
import Testing

/// Files written by `XDFWriter` (and a few chunks written by hand) read back by `XDFReader`.
@Suite("XDF reader")
struct XDFReaderTests {
    /// The chunks of a well-formed file, each as its offset and its bytes (magic excluded).
    static func chunks(_ file: [UInt8]) -> [(tag: UInt16, content: ArraySlice<UInt8>)] {
        var chunks: [(UInt16, ArraySlice<UInt8>)] = []
        var offset = 4
        while offset < file.count {
            let size = Int(file[offset])
            let length = (0..<size).reduce(0) { $0 | Int(file[offset + 1 + $1]) << (8 * $1) }
            let tag = UInt16(file[offset + 1 + size]) | UInt16(file[offset + 2 + size]) << 8
            chunks.append((tag, file[(offset + 3 + size)..<(offset + 1 + size + length)]))
            offset += 1 + size + length
        }
        return chunks
    }

    /// A chunk framed with a length of `lengthSize` bytes (1, 4 or 8), whether or not it needs them.
    static func chunk(_ tag: UInt16, _ content: some Collection<UInt8>, lengthSize: Int) -> [UInt8] {
        let length = UInt64(2 + content.count)
        return [UInt8(lengthSize)] + (0..<lengthSize).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
            + [UInt8(tag & 0xFF), UInt8(tag >> 8)] + content
    }

    static func streamHeader(_ id: UInt32, _ xml: String) -> [UInt8] {
        let content = (0..<4).map { UInt8(truncatingIfNeeded: id >> (8 * $0)) } + Array(xml.utf8)
        return chunk(2, content, lengthSize: 4)
    }

    @Test("the interop recording reads back: header, every format, per-sample and deduced timestamps, footers")
    func interopRoundTrip() throws {
        let recording = try XDFReader.read(XDFInteropTests.recording())
        #expect(recording.problems == [])
        #expect(recording.fileHeader?.childText("version") == "1.0")
        #expect(recording.fileHeader?.childText("subject") == "interop & test")
        #expect(recording.streams.map(\.id) == [1, 2, 3])

        let cells = try #require(recording.stream(1))
        #expect(cells.info.name == "left plate cells" && cells.info.format == .float32 && cells.info.nominalRateHz == 100)
        #expect(cells.info.desc.first?.children(named: "channel").map { $0.childText("label") } == ["left_tl", "left_tr", "left_bl", "left_br"])
        let cellValues: [Float] = (0..<250).flatMap { i in (0..<4).map { c in Float(i) * 0.5 + Float(c) } }
        #expect(cells.values == .float32(cellValues))
        #expect(cells.sampleCount == 250)
        for (i, seconds) in cells.timestamps.enumerated() {
            #expect(abs(seconds - (1000 + Double(i) / 100)) < 1e-9, "sample \(i)")
        }
        // The footer's figures are the writer's reconstruction, which deduces as the reader does.
        #expect(cells.footer?.sampleCount == 250)
        #expect(cells.footer?.firstTimestampSeconds == cells.timestamps.first)
        #expect(cells.footer?.lastTimestampSeconds == cells.timestamps.last)
        #expect(cells.clockOffsets == [.init(collectionTimeSeconds: 1000, offsetSeconds: 0)])
        #expect(cells.footer?.clockOffsets == cells.clockOffsets)

        let metrics = try #require(recording.stream(2))
        let metricValues: [Double] = (0..<120).flatMap { i in (0..<3).map { c in Double(i) * 0.1 + Double(c) * 1000 } }
        #expect(metrics.values == .double64(metricValues))
        #expect(metrics.timestamps == (0..<120).map { 1000 + Double($0) / 50 })

        let markers = try #require(recording.stream(3))
        #expect(markers.values == .string(XDFInteropTests.markers.map(\.text)))
        #expect(markers.timestamps == XDFInteropTests.markers.map(\.seconds))
        #expect(markers.footer?.sampleCount == 4)
    }

    @Test("a stream header's info equals the one written, desc included, even past 255 bytes (4-byte length)")
    func longHeader() throws {
        let desc = [XMLTag("channels", children: (0..<16).map { XMLTag("channel", children: [XMLTag("label", "cell_\($0)"), XMLTag("unit", "newtons")]) })]
        let info = XDFStreamInfo(name: "right plate cells", type: "Force", channelCount: 16, nominalRateHz: 1000,
                                 format: .float32, createdAtSeconds: 12.25, desc: desc)
        var writer = XDFWriter()
        try writer.addStream(4, info)
        #expect(writer.bytes[XDFWriter().bytes.count] == 4, "the stream header's length takes 4 bytes")
        let recording = try XDFReader.read(writer.bytes)
        #expect(recording.problems == [])
        #expect(recording.stream(4)?.info == info)
        #expect(recording.stream(4)?.values == .float32([]))
        #expect(recording.stream(4)?.footer == nil)
    }

    @Test("every chunk re-framed with 4- or 8-byte lengths reads the same as with the writer's 1-byte ones",
          arguments: [4, 8])
    func lengthSizes(lengthSize: Int) throws {
        let file = try XDFInteropTests.recording()
        let reframed = XDFChunk.magic + Self.chunks(file).flatMap { Self.chunk($0.tag, $0.content, lengthSize: lengthSize) }
        #expect(reframed.count > file.count)
        #expect(try XDFReader.read(reframed) == XDFReader.read(file))
    }

    @Test("deduced timestamps step by 1 / nominal rate from the previous one, across chunks")
    func deducedTimestamps() throws {
        var writer = XDFWriter()
        try writer.addStream(1, XDFStreamInfo(name: "imu", type: "IMU", channelCount: 2, nominalRateHz: 4, format: .double64, createdAtSeconds: 0))
        try writer.appendSamples(1, double64: [1, 2, 3, 4, 5, 6], timestamps: .firstOnly(10))
        writer.appendBoundary()
        try writer.appendSamples(1, double64: [7, 8], timestamps: .firstOnly(20))
        // A chunk whose first sample is unstamped goes on from the last timestamp of the one before.
        var chunk: [UInt8] = [1, 0, 0, 0, 1, 1, 0]
        for value in [9.0, 10.0] { chunk += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        let file = writer.bytes + Self.chunk(3, chunk, lengthSize: 1)
        let stream = try #require(try XDFReader.read(file).stream(1))
        #expect(stream.timestamps == [10, 10.25, 10.5, 20, 20.25])
        #expect(stream.values == .double64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    }

    @Test("a LabRecorder stream header (indented, more fields) and int16 samples written by hand")
    func labRecorderHeaderAndIntegers() throws {
        let xml = """
            <?xml version="1.0"?>
            <info>
            \t<name>BioSemi</name>
            \t<type>EEG</type>
            \t<channel_count>2</channel_count>
            \t<nominal_srate>512.0000000000000</nominal_srate>
            \t<channel_format>int16</channel_format>
            \t<source_id>myuid</source_id>
            \t<created_at>50942.72365713400</created_at>
            \t<hostname>Desktop</hostname>
            \t<v4address />
            \t<desc>
            \t\t<channels>
            \t\t\t<channel><label>C3</label></channel>
            \t\t\t<channel><label>C4</label></channel>
            \t\t</channels>
            \t</desc>
            </info>
            """
        // 2 samples: stamped at 1.5, then deduced; values -2, 300, 7, -32768.
        var samples: [UInt8] = [7, 0, 0, 0, 1, 2, 8] + withUnsafeBytes(of: 1.5.bitPattern.littleEndian, Array.init)
        samples += [0xFE, 0xFF, 0x2C, 0x01, 0]
        samples += [0x07, 0x00, 0x00, 0x80]
        let file = XDFChunk.magic + Self.streamHeader(7, xml) + Self.chunk(3, samples, lengthSize: 4)
        let recording = try XDFReader.read(file)
        #expect(recording.problems == [])
        let stream = try #require(recording.stream(7))
        #expect(stream.info.name == "BioSemi" && stream.info.channelCount == 2 && stream.info.format == .int16)
        #expect(stream.info.nominalRateHz == 512 && stream.info.createdAtSeconds == 50942.72365713400)
        #expect(stream.header.childText("hostname") == "Desktop")
        #expect(stream.info.desc.first?.children(named: "channel").compactMap { $0.childText("label") } == ["C3", "C4"])
        #expect(stream.values == .int16([-2, 300, 7, -32768]))
        #expect(stream.timestamps == [1.5, 1.5 + 1.0 / 512])
    }

    @Test("a file that is not XDF is an error; a missing file names the system's reason")
    func notXDF() {
        #expect(throws: XDFReadError.notXDF(firstBytes: Array("time".utf8))) { try XDFReader.read(Array("time,cell\n".utf8)) }
        #expect(throws: XDFReadError.unreadable(path: "/nonexistent/x.xdf", code: 2)) {
            try XDFReader.read(contentsOf: "/nonexistent/x.xdf")
        }
        #expect(XDFReadError.unreadable(path: "/x", code: 2).description == "/x: No such file or directory")
    }

    @Test("header problems leave the chunk out and say why; the stream's samples are left out with it")
    func badHeader() throws {
        let header = Self.streamHeader(1, "<info><channel_count>0</channel_count><nominal_srate>1</nominal_srate><channel_format>float32</channel_format></info>")
        let samples = Self.chunk(3, [1, 0, 0, 0, 1, 0], lengthSize: 1)
        let recording = try XDFReader.read(XDFChunk.magic + header + samples)
        #expect(recording.streams.isEmpty)
        #expect(recording.problems == [
            .ignoredChunk(offset: 4, tag: 2, reason: "stream 1 header: channel_count is not a whole number from 1 to 2147483647"),
            .ignoredChunk(offset: 4 + header.count, tag: 3, reason: "samples of stream 1, which has no header before them"),
        ])
    }
}
