import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client connection to `stanced`'s Unix socket: newline-delimited JSON, one object per line.
final class DaemonConnection {
    let socketPath: String
    private let descriptor: Int32
    private var buffered: [UInt8] = []

    /// A failure talking to the daemon, naming the socket.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects and reads the `VERSION` greeting; refuses a daemon speaking another protocol version.
    init(socketPath: String) throws {
        self.socketPath = socketPath
        let pathBytes = Array(socketPath.utf8)
        var address = sockaddr_un()
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "\(socketPath): socket path longer than \(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(description: Self.explain(code, socketPath))
        }
        let greeting = try nextObject(timeoutSeconds: 5)
        guard greeting["class"] as? String == "VERSION" else {
            throw Failure(description: "\(socketPath): the first line was not VERSION; is this stanced's socket?")
        }
        guard greeting["proto"] as? Int == 1 else {
            throw Failure(description: "\(socketPath): stanced speaks protocol \(greeting["proto"] ?? "?"), this client speaks 1")
        }
    }

    deinit { close(descriptor) }

    /// What a failed connect means for the user, and what to do about it.
    static func explain(_ code: Int32, _ socketPath: String) -> String {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT:
            return "cannot connect to \(socketPath): \(reason): stanced is not running (start it: systemctl start stanced), or --socket names another path"
        case ECONNREFUSED:
            return "cannot connect to \(socketPath): \(reason): nothing listens there (stanced stopped and left the socket?)"
        case EACCES, EPERM:
            return "cannot connect to \(socketPath): \(reason): only members of group 'stance' may (sudo usermod -aG stance $USER, then log in again)"
        default:
            return "cannot connect to \(socketPath): \(reason)"
        }
    }

    func send(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure(description: "\(socketPath): write failed: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// The next line as raw text (without the newline).
    func nextLine(timeoutSeconds: Double) throws -> String {
        guard let line = try nextLineIfAny(timeoutSeconds: timeoutSeconds) else {
            throw Failure(description: "\(socketPath): no reply within \(timeoutSeconds) s")
        }
        return line
    }

    /// The next line, or nil when none came within `timeoutSeconds`; throws when the daemon closed
    /// the connection.
    func nextLineIfAny(timeoutSeconds: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "\(socketPath): stanced closed the connection") }
            buffered.append(contentsOf: chunk[..<count])
        }
    }

    /// The next line as a JSON object.
    func nextObject(timeoutSeconds: Double) throws -> [String: Any] {
        let line = try nextLine(timeoutSeconds: timeoutSeconds)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw Failure(description: "\(socketPath): not a JSON object: \(line.prefix(120))")
        }
        return object
    }

    /// Sends `request` and returns the first reply of class `expected` (or throws on an `ERROR`),
    /// skipping stream objects in between. Returns the raw line too, for `--json`.
    func request(_ request: String, expecting expected: String, timeoutSeconds: Double = 5) throws -> (line: String, object: [String: Any]) {
        try send(request)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let line = try nextLine(timeoutSeconds: max(deadline.timeIntervalSinceNow, 0.001))
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            switch object["class"] as? String {
            case expected: return (line, object)
            case "ERROR": throw Failure(description: "stanced refused: \(object["message"] as? String ?? line)")
            default: continue
            }
        }
    }
}
