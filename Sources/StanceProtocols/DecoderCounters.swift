/// What a decoder has seen and thrown away. Every byte it receives is either part of a decoded
/// frame or counted in `bytesDiscarded`; nothing is dropped silently.
public struct DecoderCounters: Sendable, Equatable {
    /// Bytes fed to the decoder.
    public var bytesReceived: UInt64 = 0
    /// Bytes that were not part of a valid frame (garbage, bad frames, oversize lines).
    public var bytesDiscarded: UInt64 = 0
    /// Frames (lines, packets, records) decoded into samples or headers.
    public var framesDecoded: UInt64 = 0
    /// Samples emitted.
    public var samplesDecoded: UInt64 = 0
    /// Frames that had the right framing but wrong content (bad numbers, wrong field count…).
    public var badFrames: UInt64 = 0
    /// Frames whose checksum or CRC did not match.
    public var checksumErrors: UInt64 = 0
    /// Text lines longer than the protocol allows, discarded to the next newline.
    public var oversizeLines: UInt64 = 0
    /// Jumps in the device's sample counter.
    public var sequenceGaps: UInt64 = 0
    /// Samples the counter jumps say were lost.
    public var samplesMissed: UInt64 = 0
    /// Times the kernel or device said it dropped data (evdev `SYN_DROPPED`).
    public var overruns: UInt64 = 0

    public init() {}
}

/// How a device's sample counter moved from one sample to the next.
public enum SequenceStep: Sendable, Equatable {
    /// The first sample, or exactly one more than the last (modulo 2³²).
    case next
    /// This many samples were skipped.
    case skipped(UInt32)
    /// The counter went back or repeated (a device reset without a header, or a duplicate).
    case backwards
}

/// Tracks a device's wrapping 32-bit sample counter.
public struct SequenceTracker: Sendable, Equatable {
    private var last: UInt32?

    public init() {}

    /// Forgets the last counter value (the device announced a reset).
    public mutating func reset() { last = nil }

    /// Notes `sequence` and says how it follows the previous one.
    @inline(__always)
    public mutating func step(to sequence: UInt32) -> SequenceStep {
        defer { last = sequence }
        guard let last else { return .next }
        let skipped = sequence &- last &- 1
        if skipped == 0 { return .next }
        return skipped < 1 << 31 ? .skipped(skipped) : .backwards
    }
}

extension DecoderCounters {
    /// Counts a counter jump, if `step` is one.
    @inline(__always)
    mutating func note(_ step: SequenceStep) {
        switch step {
        case .next: break
        case .skipped(let count):
            sequenceGaps += 1
            samplesMissed += UInt64(count)
        case .backwards:
            sequenceGaps += 1
        }
    }
}
