#if canImport(Glibc)
import Glibc
#endif
import StanceDSP
import StanceProtocols

/// A hidraw node, opened and described: bus and ids (`HIDIOCGRAWINFO`), name, and its report
/// descriptor (`HIDIOCGRDESC`) parsed, ready to build the profile's report extractor.
public final class HIDRawDevice: @unchecked Sendable {
    public let path: String
    public let identity: InputIdentity
    public let name: String
    public let reportDescriptor: HIDReportDescriptor
    public private(set) var descriptor: Int32
    private let ioctls: any DeviceIoctls

    public convenience init(path: String, ioctls: any DeviceIoctls = LinuxDeviceIoctls()) throws(DeviceError) {
        let descriptor = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .lastSystemError("open", path) }
        try self.init(adopting: descriptor, path: path, ioctls: ioctls)
    }

    /// Takes over an open descriptor (from a device broker, or a test), made non-blocking; closes it
    /// on failure.
    public init(adopting descriptor: Int32, path: String, ioctls: any DeviceIoctls = LinuxDeviceIoctls()) throws(DeviceError) {
        self.path = path
        self.ioctls = ioctls
        self.descriptor = descriptor
        do throws(DeviceError) {
            guard fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) == 0 else {
                throw DeviceError.lastSystemError("fcntl(O_NONBLOCK)", path)
            }
            identity = try ioctls.hidrawIdentity(descriptor, path: path)
            name = try ioctls.hidrawName(descriptor, path: path)
            let bytes = try ioctls.hidrawReportDescriptor(descriptor, path: path)
            do {
                reportDescriptor = try HIDReportDescriptor(parsing: bytes)
            } catch {
                throw DeviceError("HIDIOCGRDESC", path, kind: .unexpected(error.description))
            }
        } catch {
            Glibc.close(descriptor)
            self.descriptor = -1
            throw error
        }
    }

    deinit { close() }

    /// An extractor for the profile's channel specifications (`docs/devices.md`), each scaled by
    /// its gain (one gain for all, or one per channel).
    public func extractor(channels specifications: [String], gains: [Double] = [1]) throws(DeviceError) -> HIDReportExtractor {
        var channels: [HIDChannel] = []
        for (index, specification) in specifications.enumerated() {
            guard let source = HIDChannelSpecification.parse(specification) else {
                throw DeviceError("profile", path, kind: .unexpected("hid channel '\(specification)' is not usage:PAGE:ID[:N] or bits:REPORT:OFFSET:SIZE[:signed]"))
            }
            channels.append(HIDChannel(source, scale: gains.count == 1 ? gains[0] : (index < gains.count ? gains[index] : 1)))
        }
        do {
            return try HIDReportExtractor(descriptor: reportDescriptor, channels: channels)
        } catch {
            throw DeviceError("profile", path, kind: .unexpected(error.description))
        }
    }

    /// Reads one input report (hidraw returns one report per read); `nil` when none is waiting.
    /// Throws `.gone` when the device was unplugged.
    public func readReport(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int? {
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        if count > 0 { return count }
        if count == 0 { throw DeviceError("read", path, kind: .gone) }
        switch errno {
        case EAGAIN, EINTR: return nil
        default: throw .lastSystemError("read", path)
        }
    }

    /// Reads every report waiting, handing each to `body` (in `buffer`, reused).
    /// - Returns: `false` when the device has gone (unplugged).
    public func readAvailableReports(into buffer: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) throws(DeviceError) -> Bool {
        while true {
            let count: Int?
            do {
                count = try readReport(into: buffer)
            } catch {
                if case .gone = error.kind { return false }
                throw error
            }
            guard let count else { return true }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes an output report (for a device that needs a start command, e.g. Go Direct).
    public func writeOutputReport(_ report: [UInt8]) throws(DeviceError) {
        let written = report.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == report.count else { throw .lastSystemError("write", path) }
    }

    public func sendFeatureReport(_ report: [UInt8]) throws(DeviceError) {
        try ioctls.hidrawSendFeatureReport(descriptor, report, path: path)
    }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }
}

/// Profile channel specifications for HID devices.
public enum HIDChannelSpecification {
    /// "usage:PAGE:ID[:OCCURRENCE]" or "bits:REPORT:OFFSET:SIZE[:signed]" (numbers decimal or 0x hex).
    public static func parse(_ text: String) -> HIDChannel.Source? {
        let parts = text.split(separator: ":").map(String.init)
        func number(_ part: String) -> Int? {
            part.hasPrefix("0x") ? Int(part.dropFirst(2), radix: 16) : Int(part)
        }
        switch parts.first {
        case "usage":
            guard parts.count == 3 || parts.count == 4, let page = number(parts[1]).flatMap(UInt16.init(exactly:)),
                  let id = number(parts[2]).flatMap(UInt16.init(exactly:)) else { return nil }
            let occurrence = parts.count == 4 ? number(parts[3]) : 0
            guard let occurrence, occurrence >= 0 else { return nil }
            return .usage(page: page, id: id, occurrence: occurrence)
        case "bits":
            guard parts.count == 4 || (parts.count == 5 && parts[4] == "signed"),
                  let report = number(parts[1]).flatMap(UInt8.init(exactly:)), let offset = number(parts[2]),
                  let size = number(parts[3]) else { return nil }
            return .bits(reportID: report, bitOffset: offset, bitSize: size, signed: parts.count == 5)
        default:
            return nil
        }
    }
}
