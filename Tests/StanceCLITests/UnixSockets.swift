import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` with `path` as an `AF_UNIX` socket address (tests only).
func withSocketAddress<Result>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { bytes in
        for (index, byte) in path.utf8.enumerated() where index < bytes.count - 1 { bytes[index] = byte }
    }
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}

/// A stream socket connected to `path`, retrying until a daemon listens there or `seconds` pass.
func connectWithin(seconds: Double, to path: String) throws -> Int32 {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        if withSocketAddress(path, { connect(descriptor, $0, $1) }) == 0 { return descriptor }
        close(descriptor)
        guard Date() < deadline else { throw StancedTestError("no daemon listening on \(path) after \(seconds) s") }
        usleep(50_000)
    }
}

func send(_ text: String, to descriptor: Int32) throws {
    let bytes = Array(text.utf8)
    guard write(descriptor, bytes, bytes.count) == bytes.count else { throw StancedTestError("short write to the daemon") }
}

/// Reads one line, a byte at a time (tests only), with a 10 s limit per byte.
func readLine(from descriptor: Int32) throws -> String {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10_000) == 1, read(descriptor, &byte, 1) == 1 else {
            throw StancedTestError("no line within 10 s (got \(String(decoding: line, as: UTF8.self)))")
        }
        if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
        line.append(byte)
    }
}

func readLine(from handle: FileHandle) throws -> String {
    try readLine(from: handle.fileDescriptor)
}

struct StancedTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
