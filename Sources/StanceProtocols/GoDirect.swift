import StanceDSP

/// Vernier Go Direct devices over USB HID (GDX-FP force plate, GDX-FOR force sensor…), as
/// VernierST/godirect-py (`godirect/device.py`, `backend_usb.py`, `device_usb.py`) and
/// godirect-js (`src/WebUsbDeviceAdapter.js`) speak to them.
///
/// Reports are 64 bytes; the first data byte of each is the count of packet bytes that follow. Host
/// packets are `58 LEN COUNTER CHECKSUM COMMAND payload…`, where COUNTER starts at 0xFE and counts
/// down, and CHECKSUM is the low byte of the sum of every other byte of the packet.
public enum GoDirect {
    /// USB ids shared by every Go Direct device: identify one by its product string.
    public static let vendorID: UInt16 = 0x08F7
    public static let productID: UInt16 = 0x0010
    public static let reportLength = 64

    public enum Command: UInt8, Sendable, CaseIterable {
        case getStatus = 0x10
        case startMeasurements = 0x18
        case stopMeasurements = 0x19
        case initialise = 0x1A
        case setMeasurementPeriod = 0x1B
        case getSensorInfo = 0x50
        case getSensorAvailableMask = 0x51
        case disconnect = 0x54
        case getDeviceInfo = 0x55
        case getDefaultSensorsMask = 0x56
    }

    static let commandMarker: UInt8 = 0x58
    static let measurementMarker: UInt8 = 0x20
    /// Measurement packet type with a 16-bit sensor mask and float32 values.
    static let normalReal32: UInt8 = 0x06
}

/// Builds host → device packets with the rolling counter and checksum.
public struct GoDirectCommandEncoder: Sendable {
    private var counter: UInt8 = 0xFF

    public init() {}

    /// The packet for `command` with `payload`, and advances the rolling counter.
    public mutating func packet(_ command: GoDirect.Command, payload: [UInt8] = []) -> [UInt8] {
        counter = counter &- 1
        var packet = [GoDirect.commandMarker, UInt8(5 + payload.count), counter, 0, command.rawValue] + payload
        packet[3] = packet.reduce(0, &+)
        return packet
    }

    /// INIT (with godirect-py's fixed payload); resets the rolling counter first.
    public mutating func initialise() -> [UInt8] {
        counter = 0xFF
        return packet(.initialise, payload: [0xA5, 0x4A, 0x06, 0x49, 0x07, 0x48, 0x08, 0x47, 0x09, 0x46,
                                             0x0A, 0x45, 0x0B, 0x44, 0x0C, 0x43, 0x0D, 0x42, 0x0E, 0x41])
    }

    /// SET_MEASUREMENT_PERIOD, microseconds.
    public mutating func setMeasurementPeriod(microseconds: UInt32) -> [UInt8] {
        packet(.setMeasurementPeriod, payload: [0xFF, 0x00] + littleEndian(microseconds) + [0, 0, 0, 0])
    }

    /// START_MEASUREMENTS for the sensors in `mask` (bit n = sensor n).
    public mutating func startMeasurements(mask: UInt32) -> [UInt8] {
        packet(.startMeasurements, payload: [0xFF, 0x01] + littleEndian(mask) + [UInt8](repeating: 0, count: 8))
    }

    public mutating func stopMeasurements() -> [UInt8] {
        packet(.stopMeasurements, payload: [0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    /// The HID output report carrying `packet`: report ID 0, packet length, packet, zero-padded to
    /// 65 bytes (as godirect-py writes them).
    public static func outputReport(_ packet: [UInt8]) -> [UInt8] {
        let body = [0, UInt8(packet.count)] + packet
        return body + [UInt8](repeating: 0, count: max(0, GoDirect.reportLength + 1 - body.count))
    }

    private func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}

/// Decodes Go Direct input reports into samples: each measurement packet of type real32 carries
/// `count` sets of one float32 per enabled sensor; each set is one sample whose channels are the
/// enabled sensors in ascending order. Other packets (command responses) are counted in
/// `responses`. godirect-py does not verify the checksum of incoming packets and neither do we
/// (no device was at hand to confirm the device computes it as the host does); lengths and types
/// are checked. Allocation-free.
public struct GoDirectReportDecoder: Sendable {
    public private(set) var counters = DecoderCounters()
    public private(set) var responses: UInt64 = 0
    /// Measurement packets of types other than real32 (start time, dropped, period…), skipped.
    public private(set) var otherMeasurements: UInt64 = 0

    public init() {}

    /// One input report as read from hidraw (64 bytes: count, then packet bytes).
    public mutating func decode(report: UnsafeRawBufferPointer, _ emit: (DeviceSample) -> Void) {
        counters.bytesReceived += UInt64(report.count)
        guard let declared = report.first, Int(declared) + 1 <= report.count, declared >= 2 else {
            reject(report.count)
            return
        }
        let packet = UnsafeRawBufferPointer(rebasing: report[1...Int(declared)])
        guard packet[0] == GoDirect.measurementMarker else {
            responses += 1
            counters.framesDecoded += 1
            return
        }
        guard packet.count >= 9, Int(packet[1]) <= packet.count else {
            reject(report.count)
            return
        }
        guard packet[4] == GoDirect.normalReal32 else {
            otherMeasurements += 1
            counters.framesDecoded += 1
            return
        }
        let mask = UInt16(packet[5]) | UInt16(packet[6]) << 8
        let sensors = mask.nonzeroBitCount
        let sets = Int(Int8(bitPattern: packet[7]))
        guard sensors >= 1, sets >= 0, 9 + 4 * sensors * sets <= packet.count else {
            reject(report.count)
            return
        }
        counters.framesDecoded += 1
        var offset = 9
        for _ in 0..<sets {
            var sample = DeviceSample(channelCount: sensors, values: SIMD16())
            var finite = true
            for channel in 0..<sensors {
                let value = Double(Float(bitPattern: packet.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian))
                finite = finite && value.isFinite
                sample.values[channel] = value
                offset += 4
            }
            guard finite else {
                counters.badFrames += 1
                continue
            }
            counters.samplesDecoded += 1
            emit(sample)
        }
    }

    private mutating func reject(_ bytes: Int) {
        counters.badFrames += 1
        counters.bytesDiscarded += UInt64(bytes)
    }
}
