import StanceDSP
import StanceProtocols

/// A Vernier Go Direct device on hidraw: started with INIT, SET_MEASUREMENT_PERIOD and
/// START_MEASUREMENTS for the chosen sensors (output reports, as godirect-py sends them), then
/// read as measurement reports; stopped with STOP on close.
public final class GoDirectDevice: ReadableDevice, @unchecked Sendable {
    public let device: HIDRawDevice
    public private(set) var decoder = GoDirectReportDecoder()
    private var commands = GoDirectCommandEncoder()
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128, alignment: 16)

    /// Opens nothing itself: give it an open hidraw device whose ids are Go Direct's.
    public init(device: HIDRawDevice) throws(DeviceError) {
        guard device.identity.vendor == GoDirect.vendorID, device.identity.product == GoDirect.productID else {
            throw DeviceError("HIDIOCGRAWINFO", device.path, kind: .unexpected(
                "USB ids \(String(device.identity.vendor, radix: 16)):\(String(device.identity.product, radix: 16)) are not Go Direct's 08f7:0010"))
        }
        self.device = device
    }

    deinit { buffer.deallocate() }

    /// Starts measuring: sensors in `mask` (bit n = sensor n), one sample every `periodMicroseconds`.
    public func start(sensorMask mask: UInt32, periodMicroseconds: UInt32) throws(DeviceError) {
        try device.writeOutputReport(GoDirectCommandEncoder.outputReport(commands.initialise()))
        try device.writeOutputReport(GoDirectCommandEncoder.outputReport(commands.setMeasurementPeriod(microseconds: periodMicroseconds)))
        try device.writeOutputReport(GoDirectCommandEncoder.outputReport(commands.startMeasurements(mask: mask)))
    }

    public var descriptor: Int32 { device.descriptor }
    public var counters: DecoderCounters { decoder.counters }

    public func readAvailable(_ emit: (DeviceSample) -> Void) throws(DeviceError) -> Bool {
        try device.readAvailableReports(into: buffer) { report in decoder.decode(report: report, emit) }
    }

    /// Sends STOP (best effort: the device may be gone) and closes.
    public func close() {
        if device.descriptor >= 0 { try? device.writeOutputReport(GoDirectCommandEncoder.outputReport(commands.stopMeasurements())) }
        device.close()
    }
}
