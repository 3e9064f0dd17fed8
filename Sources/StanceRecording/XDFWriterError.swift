/// A chunk the writer refused, and why; nothing was appended. All are mistakes of the caller (the
/// recorder), reported rather than trapped so that a recorder bug ends a session, not the daemon.
public enum XDFWriterError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateStream(UInt32)
    case unknownStream(UInt32)
    /// Samples or a clock offset after the stream's footer.
    case streamClosed(UInt32)
    case wrongFormat(UInt32, stream: XDFChannelFormat, written: XDFChannelFormat)
    /// The value count is 0 or not a whole number of samples.
    case valueCount(UInt32, values: Int, channels: Int)
    case timestampCount(UInt32, timestamps: Int, samples: Int)
    /// `.firstOnly` for several samples of an irregular stream: a reader could not deduce the rest.
    case deducedTimestampsWithoutRate(UInt32)

    public var description: String {
        switch self {
        case .duplicateStream(let id): "XDF stream \(id) is already in the file"
        case .unknownStream(let id): "XDF stream \(id) has no stream header"
        case .streamClosed(let id): "XDF stream \(id) already has its footer"
        case .wrongFormat(let id, let stream, let written):
            "XDF stream \(id) holds \(stream.rawValue) values, not \(written.rawValue)"
        case .valueCount(let id, let values, let channels):
            "XDF stream \(id): \(values) values are not a whole, non-zero number of \(channels)-channel samples"
        case .timestampCount(let id, let timestamps, let samples):
            "XDF stream \(id): \(timestamps) timestamps for \(samples) samples"
        case .deducedTimestampsWithoutRate(let id):
            "XDF stream \(id) has no nominal rate, so every sample needs its own timestamp"
        }
    }
}
