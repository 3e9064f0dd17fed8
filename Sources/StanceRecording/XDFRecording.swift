/// An XDF file as `XDFReader` read it: its header, its streams in the order of their headers, and
/// what was damaged or missing.
public struct XDFRecording: Sendable, Equatable {
    /// The FileHeader's `<info>` element (`<version>` and Stance's session metadata); nil when the
    /// file has none that parses.
    public var fileHeader: XMLTag?
    public var streams: [XDFRecordedStream]
    /// Empty for an intact file.
    public var problems: [XDFReadProblem]

    /// The stream with id `id`, nil when the file has no header for it.
    public func stream(_ id: UInt32) -> XDFRecordedStream? {
        streams.first { $0.id == id }
    }

    /// Where a truncated file ends inside a chunk: nil for a file that ends on a chunk boundary.
    public var truncatedAt: Int? {
        for case .truncated(_, let size) in problems { return size }
        return nil
    }
}

/// One stream of a recording: its header, its samples and, if the recorder closed it, its footer.
public struct XDFRecordedStream: Sendable, Equatable {
    /// The stream id of the file, unique in it.
    public var id: UInt32
    /// Name, type, channel count, nominal rate, format, creation time and `desc` children.
    public var info: XDFStreamInfo
    /// The header's whole `<info>` element, for what `info` does not hold (LabRecorder's
    /// `source_id`, `hostname`, `uid`…).
    public var header: XMLTag
    /// Every value of every sample read, `info.channelCount` per sample.
    public var values: XDFChannelValues
    /// One per sample, seconds on the stream's clock: as written, or deduced for a sample stamped
    /// 0 as the previous timestamp plus 1 / nominal rate (from 0 for a stream's first sample, as
    /// pyxdf does).
    public var timestamps: [Double]
    /// The ClockOffset chunks of the stream, in file order.
    public var clockOffsets: [XDFStreamTally.ClockOffset]
    /// Nil for a stream that was never closed (a recording cut short).
    public var footer: XDFStreamFooter?

    public var sampleCount: Int { timestamps.count }
}
