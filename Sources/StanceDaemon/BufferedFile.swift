#if canImport(Glibc)
import Glibc
#endif

/// A file written through a buffer with plain `write(2)`, which keeps the first failure (a full
/// disk, a removed directory) instead of throwing it into the middle of a recording: the caller
/// checks `failure` and reports it.
final class BufferedFile {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// The first write error, as "path: reason"; later writes are skipped (and counted by caller).
    private(set) var failure: String?

    /// Creates the file; it must not exist (a session never overwrites one).
    init(creating path: String) throws(SessionError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SessionError("\(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { close(descriptor) }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Hands the buffer to the kernel; on failure keeps the reason and discards the bytes.
    func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = "\(path): \(String(cString: strerror(errno)))"
                return
            }
            offset += written
        }
    }

    /// Flushes and asks the kernel to put the file on disk.
    func synchronize() {
        flush()
        if failure == nil, fsync(descriptor) != 0 { failure = "\(path): fsync: \(String(cString: strerror(errno)))" }
    }
}

/// Why a session could not start or lost data: the message names the path and the reason.
public struct SessionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
