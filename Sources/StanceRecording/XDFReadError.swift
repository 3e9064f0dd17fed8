#if canImport(Glibc)
import Glibc
#endif

/// A file the XDF reader could not read at all. Damage inside an XDF file is not an error but an
/// `XDFReadProblem` of the recording.
public enum XDFReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with `XDF:` (`firstBytes`: up to its first 4 bytes).
    case notXDF(firstBytes: [UInt8])
    /// The file could not be read: `code` is the system's error number.
    case unreadable(path: String, code: Int32)

    public var description: String {
        switch self {
        case .notXDF(let bytes): "not an XDF file: it starts with \(bytes), not 'XDF:'"
        case .unreadable(let path, let code): "\(path): \(String(cString: strerror(code)))"
        }
    }
}
