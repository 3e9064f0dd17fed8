/// Why a chunk's content did not fit its framing: a sign that its length is wrong, so the reader
/// resumes at the next Boundary chunk rather than trust it.
struct XDFChunkDamage: Error {
    var reason: String
}

/// The samples of one stream as they are read, chunk after chunk, and the timestamp the next
/// unstamped sample is deduced from. A chunk that does not decode whole adds nothing.
struct XDFSampleStore {
    let format: XDFChannelFormat
    let channelCount: Int
    /// 1 / nominal rate, seconds; 0 for an irregular stream.
    let stepSeconds: Double
    private(set) var timestamps: [Double] = []
    /// pyxdf starts the deduction from 0 and carries it across chunks; so does this.
    private var lastTimestampSeconds = 0.0
    private var float32: [Float] = []
    private var double64: [Double] = []
    private var string: [String] = []
    private var int8: [Int8] = []
    private var int16: [Int16] = []
    private var int32: [Int32] = []
    private var int64: [Int64] = []

    init(_ info: XDFStreamInfo) {
        format = info.format
        channelCount = info.channelCount
        stepSeconds = info.nominalRateHz > 0 ? 1 / info.nominalRateHz : 0
    }

    var values: XDFChannelValues {
        switch format {
        case .float32: .float32(float32)
        case .double64: .double64(double64)
        case .string: .string(string)
        case .int8: .int8(int8)
        case .int16: .int16(int16)
        case .int32: .int32(int32)
        case .int64: .int64(int64)
        }
    }

    /// Decodes a Samples chunk's content after the stream id: the variable-length sample count, then
    /// per sample a TimeStampBytes byte (8: a float64 follows; 0: deduced) and the channel values.
    /// The content must be used up exactly.
    mutating func appendChunk(_ cursor: inout XDFByteCursor) throws(XDFChunkDamage) {
        let shape = (channels: channelCount, step: stepSeconds)
        switch format {
        case .float32: try Self.decode(&cursor, shape, 4, &float32, &timestamps, &lastTimestampSeconds) { $0.float32() }
        case .double64: try Self.decode(&cursor, shape, 8, &double64, &timestamps, &lastTimestampSeconds) { $0.float64() }
        case .int8: try Self.decode(&cursor, shape, 1, &int8, &timestamps, &lastTimestampSeconds) { $0.integer(Int8.self) }
        case .int16: try Self.decode(&cursor, shape, 2, &int16, &timestamps, &lastTimestampSeconds) { $0.integer(Int16.self) }
        case .int32: try Self.decode(&cursor, shape, 4, &int32, &timestamps, &lastTimestampSeconds) { $0.integer(Int32.self) }
        case .int64: try Self.decode(&cursor, shape, 8, &int64, &timestamps, &lastTimestampSeconds) { $0.integer(Int64.self) }
        case .string: try Self.decode(&cursor, shape, 2, &string, &timestamps, &lastTimestampSeconds, value: Self.string)
        }
    }

    /// A string value: its variable-length byte count, then its UTF-8 bytes.
    private static func string(_ cursor: inout XDFByteCursor) -> String? {
        guard let length = cursor.variableLength(), length <= cursor.remaining else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: cursor.bytes[cursor.offset..<(cursor.offset + length)]), as: UTF8.self)
        cursor.offset += length
        return text
    }

    /// `minimumValueSize` bounds the sample count by the bytes left, so a made-up count of 2⁶³ fails
    /// at once. Nothing is reserved per chunk: `reserveCapacity` grows to the exact size asked, which
    /// would copy the whole stream at every chunk; appending grows the arrays geometrically.
    private static func decode<T>(
        _ cursor: inout XDFByteCursor, _ shape: (channels: Int, step: Double), _ minimumValueSize: Int,
        _ values: inout [T], _ timestamps: inout [Double], _ last: inout Double, value: (inout XDFByteCursor) -> T?
    ) throws(XDFChunkDamage) {
        guard let sampleCount = cursor.variableLength() else { throw XDFChunkDamage(reason: "no sample count") }
        let minimumSampleSize = 1 + shape.channels * minimumValueSize
        guard sampleCount <= cursor.remaining / minimumSampleSize else {
            throw XDFChunkDamage(reason: "\(sampleCount) samples cannot fit in \(cursor.remaining) bytes")
        }
        let (valueCount, stampCount, lastBefore) = (values.count, timestamps.count, last)
        var failure: String?
        samples: for sample in 0..<sampleCount {
            switch cursor.integer(UInt8.self) {
            case 8:
                guard let seconds = cursor.float64() else { failure = "sample \(sample) ends inside its timestamp"; break samples }
                last = seconds
            case 0:
                last += shape.step
            case let flag:
                failure = "sample \(sample) has TimeStampBytes \(flag.map(String.init) ?? "missing"), not 0 or 8"
                break samples
            }
            timestamps.append(last)
            for _ in 0..<shape.channels {
                guard let next = value(&cursor) else { failure = "sample \(sample) ends inside its values"; break samples }
                values.append(next)
            }
        }
        if failure == nil, cursor.remaining != 0 {
            failure = "\(cursor.remaining) bytes left over after \(sampleCount) samples"
        }
        if let failure {
            values.removeLast(values.count - valueCount)
            timestamps.removeLast(timestamps.count - stampCount)
            last = lastBefore
            throw XDFChunkDamage(reason: failure)
        }
    }
}
