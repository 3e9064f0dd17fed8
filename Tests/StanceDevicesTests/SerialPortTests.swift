import Foundation
import StanceDevices
import StanceSimulation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("serial ports on real pseudo-terminals", .serialized)
struct SerialPortTests {
    @Test("raw 8N1 and the rate, standard or not, read back from the kernel; exclusive mode on")
    func settingsReadBack() throws {
        let terminal = try PseudoTerminal()
        for baud in [115_200, 921_600, 1_000_000, 2_000_000] {
            let port = try SerialPort(path: terminal.secondaryPath, configuration: SerialConfiguration(baud: baud))
            let settings = try port.readSettings()
            #expect(settings.inputBaud == baud && settings.outputBaud == baud, "\(baud) baud")
            #expect(!settings.canonical && !settings.echo && settings.characterSize8)
            #expect(!settings.parity && !settings.twoStopBits && !settings.hardwareFlowControl)
            #expect(settings.exclusive)
            port.close()
        }
    }

    @Test("a second opener is refused while the port is open, and allowed after it closes")
    func exclusive() throws {
        let terminal = try PseudoTerminal()
        let first = try SerialPort(path: terminal.secondaryPath)
        #expect(throws: DeviceError("flock", terminal.secondaryPath, kind: .busy)) {
            try SerialPort(path: terminal.secondaryPath)
        }
        first.close()
        let second = try SerialPort(path: terminal.secondaryPath)
        second.close()
    }

    @Test("TIOCEXCL: the kernel refuses another process's open (one without CAP_SYS_ADMIN)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func kernelExclusive() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort(path: terminal.secondaryPath)
        defer { port.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        // Root keeps DAC access to the terminal but loses CAP_SYS_ADMIN, which TIOCEXCL exempts.
        process.arguments = ["--bounding-set=-sys_admin", "--inh-caps=-sys_admin", "--", "/bin/sh", "-c",
                             "exec 3<>\(terminal.secondaryPath)"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(message.contains("busy"), "\(message)")
    }

    @Test("closing restores the settings the line had before")
    func restoresSettings() throws {
        let terminal = try PseudoTerminal()
        let other = open(terminal.secondaryPath, O_RDWR | O_NOCTTY)
        try #require(other >= 0)
        defer { close(other) }
        var cooked = termios()
        tcgetattr(other, &cooked)
        cooked.c_lflag |= tcflag_t(ICANON | ECHO)
        tcsetattr(other, TCSANOW, &cooked)
        let port = try SerialPort(path: terminal.secondaryPath, configuration: SerialConfiguration(baud: 921_600))
        #expect(try !port.readSettings().canonical)
        port.close()
        var after = termios()
        tcgetattr(other, &after)
        #expect(after.c_lflag & tcflag_t(ICANON) != 0 && after.c_lflag & tcflag_t(ECHO) != 0)
    }

    @Test("DTR asked of a line without modem lines (a pseudo-terminal): it opens, and says so")
    func modemLines() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort(path: terminal.secondaryPath, configuration: SerialConfiguration(dataTerminalReady: true))
        #expect(port.modemLinesUnsupported)
        port.close()
        let plain = try SerialPort(path: terminal.secondaryPath)
        #expect(!plain.modemLinesUnsupported)
        plain.close()
    }

    @Test("a path that does not exist: the error names the path and the call")
    func missing() {
        let error = #expect(throws: DeviceError.self) { try SerialPort(path: "/dev/stance/no-such-plate") }
        #expect(error?.description.hasPrefix("/dev/stance/no-such-plate: open failed") == true)
    }
}
