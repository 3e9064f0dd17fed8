#if canImport(Glibc)
import Glibc
#endif

/// A whole file read with plain POSIX calls, so that a failure says what the system said
/// (`No such file or directory`, `Permission denied`, `Is a directory`).
public enum WholeFile {
    public struct Failure: Error, Sendable {
        /// The system's error number, e.g. `ENOENT`.
        public var code: Int32
        /// The system's reason, e.g. "No such file or directory".
        public var reason: String { String(cString: strerror(code)) }
    }

    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
