import StanceDSP

/// What a line protocol stream carries.
public enum LineProtocolEvent: Sendable, Equatable {
    /// A (new) stream header: a device start or reset. Earlier samples stay valid.
    case header(LineHeader)
    case sample(DeviceSample)
}

/// Incremental decoder of the Stance line protocol v1 (`docs/protocols.md`).
///
/// Feed it any chunks of bytes; it emits the same events whatever the chunking. Lines longer than
/// 512 bytes, lines that are neither header, comment nor a valid sample, and samples with a wrong
/// `*HH` checksum are discarded and counted. Allocation-free per sample (a header's `id` is the only
/// string it makes).
public struct LineProtocolDecoder: Sendable {
    /// Longest accepted line, bytes, not counting the line end.
    public static let maximumLineLength = 512

    public private(set) var counters = DecoderCounters()
    /// The header in force, if one has arrived.
    public private(set) var header: LineHeader?
    /// Comment lines (`#` but not a header) seen.
    public private(set) var commentLines: UInt64 = 0

    /// The line so far; one slot beyond the limit holds a '\r' before the '\n'.
    private var line = InlineArray<513, UInt8>(repeating: 0)
    private var lineLength = 0
    private var discardingOversizeLine = false
    private var sequence = SequenceTracker()

    /// Discard samples until a header has arrived (a board that resets when opened sends its
    /// header first; anything before it is from before the reset). Counted as bad frames.
    public let requiresHeader: Bool

    public init(requiresHeader: Bool = false) {
        self.requiresHeader = requiresHeader
    }

    /// Decodes `bytes`, calling `emit` for each header and sample completed in them.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (LineProtocolEvent) -> Void) {
        counters.bytesReceived += UInt64(bytes.count)
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discardingOversizeLine {
                    counters.bytesDiscarded += 1
                    discardingOversizeLine = false
                } else {
                    finishLine(emit)
                }
                lineLength = 0
            } else if discardingOversizeLine {
                counters.bytesDiscarded += 1
            } else if lineLength == line.count {
                startDiscardingOversizeLine(extraBytes: 1)
            } else {
                line[lineLength] = byte
                lineLength += 1
            }
        }
    }

    private mutating func startDiscardingOversizeLine(extraBytes: Int) {
        counters.oversizeLines += 1
        counters.bytesDiscarded += UInt64(lineLength + extraBytes)
        discardingOversizeLine = true
        lineLength = 0
    }

    private mutating func finishLine(_ emit: (LineProtocolEvent) -> Void) {
        var length = lineLength
        if length > 0, line[length - 1] == UInt8(ascii: "\r") { length -= 1 }
        if length > Self.maximumLineLength {
            // 513 bytes and no '\r' before the '\n': one byte too long.
            startDiscardingOversizeLine(extraBytes: 1)
            discardingOversizeLine = false
            return
        }
        let lineEndBytes = UInt64(lineLength - length) + 1
        guard length > 0 else {
            counters.bytesDiscarded += lineEndBytes  // an empty line carries nothing
            return
        }
        // A copy, so the decoding below may update the counters while reading it.
        let snapshot = line
        let accepted: Bool = withUnsafeBytes(of: snapshot) { storage in
            let text = UnsafeRawBufferPointer(rebasing: storage[0..<length])
            switch text[0] {
            case UInt8(ascii: "$"): return decodeSample(text, emit)
            case UInt8(ascii: "#"): return decodeHashLine(text, emit)
            default:
                counters.badFrames += 1
                return false
            }
        }
        if accepted {
            counters.framesDecoded += 1
        } else {
            counters.bytesDiscarded += UInt64(length) + lineEndBytes
        }
    }

    private mutating func decodeHashLine(_ text: UnsafeRawBufferPointer, _ emit: (LineProtocolEvent) -> Void) -> Bool {
        guard text.starts(with: LineHeader.marker) else {
            commentLines += 1
            return true
        }
        let rest = UnsafeRawBufferPointer(rebasing: text[LineHeader.marker.count...])
        guard rest.isEmpty || rest[0] == UInt8(ascii: " "), let parsed = LineHeader.parse(rest) else {
            counters.badFrames += 1
            return false
        }
        header = parsed
        sequence.reset()
        emit(.header(parsed))
        return true
    }

    /// `$SEQ,T_US,V1,…,VN[*HH]`
    private mutating func decodeSample(_ text: UnsafeRawBufferPointer, _ emit: (LineProtocolEvent) -> Void) -> Bool {
        if requiresHeader && header == nil { return rejectSample() }
        var end = text.count
        if let star = text.lastIndex(of: UInt8(ascii: "*")) {
            guard star == text.count - 3,
                  let high = Self.hexDigit(text[star + 1]), let low = Self.hexDigit(text[star + 2])
            else {
                counters.badFrames += 1
                return false
            }
            var checksum: UInt8 = 0
            for index in 1..<star { checksum ^= text[index] }
            guard checksum == high << 4 | low else {
                counters.checksumErrors += 1
                return false
            }
            end = star
        }
        var sample = DeviceSample(channelCount: 0, values: SIMD16())
        var field = 0
        var fieldStart = 1
        for index in 1...end where index == end || text[index] == UInt8(ascii: ",") {
            let bytes = UnsafeRawBufferPointer(rebasing: text[fieldStart..<index])
            fieldStart = index + 1
            switch field {
            case 0:
                guard let value = DecimalNumber.unsigned32(bytes) else { return rejectSample() }
                sample.sequence = value
            case 1:
                guard let value = DecimalNumber.unsigned32(bytes) else { return rejectSample() }
                sample.deviceTimeMicroseconds = UInt64(value)
            default:
                guard field - 2 < DeviceSample.maximumChannels, let value = DecimalNumber.double(bytes) else {
                    return rejectSample()
                }
                sample.values[field - 2] = value
            }
            field += 1
        }
        sample.channelCount = field - 2
        guard sample.channelCount >= 1, header.map({ $0.channels == sample.channelCount }) ?? true else {
            return rejectSample()
        }
        if let value = sample.sequence { counters.note(sequence.step(to: value)) }
        counters.samplesDecoded += 1
        emit(.sample(sample))
        return true
    }

    private mutating func rejectSample() -> Bool {
        counters.badFrames += 1
        return false
    }

    @inline(__always)
    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
