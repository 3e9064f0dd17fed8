import Foundation
import StanceSimulation
#if canImport(Glibc)
import Glibc
#endif

/// Opens a terminal as a device reader would (raw, non-blocking) and feeds what arrives to
/// `consume` until `done()` or the deadline; stops early on a hang-up.
/// - Returns: bytes read.
@discardableResult
func readTerminal(
    _ path: String, timeoutSeconds: Double = 10, consume: (UnsafeRawBufferPointer) -> Void, done: () -> Bool
) throws -> Int {
    let descriptor = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    var settings = termios()
    tcgetattr(descriptor, &settings)
    cfmakeraw(&settings)
    tcsetattr(descriptor, TCSANOW, &settings)
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    var total = 0
    while !done(), Date() < deadline {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 100) > 0 else { continue }
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            total += count
            buffer.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        } else if count == 0 || errno == EIO {
            break  // the other side hung up (unplugged)
        }
    }
    return total
}

/// Runs `body` on a new thread.
func startThread(_ body: @escaping @Sendable () -> Void) {
    Thread { body() }.start()
}

/// An emulator sending `samples` (the bytes of each), running on its own thread.
func startEmulator(_ samples: [[UInt8]], configuration: DeviceEmulator.Configuration, preamble: [UInt8] = []) throws -> DeviceEmulator {
    let emulator = try DeviceEmulator(configuration: configuration, preamble: preamble) { index in
        index < samples.count ? samples[index] : nil
    }
    startThread { try? emulator.run() }
    return emulator
}
