import StanceDSP

/// The Stance binary protocol v1, for plates at 1 kHz and above (`docs/protocols.md`):
///
/// ```
/// offset  size  field
/// 0       2     sync: 0xA5 0x5A
/// 2       1     LEN: bytes from TYPE to the last value, 10 + 4·N (N = channels, 1…16)
/// 3       1     TYPE: 0x01 = int32 values, 0x02 = float32 values
/// 4       4     SEQ, u32 little-endian, +1 per sample, wraps at 2³²
/// 8       4     T_US, device time in µs, u32 little-endian, wraps at 2³²
/// 12      4·N   values, little-endian int32 or IEEE-754 float32
/// 12+4·N  2     CRC-16/CCITT-FALSE of bytes 2 … 11+4·N (LEN to the last value), little-endian
/// ```
public enum BinaryProtocol {
    public static let sync: (UInt8, UInt8) = (0xA5, 0x5A)

    /// How channel values are sent.
    public enum ValueType: UInt8, Sendable, CaseIterable {
        case int32 = 0x01
        case float32 = 0x02
    }

    /// Bytes before the values.
    static let headerLength = 12
    /// LEN for `channels` channels.
    static func lengthField(channels: Int) -> Int { 10 + 4 * channels }
    /// Whole frame size for `channels` channels.
    public static func frameLength(channels: Int) -> Int { headerLength + 4 * channels + 2 }
    /// The largest frame (16 channels).
    public static let maximumFrameLength = frameLength(channels: DeviceSample.maximumChannels)
}

/// Writes binary protocol frames (for simulators and device firmware tests).
public struct BinaryProtocolEncoder: Sendable {
    public var valueType: BinaryProtocol.ValueType

    public init(valueType: BinaryProtocol.ValueType) {
        self.valueType = valueType
    }

    /// One frame. int32 values are rounded to the nearest integer and clamped to the int32 range;
    /// float32 values are rounded to the nearest float32.
    public func encode(_ sample: DeviceSample, into bytes: inout [UInt8]) {
        let start = bytes.count
        let channels = min(max(sample.channelCount, 1), DeviceSample.maximumChannels)
        bytes.append(BinaryProtocol.sync.0)
        bytes.append(BinaryProtocol.sync.1)
        bytes.append(UInt8(BinaryProtocol.lengthField(channels: channels)))
        bytes.append(valueType.rawValue)
        appendLittleEndian(sample.sequence ?? 0, to: &bytes)
        appendLittleEndian(UInt32(truncatingIfNeeded: sample.deviceTimeMicroseconds ?? 0), to: &bytes)
        for channel in 0..<channels {
            let value = sample.values[channel]
            switch valueType {
            case .int32:
                let clamped = value.isNaN ? 0 : min(max(value.rounded(), Double(Int32.min)), Double(Int32.max))
                appendLittleEndian(UInt32(bitPattern: Int32(clamped)), to: &bytes)
            case .float32:
                appendLittleEndian(Float(value).bitPattern, to: &bytes)
            }
        }
        let crc = bytes[(start + 2)...].withUnsafeBytes { CRC16.checksum($0) }
        bytes.append(UInt8(truncatingIfNeeded: crc))
        bytes.append(UInt8(truncatingIfNeeded: crc >> 8))
    }

    private func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }
}

/// Incremental decoder of the binary protocol: any chunking gives the same samples. After
/// corruption it drops one byte and searches for the next sync, so it is back in step by the end
/// of the next intact frame. Allocation-free.
public struct BinaryProtocolDecoder: Sendable {
    public private(set) var counters = DecoderCounters()
    /// Value type of the last good frame.
    public private(set) var valueType: BinaryProtocol.ValueType?

    private var frame = InlineArray<78, UInt8>(repeating: 0)
    private var frameLength = 0
    private var sequence = SequenceTracker()

    public init() {}

    /// Decodes `bytes`, calling `emit` for each sample completed in them.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (DeviceSample) -> Void) {
        counters.bytesReceived += UInt64(bytes.count)
        for byte in bytes { push(byte, emit) }
    }

    private mutating func push(_ byte: UInt8, _ emit: (DeviceSample) -> Void) {
        frame[frameLength] = byte
        frameLength += 1
        switch frameLength {
        case 1:
            if byte != BinaryProtocol.sync.0 { discard(1) }
            return
        case 2:
            if byte != BinaryProtocol.sync.1 { resynchronise(emit) }
            return
        case 3:
            let length = Int(byte)
            if length < BinaryProtocol.lengthField(channels: 1) || length > BinaryProtocol.lengthField(channels: 16)
                || (length - 10) % 4 != 0 {
                counters.badFrames += 1
                resynchronise(emit)
            }
            return
        default:
            let channels = (Int(frame[2]) - 10) / 4
            guard frameLength == BinaryProtocol.frameLength(channels: channels) else { return }
            completeFrame(channels: channels, emit)
        }
    }

    private mutating func completeFrame(channels: Int, _ emit: (DeviceSample) -> Void) {
        let snapshot = frame
        let total = frameLength
        let decoded: DeviceSample? = withUnsafeBytes(of: snapshot) { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<total])
            let crc = CRC16.checksum(UnsafeRawBufferPointer(rebasing: bytes[2..<(total - 2)]))
            guard UInt16(bytes[total - 2]) | UInt16(bytes[total - 1]) << 8 == crc else {
                counters.checksumErrors += 1
                return nil
            }
            guard let type = BinaryProtocol.ValueType(rawValue: bytes[3]) else {
                counters.badFrames += 1
                return nil
            }
            var sample = DeviceSample(
                sequence: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian,
                deviceTimeMicroseconds: UInt64(bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian),
                channelCount: channels, values: SIMD16())
            for channel in 0..<channels {
                let word = bytes.loadUnaligned(fromByteOffset: 12 + 4 * channel, as: UInt32.self).littleEndian
                let value = type == .int32 ? Double(Int32(bitPattern: word)) : Double(Float(bitPattern: word))
                guard value.isFinite else {
                    // A NaN or infinity is no reading: the frame is intact but unusable.
                    counters.badFrames += 1
                    return nil
                }
                sample.values[channel] = value
            }
            valueType = type
            return sample
        }
        guard let sample = decoded else {
            resynchronise(emit)
            return
        }
        frameLength = 0
        counters.framesDecoded += 1
        counters.samplesDecoded += 1
        if let value = sample.sequence { counters.note(sequence.step(to: value)) }
        emit(sample)
    }

    private mutating func discard(_ count: Int) {
        counters.bytesDiscarded += UInt64(count)
        frameLength = 0
    }

    /// Drops the first buffered byte and feeds the rest back, so a frame that starts inside a
    /// broken one is found (and emitted) at once. Nesting is bounded by the frame length.
    private mutating func resynchronise(_ emit: (DeviceSample) -> Void) {
        let snapshot = frame
        let count = frameLength
        discard(1)
        for index in 1..<count { push(snapshot[index], emit) }
    }
}
