import CStanceSystem
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, on what, and `errno`.
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var subject: String
    public var errno: Int32

    public init(_ call: String, _ subject: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.subject = subject
        self.errno = errno
    }

    public var description: String {
        "\(call)(\(subject)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// A kernel pseudo-terminal pair, as a serial device's stand-in: the emulator writes to the
/// primary side, and a reader opens `secondaryPath` exactly as it would open `/dev/ttyUSB0`.
/// The line discipline is set raw (no echo, no CR/LF translation), so bytes pass unchanged.
public final class PseudoTerminal: @unchecked Sendable {
    /// The primary (master) side's descriptor; owned, closed by `close()` or on deinit.
    public private(set) var primaryDescriptor: Int32
    /// The secondary (slave) side's path, e.g. `/dev/pts/3`.
    public let secondaryPath: String
    /// Our own descriptor of the secondary side: held open so that bytes written before a reader
    /// arrives (or between readers) wait in the terminal, and so `drain` can see what is unread.
    private var secondaryDescriptor: Int32 = -1

    public init() throws(SystemCallError) {
        var name = [CChar](repeating: 0, count: 128)
        let descriptor = stance_open_pseudo_terminal(&name, UInt(name.count))
        guard descriptor >= 0 else { throw SystemCallError("posix_openpt", "/dev/ptmx") }
        primaryDescriptor = descriptor
        secondaryPath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { throw SystemCallError("tcgetattr", secondaryPath) }
        cfmakeraw(&settings)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else { throw SystemCallError("tcsetattr", secondaryPath) }
        guard fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) == 0 else {
            throw SystemCallError("fcntl", secondaryPath)
        }
        secondaryDescriptor = open(secondaryPath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard secondaryDescriptor >= 0 else { throw SystemCallError("open", secondaryPath) }
    }

    /// Bytes written but not yet read by anyone.
    public var unreadBytes: Int {
        secondaryDescriptor >= 0 ? max(Int(stance_terminal_unread_bytes(secondaryDescriptor)), 0) : 0
    }

    /// Waits until a reader has taken everything written, or `timeoutSeconds` pass. The count of
    /// unread bytes covers only the line discipline's buffer, not bytes the kernel has yet to move
    /// into it, so "empty" must hold for 100 ms in a row.
    /// - Returns: whether everything was read.
    @discardableResult
    public func drain(timeoutSeconds: Double) -> Bool {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeoutSeconds * 1e9)
        var emptySince: UInt64?
        while true {
            let now = MonotonicClock.nanoseconds()
            if unreadBytes > 0 {
                emptySince = nil
            } else if let since = emptySince {
                if now - since >= 100_000_000 { return true }
            } else {
                emptySince = now
            }
            if now >= deadline { return false }
            MonotonicClock.sleep(until: now + 1_000_000)
        }
    }

    deinit { close() }

    /// Writes `bytes`. With `waitForReader`, waits (up to `timeoutSeconds`) while the terminal's
    /// buffer is full; without, writes what fits and returns how many bytes did not (a serial
    /// device transmits whether or not anyone listens).
    /// - Returns: bytes not written.
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer, waitForReader: Bool, timeoutSeconds: Double = 10) throws(SystemCallError) -> Int {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(primaryDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                guard waitForReader else { return bytes.count - offset }
                var descriptor = pollfd(fd: primaryDescriptor, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&descriptor, 1, Int32(timeoutSeconds * 1000))
                if ready == 0 { throw SystemCallError("write", secondaryPath, errno: ETIMEDOUT) }
            default:
                throw SystemCallError("write", secondaryPath)
            }
        }
        return 0
    }

    /// Closes the primary side: a reader of the secondary side sees a hang-up (`EIO`/`POLLHUP`),
    /// as with an unplugged USB serial adapter.
    public func close() {
        if secondaryDescriptor >= 0 {
            Glibc.close(secondaryDescriptor)
            secondaryDescriptor = -1
        }
        if primaryDescriptor >= 0 {
            Glibc.close(primaryDescriptor)
            primaryDescriptor = -1
        }
    }
}
