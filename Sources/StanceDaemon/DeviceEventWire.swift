import StanceDevices
import StanceWire

extension DeviceEvent {
    /// The EVENT a reader's event becomes, for the device at `devicePath`.
    func wireEvent(devicePath: String) -> WireEvent {
        switch self {
        case .opened(let path): .deviceOpened(path: path)
        case .openFailed(let reason), .readFailed(let reason): .deviceOpenFailed(path: devicePath, reason: reason)
        case .unplugged: .deviceUnplugged(path: devicePath)
        case .reopened(let path, let gap): .deviceReopened(path: path, gapSeconds: Double(gap) / 1e9)
        }
    }

    /// When it happened, when the reader says (an unplug carries its own time), `CLOCK_MONOTONIC` ns.
    var hostNanoseconds: UInt64? {
        if case .unplugged(let time) = self { time } else { nil }
    }
}
