/// What a StreamFooter chunk says about its stream, as `XDFStreamTally` writes it and LabRecorder
/// does: first and last timestamp and sample count (nil when absent or not a number) and the clock
/// offsets. The whole `<info>` element is kept for anything else a recorder put there.
public struct XDFStreamFooter: Sendable, Equatable {
    /// Seconds on the stream's clock.
    public var firstTimestampSeconds: Double?
    public var lastTimestampSeconds: Double?
    public var sampleCount: Int?
    /// `<clock_offsets><offset><time>…</time><value>…</value></offset>…`; offsets without both
    /// numbers are left out.
    public var clockOffsets: [XDFStreamTally.ClockOffset]
    /// The footer's `<info>` element.
    public var info: XMLTag

    public init(info: XMLTag) {
        self.info = info
        firstTimestampSeconds = info.childText("first_timestamp").flatMap(XDFNumberText.double)
        lastTimestampSeconds = info.childText("last_timestamp").flatMap(XDFNumberText.double)
        sampleCount = info.childText("sample_count").flatMap(XDFNumberText.int)
        clockOffsets = (info.child("clock_offsets")?.children(named: "offset") ?? []).compactMap { offset in
            guard let time = offset.childText("time").flatMap(XDFNumberText.double),
                  let value = offset.childText("value").flatMap(XDFNumberText.double) else { return nil }
            return XDFStreamTally.ClockOffset(collectionTimeSeconds: time, offsetSeconds: value)
        }
    }
}

/// Numbers in XDF's XML: decimal text, surrounding whitespace allowed (indented writers).
enum XDFNumberText {
    static func double(_ text: String) -> Double? {
        Double(trimmed(text))
    }

    static func int(_ text: String) -> Int? {
        Int(trimmed(text))
    }

    private static func trimmed(_ text: String) -> Substring {
        var slice = text[...]
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return slice
    }
}
