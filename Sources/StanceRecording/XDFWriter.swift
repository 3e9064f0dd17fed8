/// Encodes an XDF 1.0 recording (https://github.com/sccn/xdf/wiki/Specifications) into a byte
/// buffer: the file header at `init`, then stream headers, samples, clock offsets, boundaries and
/// footers as they are appended. It does no I/O: the owner hands `bytes` to an `XDFFile` (or a
/// test) and calls `removeAllBytes()`, which keeps the buffer's capacity, so a recorder that writes
/// chunks of similar size stops allocating after the first few.
///
/// Timestamps are seconds on the host clock the samples were stamped with (Stance: the monotonic
/// clock the pipeline uses); XDF does not fix an epoch.
public struct XDFWriter: Sendable {
    /// Encoded chunks not yet taken by the owner.
    public private(set) var bytes: [UInt8] = []

    private var streams: [UInt32: Stream] = [:]
    /// XML is encoded here first, as its length must precede it; reused.
    private var scratch: [UInt8] = []

    private struct Stream: Sendable {
        var info: XDFStreamInfo
        var tally: XDFStreamTally
        var closed = false
    }

    /// How a samples chunk stamps its samples.
    public enum Timestamps: Sendable {
        /// One timestamp per sample, seconds, host clock.
        case each([Double])
        /// The first sample stamped, seconds, host clock; the reader deduces each later one as the
        /// previous plus 1 / nominal rate (only for streams with a nominal rate). Saves 8 bytes a
        /// sample where the device clock is regular.
        case firstOnly(Double)
    }

    /// Starts a recording: the magic `XDF:` and the FileHeader chunk,
    /// `<info><version>1.0</version>…</info>` with `headerInfo` (session metadata) after the version.
    public init(headerInfo: [XMLTag] = []) {
        bytes.append(contentsOf: XDFChunk.magic)
        appendXMLChunk(tag: .fileHeader, streamID: nil, XMLTag("info", children: [XMLTag("version", "1.0")] + headerInfo))
    }

    /// Removes the encoded bytes once the owner has written them, keeping the capacity.
    public mutating func removeAllBytes() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// The footer figures so far of a stream, nil for an unknown id.
    public func tally(of streamID: UInt32) -> XDFStreamTally? {
        streams[streamID]?.tally
    }

    /// Appends a StreamHeader chunk and opens the stream for samples. `streamID` is any number
    /// unique in the file (LabRecorder counts from 1).
    public mutating func addStream(_ streamID: UInt32, _ info: XDFStreamInfo) throws(XDFWriterError) {
        guard streams[streamID] == nil else { throw .duplicateStream(streamID) }
        streams[streamID] = Stream(info: info, tally: XDFStreamTally(nominalRateHz: info.nominalRateHz))
        appendXMLChunk(tag: .streamHeader, streamID: streamID, info.infoElement)
    }

    /// Appends a Samples chunk of a float32 stream. `values` holds the samples one after another,
    /// `channelCount` values each; at least one sample.
    public mutating func appendSamples(_ streamID: UInt32, float32 values: [Float], timestamps: Timestamps) throws(XDFWriterError) {
        let (sampleCount, channelCount) = try checkSamples(streamID, .float32, valueCount: values.count, timestamps)
        appendNumericSamples(streamID, sampleCount, channelCount, valueSize: 4, timestamps) { bytes, offset, index in
            bytes.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
        }
    }

    /// Appends a Samples chunk of a double64 stream; `values` as for float32.
    public mutating func appendSamples(_ streamID: UInt32, double64 values: [Double], timestamps: Timestamps) throws(XDFWriterError) {
        let (sampleCount, channelCount) = try checkSamples(streamID, .double64, valueCount: values.count, timestamps)
        appendNumericSamples(streamID, sampleCount, channelCount, valueSize: 8, timestamps) { bytes, offset, index in
            bytes.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }

    /// Appends a Samples chunk of a string stream (markers); `values` as for float32, UTF-8 text.
    public mutating func appendSamples(_ streamID: UInt32, strings values: [String], timestamps: Timestamps) throws(XDFWriterError) {
        let (sampleCount, channelCount) = try checkSamples(streamID, .string, valueCount: values.count, timestamps)
        var contentCount = 4 + XDFChunk.variableLengthSize(sampleCount) + Self.timestampBytes(timestamps, sampleCount)
        for value in values {
            let length = value.utf8.count
            contentCount += XDFChunk.variableLengthSize(length) + length
        }
        XDFChunk.appendHeader(tag: .samples, contentCount: contentCount, to: &bytes)
        XDFChunk.appendLittleEndian(streamID, to: &bytes)
        XDFChunk.appendVariableLength(sampleCount, to: &bytes)
        for sample in 0..<sampleCount {
            appendTimestamp(streamID, sample, timestamps)
            for channel in 0..<channelCount {
                let value = values[sample * channelCount + channel]
                XDFChunk.appendVariableLength(value.utf8.count, to: &bytes)
                bytes.append(contentsOf: value.utf8)
            }
        }
    }

    /// Appends a ClockOffset chunk: at `collectionTimeSeconds` on the stream's clock, adding
    /// `offsetSeconds` to the stream's timestamps gave the recorder's clock. Stance stamps every
    /// stream on one host clock, so its offsets are 0; pyxdf's synchronisation still wants them.
    public mutating func appendClockOffset(_ streamID: UInt32, collectionTimeSeconds: Double, offsetSeconds: Double) throws(XDFWriterError) {
        try checkOpen(streamID)
        XDFChunk.appendHeader(tag: .clockOffset, contentCount: 4 + 8 + 8, to: &bytes)
        XDFChunk.appendLittleEndian(streamID, to: &bytes)
        XDFChunk.appendLittleEndian(collectionTimeSeconds.bitPattern, to: &bytes)
        XDFChunk.appendLittleEndian(offsetSeconds.bitPattern, to: &bytes)
        streams[streamID]!.tally.countClockOffset(.init(collectionTimeSeconds: collectionTimeSeconds, offsetSeconds: offsetSeconds))
    }

    /// Appends a Boundary chunk, where a reader of a damaged file picks up again. The specification
    /// suggests one every 10 s or so.
    public mutating func appendBoundary() {
        XDFChunk.appendHeader(tag: .boundary, contentCount: XDFChunk.boundaryUUID.count, to: &bytes)
        bytes.append(contentsOf: XDFChunk.boundaryUUID)
    }

    /// Appends the StreamFooter chunk (first and last timestamp, sample count, clock offsets) and
    /// closes the stream: later samples for it are refused.
    public mutating func closeStream(_ streamID: UInt32) throws(XDFWriterError) {
        try checkOpen(streamID)
        streams[streamID]!.closed = true
        appendXMLChunk(tag: .streamFooter, streamID: streamID, streams[streamID]!.tally.infoElement)
    }

    // MARK: - Encoding

    private mutating func appendXMLChunk(tag: XDFChunk.Tag, streamID: UInt32?, _ info: XMLTag) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: #"<?xml version="1.0"?>"#.utf8)
        info.write(into: &scratch)
        XDFChunk.appendHeader(tag: tag, contentCount: (streamID == nil ? 0 : 4) + scratch.count, to: &bytes)
        if let streamID { XDFChunk.appendLittleEndian(streamID, to: &bytes) }
        bytes.append(contentsOf: scratch)
    }

