#if canImport(Glibc)
import Glibc
#endif

/// A Unix-domain socket address, written as systemd writes them in `NOTIFY_SOCKET`: an absolute
/// path, or `@name` for a name in the abstract namespace (the leading NUL byte of the kernel's
/// form). Built once so that a send can pass it without allocating.
struct UnixSocketAddress: Sendable {
    private(set) var storage = sockaddr_un()
    /// The bytes of `storage` the kernel is to read: the family, then the path with its NUL, or
    /// the abstract name without one (every byte of an abstract name counts).
    private(set) var length: socklen_t = 0

    /// Bytes available in `sun_path` (108 on Linux).
    static let pathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
    private static let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2

    /// No address (length 0): what a disabled sender holds.
    init() {}

    /// Nil for an empty or relative path, a bare `/` or `@`, or one that does not fit `sun_path`
    /// (at most 107 bytes, the `@` included).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else { return nil }
        guard bytes.count > 1, bytes.count < Self.pathCapacity, !bytes.contains(0) else { return nil }
        let abstract = first == UInt8(ascii: "@")
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            for (index, byte) in bytes.enumerated() { path[index] = byte }
            if abstract { path[0] = 0 }
        }
        // A path is passed with its terminating NUL; an abstract name is exactly its bytes.
        length = socklen_t(Self.pathOffset + bytes.count + (abstract ? 0 : 1))
    }

    /// The text form of an address the kernel filled in (`getsockname`, `recvfrom`): the path,
    /// `@name` for an abstract name, or "" for an unnamed socket.
    static func text(of address: sockaddr_un, length: socklen_t) -> String {
        let count = min(max(Int(length) - pathOffset, 0), pathCapacity)
        return withUnsafeBytes(of: address.sun_path) { raw in
            let bytes = raw.prefix(count)
            guard let first = bytes.first else { return "" }
            if first == 0 { return "@" + String(decoding: bytes.dropFirst(), as: UTF8.self) }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
