#if canImport(Glibc)
import Glibc
#endif
import StanceDSP
import StanceProtocols

/// An open device a `DeviceReader` can poll and drain: a serial port with its decoder, a balance
/// board's evdev node, a hidraw device with its report extractor.
public protocol ReadableDevice: AnyObject, Sendable {
    associatedtype Output: Sendable
    /// The descriptor to poll for input.
    var descriptor: Int32 { get }
    /// What the decoding has seen and thrown away so far.
    var counters: DecoderCounters { get }
    /// Reads and decodes everything waiting; `false` when the device has gone.
    func readAvailable(_ emit: (Output) -> Void) throws(DeviceError) -> Bool
    func close()
}

/// A serial port and the decoder of what it sends.
public final class SerialDevice<Decoder: ByteStreamDecoder>: ReadableDevice, @unchecked Sendable {
    public let port: SerialPort
    public private(set) var decoder: Decoder
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)

    public init(port: SerialPort, decoder: Decoder) {
        self.port = port
        self.decoder = decoder
    }

    deinit { buffer.deallocate() }

    public var descriptor: Int32 { port.descriptor }
    public var counters: DecoderCounters { decoder.counters }

    public func readAvailable(_ emit: (Decoder.Output) -> Void) throws(DeviceError) -> Bool {
        while true {
            switch try port.read(into: buffer) {
            case .nothing: return true
            case .hangUp: return false
            case .bytes(let count):
                decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), emit)
                // A read shorter than the buffer took all there was: no second read (and syscall)
                // just to hear EAGAIN; anything newer wakes the next poll.
                if count < buffer.count { return true }
            }
        }
    }

    public func close() { port.close() }
}

extension BalanceBoardDevice: ReadableDevice {
    public var counters: DecoderCounters { decoder.counters }
}

/// A hidraw device and the extractor of its profile's channels.
public final class HIDRawSampleDevice: ReadableDevice, @unchecked Sendable {
    public let device: HIDRawDevice
    public private(set) var extractor: HIDReportExtractor
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)

    public init(device: HIDRawDevice, extractor: HIDReportExtractor) {
        self.device = device
        self.extractor = extractor
    }

    deinit { buffer.deallocate() }

    public var descriptor: Int32 { device.descriptor }
    public var counters: DecoderCounters { extractor.counters }

    public func readAvailable(_ emit: (DeviceSample) -> Void) throws(DeviceError) -> Bool {
        try device.readAvailableReports(into: buffer) { report in
            if let sample = extractor.extract(report) { emit(sample) }
        }
    }

    public func close() { device.close() }
}
