import CStanceSystem
#if canImport(Glibc)
import Glibc
#endif

/// An open serial line (or pseudo-terminal): non-blocking, `O_NOCTTY`, exclusive, raw 8N1 at the
/// configured rate. The line's previous settings are restored when it is closed.
///
/// Exclusive means two things: `TIOCEXCL` (the kernel refuses other opens, except to processes
/// with CAP_SYS_ADMIN — root included) and an advisory `flock`, which also stops a second Stance
/// running as root.
public final class SerialPort: @unchecked Sendable {
    public let path: String
    public let configuration: SerialConfiguration
    /// The open descriptor; −1 once closed.
    public private(set) var descriptor: Int32
    private var original = termios()
    /// The device has no modem control lines (a pseudo-terminal, some bridges): DTR/RTS settings
    /// of the profile could not be applied. Opening still succeeds; `stance devices` says so.
    public private(set) var modemLinesUnsupported = false

    /// Standard rates `cfsetspeed` knows, with their constants.
    static let standardRates: [Int: speed_t] = [
        1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
        19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600), 115_200: speed_t(B115200),
        230_400: speed_t(B230400), 460_800: speed_t(B460800), 500_000: speed_t(B500000),
    ]

    public init(path: String, configuration: SerialConfiguration = SerialConfiguration()) throws(DeviceError) {
        self.path = path
        self.configuration = configuration
        descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw DeviceError.lastSystemError("open", path) }
        do {
            try configure()
        } catch {
            Glibc.close(descriptor)
            descriptor = -1
            throw error
        }
    }

    deinit { close() }

    private func configure() throws(DeviceError) {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK { throw DeviceError("flock", path, kind: .busy) }
            throw DeviceError.lastSystemError("flock", path)
        }
        guard tcgetattr(descriptor, &original) == 0 else { throw DeviceError.lastSystemError("tcgetattr", path) }
        guard stance_set_exclusive(descriptor, 1) == 0 else { throw DeviceError.lastSystemError("ioctl(TIOCEXCL)", path) }
        var settings = original
        cfmakeraw(&settings)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        settings.c_cflag &= ~(tcflag_t(CSTOPB) | tcflag_t(PARENB) | tcflag_t(CRTSCTS))
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        switch configuration.flowControl {
        case .none: break
        case .hardware: settings.c_cflag |= tcflag_t(CRTSCTS)
        case .software: settings.c_iflag |= tcflag_t(IXON | IXOFF)
        }
        // Non-blocking reads return what is there (VMIN = 0, VTIME = 0); poll decides when to read.
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        let standard = Self.standardRates[configuration.baud]
        if let standard { cfsetspeed(&settings, standard) }
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else { throw DeviceError.lastSystemError("tcsetattr", path) }
        if standard == nil {
            guard configuration.baud > 0, stance_set_any_baud(descriptor, UInt32(configuration.baud)) == 0 else {
                throw DeviceError.lastSystemError("ioctl(TCSETS2 \(configuration.baud) baud)", path)
            }
        }
        for (line, on, name) in [(stance_modem_line_dtr(), configuration.dataTerminalReady, "DTR"),
                                 (stance_modem_line_rts(), configuration.requestToSend, "RTS")] {
            guard let on else { continue }
            if stance_set_modem_line(descriptor, line, on ? 1 : 0) != 0 {
                guard errno == ENOTTY || errno == EINVAL else { throw DeviceError.lastSystemError("ioctl(TIOCM \(name))", path) }
                modemLinesUnsupported = true
            }
        }
        // No tcflush here: stale bytes are decoded or counted like any others, and flushing a
        // pseudo-terminal's secondary side while its primary writes stops the flow on Linux (seen
        // in DeviceReaderTests).
    }

    /// The settings in force, read back from the kernel.
    public struct Settings: Sendable, Equatable {
        public var inputBaud: Int
        public var outputBaud: Int
        public var canonical: Bool
        public var echo: Bool
        public var characterSize8: Bool
        public var parity: Bool
        public var twoStopBits: Bool
        public var hardwareFlowControl: Bool
        public var exclusive: Bool
    }

    public func readSettings() throws(DeviceError) -> Settings {
        var current = termios()
        guard tcgetattr(descriptor, &current) == 0 else { throw DeviceError.lastSystemError("tcgetattr", path) }
        var input: UInt32 = 0
        var output: UInt32 = 0
        guard stance_get_baud(descriptor, &input, &output) == 0 else { throw DeviceError.lastSystemError("ioctl(TCGETS2)", path) }
        var exclusive: Int32 = 0
        guard stance_get_exclusive(descriptor, &exclusive) == 0 else { throw DeviceError.lastSystemError("ioctl(TIOCGEXCL)", path) }
        return Settings(
            inputBaud: Int(input), outputBaud: Int(output),
            canonical: current.c_lflag & tcflag_t(ICANON) != 0, echo: current.c_lflag & tcflag_t(ECHO) != 0,
            characterSize8: current.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8), parity: current.c_cflag & tcflag_t(PARENB) != 0,
            twoStopBits: current.c_cflag & tcflag_t(CSTOPB) != 0, hardwareFlowControl: current.c_cflag & tcflag_t(CRTSCTS) != 0,
            exclusive: exclusive != 0)
    }

    /// What a read found.
    public enum ReadResult: Equatable, Sendable {
        case bytes(Int)
        case nothing
        /// The other end hung up or the device was unplugged.
        case hangUp
    }

    /// Reads what is available into `buffer` without blocking. (With VMIN = VTIME = 0 Linux
    /// returns 0, not EAGAIN, when nothing is waiting: a hang-up shows as POLLHUP or EIO instead.)
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> ReadResult {
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 { return .bytes(count) }
        if count == 0 { return .nothing }
        switch errno {
        case EAGAIN, EINTR: return .nothing
        case EIO, ENODEV, ENXIO: return .hangUp
        default: throw DeviceError.lastSystemError("read", path)
        }
    }

    /// Restores the line's previous settings and closes it.
    public func close() {
        guard descriptor >= 0 else { return }
        stance_set_exclusive(descriptor, 0)
        tcsetattr(descriptor, TCSANOW, &original)
        Glibc.close(descriptor)
        descriptor = -1
    }
}
