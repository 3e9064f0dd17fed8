#if canImport(Glibc)
import Glibc
#endif

/// A device operation that failed: the call, the device path, and `errno`.
public struct DeviceError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A system call failed with `errno`.
        case system(errno: Int32)
        /// Another process (or another Stance) already has the device open exclusively.
        case busy
        /// The device vanished (unplugged): `EIO`, `ENODEV`, a hang-up.
        case gone
        /// The device is not what the profile expects (wrong name, unusable descriptor…).
        case unexpected(String)
    }

    public var call: String
    public var path: String
    public var kind: Kind

    public init(_ call: String, _ path: String, kind: Kind) {
        self.call = call
        self.path = path
        self.kind = kind
    }

    /// The error of the system call that just failed (reads `errno`).
    public static func lastSystemError(_ call: String, _ path: String) -> DeviceError {
        let code = errno
        switch code {
        case EIO, ENODEV, ENXIO: return DeviceError(call, path, kind: .gone)
        default: return DeviceError(call, path, kind: .system(errno: code))
        }
    }

    public var description: String {
        switch kind {
        case .system(let code): return "\(path): \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .busy: return "\(path): already in use by another process (\(call))"
        case .gone: return "\(path): device gone (\(call))"
        case .unexpected(let why): return "\(path): \(why) (\(call))"
        }
    }
}
