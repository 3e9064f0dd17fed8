/// XML the reader could not take, and where: `offset` is the byte offset of the trouble in the bytes
/// given to `XMLReader` (for a header read from an XDF file, the offset in the file).
public struct XMLReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the first byte that did not fit.
    public var offset: Int
    /// What the reader expected there, e.g. `'>' closing <info>`.
    public var expected: String

    public init(offset: Int, expected: String) {
        self.offset = offset
        self.expected = expected
    }

    public var description: String { "XML at byte \(offset): expected \(expected)" }
}
