/// A bounds-checked little-endian reader over the bytes of an XDF file: every read returns nil
/// rather than run past `end`, so no length or count in a damaged file can make the reader fault.
struct XDFByteCursor {
    let bytes: UnsafeRawBufferPointer
    /// The next byte to read, an offset in `bytes` (the file).
    var offset: Int
    /// One past the last byte this cursor may read.
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from offset: Int, to end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end, bytes.count)
    }

    var remaining: Int { end - offset }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        offset += count
        return true
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard MemoryLayout<T>.size <= remaining else { return nil }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func float32() -> Float? {
        integer(UInt32.self).map(Float.init(bitPattern:))
    }

    mutating func float64() -> Double? {
        integer(UInt64.self).map(Double.init(bitPattern:))
    }

    /// XDF's variable-length number: a byte saying 1, 4 or 8, then that many bytes. Nil when the
    /// bytes run out, the size byte is anything else, or the value does not fit an `Int`.
    mutating func variableLength() -> Int? {
        let start = offset
        let value: UInt64?
        switch integer(UInt8.self) {
        case 1: value = integer(UInt8.self).map(UInt64.init)
        case 4: value = integer(UInt32.self).map(UInt64.init)
        case 8: value = integer(UInt64.self)
        default: value = nil
        }
        guard let value, let int = Int(exactly: value) else {
            offset = start
            return nil
        }
        return int
    }
}
