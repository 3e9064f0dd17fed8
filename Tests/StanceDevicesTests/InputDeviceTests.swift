import Foundation
import StanceDSP
import StanceDevices
import StanceProtocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The ioctl boundary, faked: recorded answers of a balance board and a HID device, and a log of
/// the calls. Everything above it — opening, reading real file descriptors, decoding — is real.
final class FakeDeviceIoctls: DeviceIoctls, @unchecked Sendable {
    private let lock = NSLock()
    var name = Evdev.balanceBoardName
    var axisValues: [UInt16: Int32] = [0x12: 1100, 0x10: 1200, 0x13: 1300, 0x11: 1400]
    var hidDescriptor: [UInt8] = []
    var hidIdentity = InputIdentity(bustype: 3, vendor: 0x08F7, product: 0x0010)
    private(set) var calls: [String] = []

    private func log(_ call: String) { lock.lock(); calls.append(call); lock.unlock() }

    func inputName(_ descriptor: Int32, path: String) throws(DeviceError) -> String { log("EVIOCGNAME"); return name }
    func inputIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity {
        log("EVIOCGID")
        return InputIdentity(bustype: 5, vendor: 0x057E, product: 0x0306)
    }
    func absoluteAxis(_ descriptor: Int32, code: UInt16, path: String) throws(DeviceError) -> AbsoluteAxis {
        log("EVIOCGABS \(code)")
        lock.lock(); defer { lock.unlock() }
        return AbsoluteAxis(value: axisValues[code] ?? 0, minimum: 0, maximum: 65535, fuzz: 2, flat: 4)
    }
    func grab(_ descriptor: Int32, _ grab: Bool, path: String) throws(DeviceError) { log("EVIOCGRAB \(grab)") }
    func hidrawIdentity(_ descriptor: Int32, path: String) throws(DeviceError) -> InputIdentity {
        log("HIDIOCGRAWINFO")
        return hidIdentity
    }
    func hidrawName(_ descriptor: Int32, path: String) throws(DeviceError) -> String { log("HIDIOCGRAWNAME"); return "Vernier GDX-FP" }
    func hidrawReportDescriptor(_ descriptor: Int32, path: String) throws(DeviceError) -> [UInt8] { log("HIDIOCGRDESC"); return hidDescriptor }
    func hidrawSendFeatureReport(_ descriptor: Int32, _ report: [UInt8], path: String) throws(DeviceError) { log("HIDIOCSFEATURE") }
}

/// A balance board whose "device node" is a pipe: events written to the returned descriptor
/// reach the board's reads.
private func openBoard(_ ioctls: FakeDeviceIoctls) throws -> (BalanceBoardDevice, writeEnd: Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
    defer { close(ends[0]) }  // the board opens its own descriptor of the pipe
    do {
        return (try BalanceBoardDevice(path: "/proc/self/fd/\(ends[0])", ioctls: ioctls), ends[1])
    } catch {
        close(ends[1])
        throw error
    }
}

private func event(_ type: UInt16, _ code: UInt16, _ value: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    Evdev.Event(seconds: 10, microseconds: 500, type: type, code: code, value: value).append(to: &bytes)
    return bytes
}

@Suite("evdev and hidraw devices over the faked ioctl boundary", .serialized)
struct InputDeviceTests {
    @Test("a balance board: name checked, axes seed the held values, grabbed while open, released on close")
    func balanceBoard() throws {
        let ioctls = FakeDeviceIoctls()
        let (board, writeEnd) = try openBoard(ioctls)
        defer { close(writeEnd) }
        #expect(board.name == Evdev.balanceBoardName && board.identity.vendor == 0x057E)
        #expect(board.axes.map(\.value) == [1100, 1200, 1300, 1400] && board.axes[0].maximum == 65535)
        // One axis changes; the others keep the values the ioctl gave.
        let bytes = event(3, 0x10, 2222) + event(0, 0, 0)
        _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        var samples: [DeviceSample] = []
        #expect(try board.readAvailable { samples.append($0) })
        #expect(samples.map(\.channels) == [[1100, 2222, 1300, 1400]])
        #expect(samples.first?.deviceTimeMicroseconds == 10_000_500)
        board.close()
        #expect(ioctls.calls.first == "EVIOCGNAME" && ioctls.calls.contains("EVIOCGRAB true") && ioctls.calls.last == "EVIOCGRAB false")
    }

