/// What the StreamFooter chunk reports about one stream, kept up to date as samples and clock
/// offsets are written: the timestamps a reader will see (deduced ones included), the count, and
/// every clock offset.
public struct XDFStreamTally: Sendable, Equatable {
    /// One ClockOffset measurement, seconds.
    public struct ClockOffset: Sendable, Equatable {
        /// When it was measured, on the stream's clock.
        public var collectionTimeSeconds: Double
        /// What to add to the stream's timestamps to get the recorder's clock (0 on one host).
        public var offsetSeconds: Double

        public init(collectionTimeSeconds: Double, offsetSeconds: Double) {
            self.collectionTimeSeconds = collectionTimeSeconds
            self.offsetSeconds = offsetSeconds
        }
    }

    /// Timestamp of the first sample written, seconds; nil before any sample.
    public private(set) var firstTimestampSeconds: Double?
    /// Timestamp of the last sample written as a reader reconstructs it, seconds.
    public private(set) var lastTimestampSeconds: Double?
    public private(set) var sampleCount = 0
    public private(set) var clockOffsets: [ClockOffset] = []

    /// The stream's nominal rate, hertz (0: irregular); deduced timestamps step by its inverse.
    let nominalRateHz: Double

    init(nominalRateHz: Double) {
        self.nominalRateHz = nominalRateHz
    }

    /// Counts a sample written with `timestamp`, or without one (nil: the reader deduces it).
    mutating func countSample(timestamp: Double?) {
        let seconds = timestamp ?? ((lastTimestampSeconds ?? 0) + (nominalRateHz > 0 ? 1 / nominalRateHz : 0))
        if firstTimestampSeconds == nil { firstTimestampSeconds = seconds }
        lastTimestampSeconds = seconds
        sampleCount += 1
    }

    mutating func countClockOffset(_ offset: ClockOffset) {
        clockOffsets.append(offset)
    }

    /// The footer's `<info>` element. First and last timestamps are left out of a stream that
    /// never had a sample rather than written as a made-up 0.
    public var infoElement: XMLTag {
        var children: [XMLTag] = []
        if let first = firstTimestampSeconds, let last = lastTimestampSeconds {
            children.append(XMLTag("first_timestamp", first))
            children.append(XMLTag("last_timestamp", last))
        }
        children.append(XMLTag("sample_count", sampleCount))
        children.append(XMLTag("clock_offsets", children: clockOffsets.map { offset in
            XMLTag("offset", children: [XMLTag("time", offset.collectionTimeSeconds), XMLTag("value", offset.offsetSeconds)])
        }))
        return XMLTag("info", children: children)
    }
}
