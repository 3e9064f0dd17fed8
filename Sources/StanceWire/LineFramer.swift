/// Splits a client's byte stream into request lines (newline-delimited JSON). A line longer than
/// `maximumLineLength` bytes is dropped up to its newline and reported once as oversize, so the
/// connection stays usable. Any chunking gives the same lines.
public struct LineFramer: Sendable {
    /// Longest request line, bytes (without the newline).
    public static let maximumLineLength = 4096

    public enum Item: Sendable, Equatable {
        case line([UInt8])
        /// A line over the limit was discarded (its length so far, in bytes).
        case oversize(Int)
    }

    private var pending: [UInt8] = []
    private var discarding = false
    private var discarded = 0

    public init() {}

    public mutating func push(_ bytes: UnsafeRawBufferPointer, _ emit: (Item) -> Void) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discarding {
                    emit(.oversize(discarded))
                    discarding = false
                } else {
                    if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                    if !pending.isEmpty { emit(.line(pending)) }
                }
                pending.removeAll(keepingCapacity: true)
                continue
            }
            if discarding {
                discarded += 1
                continue
            }
            if pending.count == Self.maximumLineLength {
                discarding = true
                discarded = pending.count + 1
                pending.removeAll(keepingCapacity: true)
                continue
            }
            pending.append(byte)
        }
    }
}