    @Test("after SYN_DROPPED the axes are read again and the held values replaced")
    func droppedEvents() throws {
        let ioctls = FakeDeviceIoctls()
        let (board, writeEnd) = try openBoard(ioctls)
        defer { close(writeEnd) }
        defer { board.close() }
        ioctls.axisValues = [0x12: 5, 0x10: 6, 0x13: 7, 0x11: 8]
        let bytes = event(0, 3, 0) + event(3, 0x10, 999) + event(0, 0, 0) + event(0, 0, 0)
        _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        var samples: [DeviceSample] = []
        _ = try board.readAvailable { samples.append($0) }
        #expect(samples.isEmpty, "reports after an overrun wait for the axes to be read again")
        let next = event(0, 0, 0)
        _ = next.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        _ = try board.readAvailable { samples.append($0) }
        #expect(samples.map(\.channels) == [[5, 6, 7, 8]])
        #expect(ioctls.calls.filter { $0.hasPrefix("EVIOCGABS") }.count == 8)
        #expect(board.decoder.counters.overruns == 1)
    }

    @Test("the axes' ranges bound the cells: a cell at its maximum is counted as saturated")
    func saturation() throws {
        let ioctls = FakeDeviceIoctls()
        let (board, writeEnd) = try openBoard(ioctls)
        defer { close(writeEnd) }
        defer { board.close() }
        #expect(board.cellMaxima == SIMD4(repeating: 65535))
        let bytes = event(3, 0x12, 65535) + event(0, 0, 0) + event(3, 0x12, 1000) + event(0, 0, 0)
        _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        var samples: [DeviceSample] = []
        _ = try board.readAvailable { samples.append($0) }
        #expect(samples.count == 2 && board.saturatedReports == 1)
    }

    @Test("an input device that is not a balance board is refused with its name")
    func notABoard() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let ioctls = FakeDeviceIoctls()
        ioctls.name = "Nintendo Wii Remote"
        let error = #expect(throws: DeviceError.self) { try BalanceBoardDevice(path: "/proc/self/fd/\(ends[0])", ioctls: ioctls) }
        #expect(error?.description.contains("'Nintendo Wii Remote' is not 'Nintendo Wii Remote Balance Board'") == true)
    }

    @Test("a hidraw device: its real descriptor parsed, whole reports read one at a time, channels extracted")
    func hidraw() throws {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let ioctls = FakeDeviceIoctls()
        // The eight-axis joystick of Linux drivers/hid/hid-pxrc.c.
        ioctls.hidDescriptor = [
            0x05, 0x01, 0x09, 0x04, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0x09, 0x30, 0x09, 0x36, 0x09, 0x31,
            0x09, 0x32, 0x09, 0x33, 0x09, 0x34, 0x09, 0x35, 0x09, 0x37, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x35,
            0x00, 0x46, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x08, 0x81, 0x02, 0xC0, 0xC0,
        ]
        // A sequenced-packet socket keeps report boundaries, as hidraw does.
        let device = try HIDRawDevice(adopting: ends[0], path: "hidraw-fake", ioctls: ioctls)
        defer { device.close() }
        #expect(device.identity.vendor == 0x08F7 && device.name == "Vernier GDX-FP")
        #expect(device.reportDescriptor.reportLength(.input, reportID: 0) == 8)
        var extractor = try device.extractor(channels: ["usage:0x01:0x30", "usage:1:0x35", "bits:0:56:8"], gains: [2])
        for report: [UInt8] in [[10, 0, 0, 0, 0, 0, 20, 30], [11, 0, 0, 0, 0, 0, 21, 31]] {
            _ = report.withUnsafeBytes { send(ends[1], $0.baseAddress, $0.count, 0) }
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        var values: [[Double]] = []
        while let count = try buffer.withUnsafeMutableBytes({ try device.readReport(into: $0) }) {
            #expect(count == 8, "one read, one report")
            if let sample = Array(buffer.prefix(count)).withUnsafeBytes({ extractor.extract($0) }) { values.append(sample.channels) }
        }
        #expect(values == [[20, 40, 60], [22, 42, 62]])
        #expect(throws: DeviceError.self) { try device.extractor(channels: ["usage:1:0x99"]) }
        #expect(throws: DeviceError.self) { try device.extractor(channels: ["pressure:1"]) }
    }

    @Test("a hidraw device whose descriptor does not parse is refused with the byte at fault")
    func badDescriptor() throws {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let ioctls = FakeDeviceIoctls()
        ioctls.hidDescriptor = [0xA1, 0x01]
        let error = #expect(throws: DeviceError.self) { try HIDRawDevice(adopting: ends[0], path: "hidraw-fake", ioctls: ioctls) }
        #expect(error?.description.contains("byte 2") == true)
    }
}

