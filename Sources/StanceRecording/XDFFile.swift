#if canImport(Glibc)
import Glibc
#endif

/// A recording file opened for appending with plain POSIX calls, so that a failure carries what the
/// system said (`No space left on device`) and the path. Created new, never over an existing file.
/// Closed when it goes out of scope; `close()` reports a failure a deinit could not.
public struct XDFFile: ~Copyable, Sendable {
    /// A system call on a recording file that failed.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Operation: String, Sendable {
            case create, write, sync = "fdatasync", close
        }

        public var path: String
        public var operation: Operation
        /// The system's error number, e.g. `ENOSPC`.
        public var code: Int32
        /// The system's reason, e.g. "No space left on device".
        public var reason: String { String(cString: strerror(code)) }

        public var description: String { "\(path): \(operation.rawValue) failed: \(reason)" }
    }

    public let path: String
    private var descriptor: Int32
    /// Bytes appended so far.
    public private(set) var byteCount = 0

    /// Creates `path` (`O_CREAT | O_EXCL`: an existing file is an error, never truncated) with the
    /// given permission bits (default `0640`: sessions are health data, readable by the group).
    public init(creating path: String, permissions: mode_t = 0o640) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw Failure(path: path, operation: .create, code: errno) }
        self.path = path
        self.descriptor = descriptor
    }

    /// Writes all of `bytes` at the end of the file, retrying short writes and interrupted calls.
    /// After a failure, the file may hold a part of `bytes` (a reader resumes at the next Boundary).
    public mutating func append(_ bytes: [UInt8]) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: .write, code: errno)
            }
            written += result
            byteCount += result
        }
    }

    /// Waits until what was appended is on the storage device (`fdatasync`): data that survives a
    /// power cut. Milliseconds on a disk; call it from a recorder thread, never the pipeline's.
    public func sync() throws(Failure) {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw Failure(path: path, operation: .sync, code: errno)
        }
    }

    /// Closes the file, reporting the error some file systems only give at close.
    public consuming func close() throws(Failure) {
        let open = descriptor
        descriptor = -1
        // Linux releases the descriptor even when close fails, so it is never retried (EINTR included).
        if Glibc.close(open) != 0 { throw Failure(path: path, operation: .close, code: errno) }
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }
}
