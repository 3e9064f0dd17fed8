/// The value type of every channel of an XDF stream, by its name in the stream header's
/// `<channel_format>`. Stance records only float32, double64 and string; the integer formats are
/// here for reading other recorders' files (`XDFReader`), `XDFWriter` has no samples for them.
public enum XDFChannelFormat: String, Sendable, Equatable, CaseIterable {
    /// IEEE 754 binary32, 4 bytes a value.
    case float32
    /// IEEE 754 binary64, 8 bytes a value.
    case double64
    /// UTF-8 text of any length, each value prefixed by its variable-length byte count.
    case string
    /// Two's-complement integers of 1, 2, 4 and 8 bytes a value.
    case int8, int16, int32, int64
}

/// What the StreamHeader chunk says about one stream.
public struct XDFStreamInfo: Sendable, Equatable {
    /// Human-readable stream name, e.g. `left plate cells`.
    public var name: String
    /// Content type in LSL's vocabulary, e.g. `Force`, `IMU`, `Markers`.
    public var type: String
    /// Channels in every sample, at least 1.
    public var channelCount: Int
    /// Nominal sampling rate in hertz, 0 for an irregular stream (markers). With a rate, a reader
    /// deduces an unstamped sample's time as the previous one's plus 1 / rate.
    public var nominalRateHz: Double
    public var format: XDFChannelFormat
    /// When the stream was created, in seconds of the host clock its timestamps use.
    public var createdAtSeconds: Double
    /// The `<desc>` element's children (channel labels, units, plate geometry), already built.
    public var desc: [XMLTag]

    public init(name: String, type: String, channelCount: Int, nominalRateHz: Double, format: XDFChannelFormat,
                createdAtSeconds: Double, desc: [XMLTag] = []) {
        precondition(channelCount >= 1, "an XDF stream has at least one channel")
        precondition(nominalRateHz >= 0 && nominalRateHz.isFinite, "the nominal rate is finite and not negative")
        self.name = name
        self.type = type
        self.channelCount = channelCount
        self.nominalRateHz = nominalRateHz
        self.format = format
        self.createdAtSeconds = createdAtSeconds
        self.desc = desc
    }

    /// The header's `<info>` element (XML declaration and chunk framing are the writer's).
    public var infoElement: XMLTag {
        XMLTag("info", children: [
            XMLTag("name", name),
            XMLTag("type", type),
            XMLTag("channel_count", channelCount),
            XMLTag("nominal_srate", nominalRateHz),
            XMLTag("channel_format", format.rawValue),
            XMLTag("created_at", createdAtSeconds),
            XMLTag("desc", children: desc),
        ])
    }
}

extension XDFStreamInfo {
    /// Each channel's label and unit as `<desc><channels><channel>` names them (the XDF
    /// meta-data convention Stance and LabRecorder write); nil unless every channel has a label.
    public var channelLabels: [(label: String, unit: String?)]? {
        let channels = desc.first { $0.name == "channels" }?.children(named: "channel") ?? []
        let labels = channels.compactMap { channel in channel.childText("label").map { (label: $0, unit: channel.childText("unit")) } }
        return labels.count == channelCount ? labels : nil
    }
}