@Suite("readers for evdev and hidraw devices", .serialized)
struct InputDeviceReaderTests {
    @Test("a balance board on its reader thread: samples with receive times, and the end of the stream as an unplug")
    func balanceBoardReader() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let readEnd = ends[0]
        let ioctls = FakeDeviceIoctls()
        let reader = DeviceReader<BalanceBoardDevice>(path: "board", reopenIntervalSeconds: 60) { _ throws(DeviceError) in
            try BalanceBoardDevice(path: "/proc/self/fd/\(readEnd)", ioctls: ioctls)
        }
        Thread { reader.run() }.start()
        defer { reader.stop() }
        var bytes: [UInt8] = []
        for value in Int32(0)..<50 {
            Evdev.Event(seconds: 1, microseconds: Int64(value), type: 3, code: 0x10, value: 2000 + value).append(to: &bytes)
            Evdev.Event(seconds: 1, microseconds: Int64(value), type: 0, code: 0, value: 0).append(to: &bytes)
        }
        var received: [Received<DeviceSample>] = []
        var events: [DeviceEvent] = []
        let deadline = Date().addingTimeInterval(5)
        while !events.contains(.opened(path: "board")), Date() < deadline {
            while let event = reader.events.pop() { events.append(event) }
            Thread.sleep(forTimeInterval: 0.01)
        }
        close(readEnd)  // the device holds its own descriptor of the pipe now
        _ = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])  // the end of the stream: the reader sees the device go
        while !events.contains(where: { if case .unplugged = $0 { true } else { false } }), Date() < deadline {
            while let sample = reader.outputs.pop() { received.append(sample) }
            while let event = reader.events.pop() { events.append(event) }
            Thread.sleep(forTimeInterval: 0.01)
        }
        while let sample = reader.outputs.pop() { received.append(sample) }
        #expect(received.map { $0.value.values[1] } == (0..<50).map { 2000 + Double($0) })
        #expect(received.allSatisfy { $0.hostNanoseconds > 0 })
        #expect(reader.statistics.hangUps == 1)
    }
}

@Suite("Vernier Go Direct on hidraw", .serialized)
struct GoDirectDeviceTests {
    @Test("start sends INIT, the period and START as output reports; measurement reports become samples; close sends STOP")
    func startReadStop() throws {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let ioctls = FakeDeviceIoctls()
        ioctls.hidDescriptor = [0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x40,
                                0x09, 0x01, 0x81, 0x02, 0x95, 0x40, 0x09, 0x01, 0x91, 0x02, 0xC0]
        let goDirect = try GoDirectDevice(device: HIDRawDevice(adopting: ends[0], path: "go-direct-fake", ioctls: ioctls))
        try goDirect.start(sensorMask: 0b1, periodMicroseconds: 1000)
        var written: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 128)
        for _ in 0..<3 {
            let count = buffer.withUnsafeMutableBytes { recv(ends[1], $0.baseAddress, $0.count, 0) }
            written.append(Array(buffer.prefix(max(count, 0))))
        }
        #expect(written.allSatisfy { $0.count == 65 && $0[0] == 0 })
        #expect(written.map { $0[6] } == [0x1A, 0x1B, 0x18], "INIT, SET_MEASUREMENT_PERIOD, START")
        #expect(Array(written[1][9...12]) == [0xE8, 0x03, 0, 0], "1000 µs")

        var packet: [UInt8] = [0x20, 0, 0x7F, 0, 0x06, 0x01, 0x00, 2, 0]
        for value: Float in [612.5, 613.25] { withUnsafeBytes(of: value.bitPattern.littleEndian) { packet += $0 } }
        packet[1] = UInt8(packet.count)
        let report = [UInt8(packet.count)] + packet + [UInt8](repeating: 0, count: 63 - packet.count)
        _ = report.withUnsafeBytes { send(ends[1], $0.baseAddress, $0.count, 0) }
        var samples: [DeviceSample] = []
        #expect(try goDirect.readAvailable { samples.append($0) })
        #expect(samples.map(\.channels) == [[612.5], [613.25]])
        goDirect.close()
        let count = buffer.withUnsafeMutableBytes { recv(ends[1], $0.baseAddress, $0.count, 0) }
        #expect(count == 65 && buffer[6] == 0x19, "STOP on close")
    }

    @Test("a hidraw device with other USB ids is not taken for a Go Direct")
    func wrongIds() throws {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let ioctls = FakeDeviceIoctls()
        ioctls.hidIdentity = InputIdentity(bustype: 3, vendor: 0x046D, product: 0xC077)
        ioctls.hidDescriptor = [0x75, 0x08, 0x95, 0x01, 0x81, 0x02]
        let device = try HIDRawDevice(adopting: ends[0], path: "mouse", ioctls: ioctls)
        let error = #expect(throws: DeviceError.self) { try GoDirectDevice(device: device) }
        #expect(error?.description.contains("46d:c077") == true)
    }
}
