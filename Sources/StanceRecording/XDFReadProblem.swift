/// Something the reader met in a file and read past: the recording holds everything else. Offsets
/// are bytes from the start of the file.
public enum XDFReadProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file ends inside the chunk that starts at `chunkOffset` (a write cut short: the daemon
    /// killed, the power cut); every chunk before it was read. `fileSize` is where the bytes end.
    case truncated(chunkOffset: Int, fileSize: Int)
    /// The chunk at `offset` was damaged (`reason`: a length or tag that cannot be, content that does
    /// not fit its length), so `byteCount` bytes from `offset` were skipped: up to the end of the next
    /// Boundary chunk, where reading resumed, or, when `resumedAtBoundary` is false, to the end of
    /// the file, which has no Boundary after the damage.
    case skipped(offset: Int, byteCount: Int, reason: String, resumedAtBoundary: Bool)
    /// A whole chunk whose content was left out (`reason`: XML that does not parse, a header that
    /// lacks what a stream needs, samples of a stream with no header); its framing was sound, so
    /// reading went on after it.
    case ignoredChunk(offset: Int, tag: UInt16, reason: String)

    public var description: String {
        switch self {
        case .truncated(let chunk, let size):
            "truncated: the file ends at byte \(size), inside the chunk starting at byte \(chunk)"
        case .skipped(let offset, let count, let reason, let resumed):
            "damaged chunk at byte \(offset) (\(reason)): skipped \(count) bytes "
                + (resumed ? "to the next boundary" : "to the end of the file, which has no boundary after it")
        case .ignoredChunk(let offset, let tag, let reason):
            "chunk at byte \(offset) (tag \(tag)) left out: \(reason)"
        }
    }
}
