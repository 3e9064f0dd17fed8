/// The framing of XDF 1.0, the Lab Streaming Layer recording format, as its specification gives it:
/// https://github.com/sccn/xdf/wiki/Specifications
///
/// A file is the magic `XDF:` and then chunks. Every chunk is
/// `[NumLengthBytes: UInt8 = 1, 4 or 8] [Length: that many bytes] [Tag: UInt16] [Content]`, where
/// Length counts the tag and the content. Sample counts and string lengths use the same
/// variable-length form. All numbers are little-endian.
public enum XDFChunk {
    /// The chunk tags of XDF 1.0.
    public enum Tag: UInt16, Sendable {
        case fileHeader = 1
        case streamHeader = 2
        case samples = 3
        case clockOffset = 4
        case boundary = 5
        case streamFooter = 6
    }

    /// The four bytes every XDF file starts with.
    public static let magic: [UInt8] = Array("XDF:".utf8)

    /// The content of every Boundary chunk, fixed by the specification: a reader that lost its
    /// place (a torn write) scans for these 16 bytes and resumes after them.
    public static let boundaryUUID: [UInt8] = [
        0x43, 0xA5, 0x46, 0xDC, 0xCB, 0xF5, 0x41, 0x0F, 0xB3, 0x0E, 0xD5, 0x46, 0x73, 0x83, 0xCB, 0xE4,
    ]

    /// Bytes the variable-length form of `value` takes: the smallest of 1 + 1, 1 + 4, 1 + 8.
    public static func variableLengthSize(_ value: Int) -> Int {
        precondition(value >= 0, "XDF lengths and counts are not negative")
        if value <= 0xFF { return 2 }
        if value <= 0xFFFF_FFFF { return 5 }
        return 9
    }

    /// Appends `value` in the variable-length form: a byte saying how many bytes follow (1, 4 or 8,
    /// the fewest that hold it), then the value little-endian.
    public static func appendVariableLength(_ value: Int, to bytes: inout [UInt8]) {
        precondition(value >= 0, "XDF lengths and counts are not negative")
        if value <= 0xFF {
            bytes.append(1)
            bytes.append(UInt8(value))
        } else if value <= 0xFFFF_FFFF {
            bytes.append(4)
            appendLittleEndian(UInt32(value), to: &bytes)
        } else {
            bytes.append(8)
            appendLittleEndian(UInt64(value), to: &bytes)
        }
    }

    /// Appends the length and tag of a chunk whose content (after the tag) is `contentCount` bytes;
    /// the caller appends exactly that content next.
    public static func appendHeader(tag: Tag, contentCount: Int, to bytes: inout [UInt8]) {
        appendVariableLength(2 + contentCount, to: &bytes)
        appendLittleEndian(tag.rawValue, to: &bytes)
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
