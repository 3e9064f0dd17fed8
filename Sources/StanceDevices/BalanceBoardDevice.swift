#if canImport(Glibc)
import Glibc
#endif
import StanceDSP
import StanceProtocols

/// A Wii Balance Board's evdev node, opened and checked: its name must be hid-wiimote's board
/// name, its four axes are read (`EVIOCGABS`) to seed the decoder's held values, and it is grabbed
/// (`EVIOCGRAB`) so a desktop does not also consume it. After `SYN_DROPPED` the axes are read
/// again, as the kernel's evdev documentation asks.
public final class BalanceBoardDevice: @unchecked Sendable {
    public let path: String
    public let name: String
    public let identity: InputIdentity
    /// Axes TL, TR, BL, BR as the kernel reports their state and range.
    public private(set) var axes: [AbsoluteAxis]
    public private(set) var decoder: BalanceBoardEventDecoder
    public private(set) var descriptor: Int32
    /// Reports in which a cell sat at its axis's maximum: the reading is clipped, the force unknown.
    public private(set) var saturatedReports: UInt64 = 0
    private let ioctls: any DeviceIoctls
    private let grabbed: Bool

    /// Codes of the axes in lane order TL, TR, BL, BR.
    static let axisCodes: [UInt16] = Evdev.BalanceBoardAxis.allCases.sorted { $0.plateLane < $1.plateLane }.map(\.rawValue)

    public init(path: String, ioctls: any DeviceIoctls = LinuxDeviceIoctls(), grab: Bool = true) throws(DeviceError) {
        self.path = path
        self.ioctls = ioctls
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .lastSystemError("open", path) }
        do throws(DeviceError) {
            name = try ioctls.inputName(descriptor, path: path)
            guard name == Evdev.balanceBoardName else {
                throw DeviceError("EVIOCGNAME", path, kind: .unexpected("input device '\(name)' is not '\(Evdev.balanceBoardName)'"))
            }
            identity = try ioctls.inputIdentity(descriptor, path: path)
            axes = try Self.readAxes(descriptor, ioctls: ioctls, path: path)
            decoder = BalanceBoardEventDecoder(initialCells: Self.cells(axes))
            if grab { try ioctls.grab(descriptor, true, path: path) }
            grabbed = grab
        } catch {
            Glibc.close(descriptor)
            descriptor = -1
            throw error
        }
    }

    deinit { close() }

    private static func readAxes(_ descriptor: Int32, ioctls: any DeviceIoctls, path: String) throws(DeviceError) -> [AbsoluteAxis] {
        var axes: [AbsoluteAxis] = []
        for code in axisCodes { axes.append(try ioctls.absoluteAxis(descriptor, code: code, path: path)) }
        return axes
    }

    private static func cells(_ axes: [AbsoluteAxis]) -> SIMD4<Double> {
        SIMD4(Double(axes[0].value), Double(axes[1].value), Double(axes[2].value), Double(axes[3].value))
    }

    /// The most each cell can report (the axes' maxima, kernel units of 10 g), lanes TL TR BL BR.
    public var cellMaxima: SIMD4<Double> {
        SIMD4(Double(axes[0].maximum), Double(axes[1].maximum), Double(axes[2].maximum), Double(axes[3].maximum))
    }

    /// Reads and decodes every event waiting, calling `emit` per `SYN_REPORT`.
    /// - Returns: `false` when the device has gone (unplugged).
    public func readAvailable(_ emit: (DeviceSample) -> Void) throws(DeviceError) -> Bool {
        var buffer = [UInt8](repeating: 0, count: Evdev.eventSize * 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return false }
            if count < 0 {
                switch errno {
                case EAGAIN, EINTR: return true
                case ENODEV, EIO: return false
                default: throw .lastSystemError("read", path)
                }
            }
            let maxima = cellMaxima
            var saturated: UInt64 = 0
            buffer.withUnsafeBytes {
                decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<count])) { sample in
                    if any(sample.plateCells .>= maxima) { saturated += 1 }
                    emit(sample)
                }
            }
            saturatedReports += saturated
            if decoder.needsResynchronisation {
                axes = try Self.readAxes(descriptor, ioctls: ioctls, path: path)
                decoder.resynchronise(cells: Self.cells(axes))
            }
        }
    }

    /// Releases the grab and closes the node.
    public func close() {
        guard descriptor >= 0 else { return }
        if grabbed { try? ioctls.grab(descriptor, false, path: path) }
        Glibc.close(descriptor)
        descriptor = -1
    }
}