    /// The numeric chunk is sized up front and filled in place: no per-value append.
    private mutating func appendNumericSamples(
        _ streamID: UInt32, _ sampleCount: Int, _ channelCount: Int, valueSize: Int, _ timestamps: Timestamps,
        store: (UnsafeMutableRawBufferPointer, Int, Int) -> Void
    ) {
        let contentCount = 4 + XDFChunk.variableLengthSize(sampleCount) + Self.timestampBytes(timestamps, sampleCount)
            + sampleCount * channelCount * valueSize
        XDFChunk.appendHeader(tag: .samples, contentCount: contentCount, to: &bytes)
        XDFChunk.appendLittleEndian(streamID, to: &bytes)
        XDFChunk.appendVariableLength(sampleCount, to: &bytes)
        var offset = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: contentCount - 4 - XDFChunk.variableLengthSize(sampleCount)))
        var tally = streams[streamID]!.tally
        bytes.withUnsafeMutableBytes { raw in
            for sample in 0..<sampleCount {
                let stamp = Self.timestamp(timestamps, sample)
                tally.countSample(timestamp: stamp)
                if let stamp {
                    raw[offset] = 8
                    raw.storeBytes(of: stamp.bitPattern.littleEndian, toByteOffset: offset + 1, as: UInt64.self)
                    offset += 9
                } else {
                    raw[offset] = 0
                    offset += 1
                }
                for channel in 0..<channelCount {
                    store(raw, offset, sample * channelCount + channel)
                    offset += valueSize
                }
            }
        }
        streams[streamID]!.tally = tally
    }

    private mutating func appendTimestamp(_ streamID: UInt32, _ sample: Int, _ timestamps: Timestamps) {
        let stamp = Self.timestamp(timestamps, sample)
        streams[streamID]!.tally.countSample(timestamp: stamp)
        if let stamp {
            bytes.append(8)
            XDFChunk.appendLittleEndian(stamp.bitPattern, to: &bytes)
        } else {
            bytes.append(0)
        }
    }

    private static func timestamp(_ timestamps: Timestamps, _ sample: Int) -> Double? {
        switch timestamps {
        case .each(let seconds): seconds[sample]
        case .firstOnly(let seconds): sample == 0 ? seconds : nil
        }
    }

    /// Bytes of the TimeStampBytes flags and timestamps of a chunk.
    private static func timestampBytes(_ timestamps: Timestamps, _ sampleCount: Int) -> Int {
        switch timestamps {
        case .each: sampleCount * 9
        case .firstOnly: 9 + (sampleCount - 1)
        }
    }

    // MARK: - Checks

    private func checkOpen(_ streamID: UInt32) throws(XDFWriterError) {
        guard let stream = streams[streamID] else { throw .unknownStream(streamID) }
        guard !stream.closed else { throw .streamClosed(streamID) }
    }

    /// The sample and channel counts of a chunk, once it fits its stream.
    private func checkSamples(
        _ streamID: UInt32, _ format: XDFChannelFormat, valueCount: Int, _ timestamps: Timestamps
    ) throws(XDFWriterError) -> (samples: Int, channels: Int) {
        try checkOpen(streamID)
        let info = streams[streamID]!.info
        guard info.format == format else { throw .wrongFormat(streamID, stream: info.format, written: format) }
        let channels = info.channelCount
        guard valueCount > 0, valueCount % channels == 0 else {
            throw .valueCount(streamID, values: valueCount, channels: channels)
        }
        let samples = valueCount / channels
        switch timestamps {
        case .each(let seconds) where seconds.count != samples:
            throw .timestampCount(streamID, timestamps: seconds.count, samples: samples)
        case .firstOnly where samples > 1 && info.nominalRateHz == 0:
            throw .deducedTimestampsWithoutRate(streamID)
        default:
            return (samples, channels)
        }
    }
}
