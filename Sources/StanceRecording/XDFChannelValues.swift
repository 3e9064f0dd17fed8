/// The values of one XDF stream as read: sample after sample, `channelCount` values each (the layout
/// `XDFWriter.appendSamples` takes), in the stream's channel format.
public enum XDFChannelValues: Sendable, Equatable {
    case float32([Float])
    case double64([Double])
    /// UTF-8 text; invalid UTF-8 in the file reads as U+FFFD.
    case string([String])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])

    /// Values of all channels of all samples.
    public var count: Int {
        switch self {
        case .float32(let values): values.count
        case .double64(let values): values.count
        case .string(let values): values.count
        case .int8(let values): values.count
        case .int16(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        }
    }

}
