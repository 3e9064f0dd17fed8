import Foundation
import StanceDaemon
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real socket for the parser to inspect, passed by its descriptor number as `firstDescriptor`
/// (in a real activation it would be descriptor 3).
final class TestSocket {
    let descriptor: Int32
    /// The bound path (`@name` for an abstract name), or nil when unbound.
    let path: String?
    private let directory: String?

    enum Binding { case none, path, abstract }

    init(family: Int32 = AF_UNIX, type: __socket_type = SOCK_STREAM, binding: Binding = .path, listening: Bool = true) throws {
        descriptor = socket(family, Int32(type.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let unique = "stance-activation-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var nameBytes: [UInt8] = []
        switch binding {
        case .none:
            (path, directory) = (nil, nil)
        case .path:
            let made = FileManager.default.temporaryDirectory.appendingPathComponent(unique).path
            try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
            (path, directory) = (made + "/stance.sock", made)
            nameBytes = Array((made + "/stance.sock").utf8) + [0]
        case .abstract:
            (path, directory) = ("@" + unique, nil)
            nameBytes = [0] + Array(unique.utf8)
        }
        if !nameBytes.isEmpty {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in nameBytes.enumerated() { raw[index] = byte }
            }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + nameBytes.count)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        if listening, listen(descriptor, 8) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The environment systemd would give this process for one socket.
    static func environment(names: String? = "stance.sock") -> [String: String] {
        var environment = ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "1"]
        environment["LISTEN_FDNAMES"] = names
        return environment
    }
}

@Suite("systemd socket activation (LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES) on real sockets")
struct SystemdSocketActivationTests {
    @Test("a listening Unix stream socket is taken: its path from getsockname, its name, close-on-exec and non-blocking set, and it accepts")
    func acceptsListeningSocket() throws {
        let listener = try TestSocket()
        #expect(fcntl(listener.descriptor, F_GETFD) & FD_CLOEXEC == 0)
        let activated = try #require(try SystemdSocketActivation.listeningSocket(
            environment: TestSocket.environment(), firstDescriptor: listener.descriptor))
        #expect(activated == ActivatedSocket(descriptor: listener.descriptor, path: try #require(listener.path), name: "stance.sock"))
        #expect(fcntl(listener.descriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(listener.descriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(accept(listener.descriptor, nil, nil) == -1 && errno == EAGAIN, "nothing to accept yet, and no blocking")
        let client = try TestClient(path: activated.path)
        let accepted = accept(listener.descriptor, nil, nil)
        #expect(accepted >= 0)
        close(accepted)
        _ = client
    }

    @Test("an abstract-namespace socket reports @name; without LISTEN_FDNAMES the name is nil")
    func abstractSocket() throws {
        let listener = try TestSocket(binding: .abstract)
        let activated = try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(names: nil),
                                                                    firstDescriptor: listener.descriptor)
        #expect(activated?.path == listener.path && activated?.name == nil)
    }

    @Test("not activated (nil): no variables, only one of LISTEN_PID and LISTEN_FDS, or LISTEN_FDS=0",
          arguments: [[:], ["LISTEN_FDS": "1"], ["LISTEN_PID": "\(getpid())"], ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "0"]])
    func notActivated(environment: [String: String]) throws {
        #expect(try SystemdSocketActivation.listeningSocket(environment: environment, firstDescriptor: 1000) == nil)
    }

    @Test("a stream socket that is not listening is refused")
    func refusesNotListening() throws {
        let unlistened = try TestSocket(listening: false)
        #expect(throws: SocketActivationError.notListening(descriptor: unlistened.descriptor)) {
            try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(), firstDescriptor: unlistened.descriptor)
        }
    }

    @Test("a datagram socket is refused (ListenDatagram= instead of ListenStream=)")
    func refusesDatagram() throws {
        let datagram = try TestSocket(type: SOCK_DGRAM, listening: false)
        #expect(throws: SocketActivationError.notStream(descriptor: datagram.descriptor, type: Int32(SOCK_DGRAM.rawValue))) {
            try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(), firstDescriptor: datagram.descriptor)
        }
    }

    @Test("a listening TCP socket is refused as not AF_UNIX")
    func refusesInternet() throws {
        let tcp = try TestSocket(family: AF_INET, binding: .none)
        #expect(throws: SocketActivationError.notUnix(descriptor: tcp.descriptor, family: AF_INET)) {
            try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(), firstDescriptor: tcp.descriptor)
        }
    }

    @Test("a pipe is not a socket; a descriptor that is not open fails with EBADF")
    func refusesNonSockets() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(throws: SocketActivationError.notSocket(descriptor: ends[0])) {
            try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(), firstDescriptor: ends[0])
        }
        // Far above any descriptor this process opens (a just-closed one could be reused by a test
        // running in parallel).
        let closed: Int32 = 1_000_000
        #expect(throws: SocketActivationError.system(call: "getsockopt(SO_TYPE)", descriptor: closed, errno: EBADF)) {
            try SystemdSocketActivation.listeningSocket(environment: TestSocket.environment(), firstDescriptor: closed)
        }
    }

    @Test("LISTEN_PID of another process is refused, naming both processes")
    func refusesOtherProcess() throws {
        let listener = try TestSocket()
        var environment = TestSocket.environment()
        environment["LISTEN_PID"] = "\(getpid() + 1)"
        #expect(throws: SocketActivationError.otherProcess(listenPID: getpid() + 1, processID: getpid())) {
            try SystemdSocketActivation.listeningSocket(environment: environment, firstDescriptor: listener.descriptor)
        }
    }

    @Test("LISTEN_FDS=2 is refused: stanced serves one socket")
    func refusesTwoSockets() throws {
        let first = try TestSocket()
        var environment = TestSocket.environment(names: "stance.sock:other.sock")
        environment["LISTEN_FDS"] = "2"
        #expect(throws: SocketActivationError.socketCount(2)) {
            try SystemdSocketActivation.listeningSocket(environment: environment, firstDescriptor: first.descriptor)
        }
    }

    @Test("malformed variables are refused, naming the variable",
          arguments: [("LISTEN_PID", "me"), ("LISTEN_PID", "0"), ("LISTEN_FDS", "-1"), ("LISTEN_FDS", "one"),
                      ("LISTEN_FDNAMES", "a:b")])
    func malformed(variable: String, value: String) throws {
        let listener = try TestSocket()
        var environment = TestSocket.environment()
        environment[variable] = value
        #expect {
            _ = try SystemdSocketActivation.listeningSocket(environment: environment, firstDescriptor: listener.descriptor)
        } throws: { error in
            guard case .invalidVariable(let name, let bad, _) = error as? SocketActivationError else { return false }
            return name == variable && bad == value
        }
    }
}
