#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The listening socket systemd (or `systemd-socket-activate`) passed to the daemon.
public struct ActivatedSocket: Sendable, Equatable {
    /// The listening descriptor: an `AF_UNIX` `SOCK_STREAM` socket, close-on-exec and non-blocking.
    public var descriptor: Int32
    /// The path it is bound to, as `getsockname` reports it (`@name` for an abstract name).
    public var path: String
    /// Its name in `LISTEN_FDNAMES` (`FileDescriptorName=` in the socket unit), if given.
    public var name: String?

    public init(descriptor: Int32, path: String, name: String?) {
        self.descriptor = descriptor
        self.path = path
        self.name = name
    }
}

/// Socket activation as `sd_listen_fds(3)` defines it, without libsystemd: `LISTEN_PID` names the
/// process the sockets are for, `LISTEN_FDS` counts them from descriptor 3 on, and the optional
/// `LISTEN_FDNAMES` names them, colon-separated. stanced takes exactly one socket.
public enum SystemdSocketActivation {
    /// The descriptor of the first passed socket (`SD_LISTEN_FDS_START`).
    public static let listenDescriptorsStart: Int32 = 3

    /// The activated socket, checked to be a listening `AF_UNIX` stream socket and made
    /// close-on-exec and non-blocking (the hub's accept loop runs until `EAGAIN`).
    ///
    /// - Parameters:
    ///   - environment: the process environment; tests pass their own.
    ///   - processID: this process, which `LISTEN_PID` must name.
    ///   - firstDescriptor: where the passed sockets start: 3, except in tests.
    /// - Returns: nil when `LISTEN_PID` or `LISTEN_FDS` is unset, or `LISTEN_FDS` is 0 (not
    ///   activated: the daemon binds its own socket).
    /// - Throws: which variable or descriptor is wrong. Unlike `sd_listen_fds`, a `LISTEN_PID` of
    ///   another process is an error rather than "not activated": someone meant to pass a socket,
    ///   and silently binding another would hide it.
    public static func listeningSocket(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       processID: pid_t = getpid(),
                                       firstDescriptor: Int32 = listenDescriptorsStart) throws(SocketActivationError) -> ActivatedSocket? {
        guard let pidText = environment["LISTEN_PID"], let countText = environment["LISTEN_FDS"] else { return nil }
        guard let pid = pid_t(pidText), pid > 0 else {
            throw .invalidVariable(name: "LISTEN_PID", value: pidText, expected: "a process ID")
        }
        guard pid == processID else { throw .otherProcess(listenPID: pid, processID: processID) }
        guard let count = Int(countText), count >= 0 else {
            throw .invalidVariable(name: "LISTEN_FDS", value: countText, expected: "a number of descriptors")
        }
        if count == 0 { return nil }
        guard count == 1 else { throw .socketCount(count) }
        var name: String?
        if let names = environment["LISTEN_FDNAMES"] {
            let parts = names.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == count else {
                throw .invalidVariable(name: "LISTEN_FDNAMES", value: names, expected: "\(count) name(s), colon-separated")
            }
            name = String(parts[0])
        }
        let descriptor = firstDescriptor
        let path = try checkListeningUnixStream(descriptor)
        try setFlag(descriptor, get: F_GETFD, set: F_SETFD, flag: FD_CLOEXEC)
        try setFlag(descriptor, get: F_GETFL, set: F_SETFL, flag: O_NONBLOCK)
        return ActivatedSocket(descriptor: descriptor, path: path, name: name)
    }

    /// Removes `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES`, so that processes the daemon starts
    /// do not take the socket for theirs. Call it at start-up, before any other thread runs
    /// (`unsetenv` is not thread-safe).
    public static func unsetEnvironment() {
        for variable in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(variable) }
    }

    /// The socket's path, once it is known to be a listening `AF_UNIX` stream socket.
    private static func checkListeningUnixStream(_ descriptor: Int32) throws(SocketActivationError) -> String {
        let type = try integerOption(descriptor, SO_TYPE, "SO_TYPE")
        guard type == Int32(SOCK_STREAM.rawValue) else { throw .notStream(descriptor: descriptor, type: type) }
        guard try integerOption(descriptor, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0 else { throw .notListening(descriptor: descriptor) }
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw .system(call: "getsockname", descriptor: descriptor, errno: errno) }
        guard address.sun_family == sa_family_t(AF_UNIX) else {
            throw .notUnix(descriptor: descriptor, family: Int32(address.sun_family))
        }
        return UnixSocketAddress.text(of: address, length: length)
    }

    private static func integerOption(_ descriptor: Int32, _ option: Int32, _ optionName: String) throws(SocketActivationError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, option, &value, &length) == 0 else {
            let code = errno
            // EBADF: nothing open there; ENOTSOCK: a file or pipe, not a socket.
            if code == ENOTSOCK { throw .notSocket(descriptor: descriptor) }
            throw .system(call: "getsockopt(\(optionName))", descriptor: descriptor, errno: code)
        }
        return value
    }

    private static func setFlag(_ descriptor: Int32, get: Int32, set: Int32, flag: Int32) throws(SocketActivationError) {
        let flags = fcntl(descriptor, get)
        guard flags >= 0, fcntl(descriptor, set, flags | flag) == 0 else {
            throw .system(call: "fcntl", descriptor: descriptor, errno: errno)
        }
    }
}

/// Why the activated socket cannot be used: the variable or the descriptor at fault.
public enum SocketActivationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `LISTEN_*` variable does not hold what it should.
    case invalidVariable(name: String, value: String, expected: String)
    /// `LISTEN_PID` names another process.
    case otherProcess(listenPID: pid_t, processID: pid_t)
    /// `LISTEN_FDS` passes more than the one socket stanced serves.
    case socketCount(Int)
    case notSocket(descriptor: Int32)
    /// The socket is not `AF_UNIX`; `family` is its `AF_*` number.
    case notUnix(descriptor: Int32, family: Int32)
    /// The socket is not `SOCK_STREAM` (a datagram socket, say); `type` is its `SOCK_*` number.
    case notStream(descriptor: Int32, type: Int32)
    /// The socket was never `listen()`ed on.
    case notListening(descriptor: Int32)
    /// A system call on the descriptor failed with `errno`.
    case system(call: String, descriptor: Int32, errno: Int32)

    public var description: String {
        switch self {
        case .invalidVariable(let name, let value, let expected):
            return "socket activation: \(name)='\(value)': expected \(expected)"
        case .otherProcess(let listenPID, let processID):
            return "socket activation: LISTEN_PID=\(listenPID) is not this process (\(processID)); unset LISTEN_PID and LISTEN_FDS to bind a socket instead"
        case .socketCount(let count):
            return "socket activation: LISTEN_FDS=\(count): stanced takes exactly one socket (ListenStream= once in stanced.socket)"
        case .notSocket(let descriptor):
            return "socket activation: descriptor \(descriptor) (LISTEN_FDS) is not a socket"
        case .notUnix(let descriptor, let family):
            return "socket activation: descriptor \(descriptor) is not an AF_UNIX socket (family \(family))"
        case .notStream(let descriptor, let type):
            return "socket activation: descriptor \(descriptor) is not a stream socket (type \(type)); use ListenStream="
        case .notListening(let descriptor):
            return "socket activation: descriptor \(descriptor) is a stream socket that is not listening"
        case .system(let call, let descriptor, let code):
            return "socket activation: descriptor \(descriptor): \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
