import StanceDSP

/// Linux input events (`struct input_event` of `include/uapi/linux/input.h` on 64-bit: a
/// `struct timeval` of two 64-bit words, then `__u16 type`, `__u16 code`, `__s32 value`; 24 bytes,
/// host byte order) and the codes the Wii Balance Board uses
/// (`include/uapi/linux/input-event-codes.h`).
public enum Evdev {
    public static let eventSize = 24

    public static let synchronisation: UInt16 = 0x00  // EV_SYN
    public static let key: UInt16 = 0x01  // EV_KEY
    public static let absolute: UInt16 = 0x03  // EV_ABS
    public static let report: UInt16 = 0  // SYN_REPORT
    public static let dropped: UInt16 = 3  // SYN_DROPPED
    public static let buttonA: UInt16 = 0x130  // BTN_A (BTN_SOUTH)

    /// `hid-wiimote`'s balance board axes (`drivers/hid/hid-wiimote-modules.c`,
    /// `wiimod_bboard_in_ext`): ABS_HAT0X top-right, ABS_HAT0Y bottom-right, ABS_HAT1X top-left,
    /// ABS_HAT1Y bottom-left; values in units of 10 g interpolated from the board's calibration.
    public enum BalanceBoardAxis: UInt16, Sendable, CaseIterable {
        case topRight = 0x10  // ABS_HAT0X
        case bottomRight = 0x11  // ABS_HAT0Y
        case topLeft = 0x12  // ABS_HAT1X
        case bottomLeft = 0x13  // ABS_HAT1Y

        /// Lane in a plate sample ordered TL, TR, BL, BR.
        public var plateLane: Int {
            switch self {
            case .topLeft: return 0
            case .topRight: return 1
            case .bottomLeft: return 2
            case .bottomRight: return 3
            }
        }
    }

    /// The input device name `hid-wiimote` gives a balance board.
    public static let balanceBoardName = "Nintendo Wii Remote Balance Board"
    /// Kilograms per unit of the balance board axes.
    public static let balanceBoardKilogramsPerUnit = 0.01

    /// One event.
    public struct Event: Sendable, Equatable {
        public var seconds: Int64
        public var microseconds: Int64
        public var type: UInt16
        public var code: UInt16
        public var value: Int32

        public init(seconds: Int64, microseconds: Int64, type: UInt16, code: UInt16, value: Int32) {
            self.seconds = seconds
            self.microseconds = microseconds
            self.type = type
            self.code = code
            self.value = value
        }

        /// Appends the 24-byte record (little-endian, as on x86-64 and arm64 Linux).
        public func append(to bytes: inout [UInt8]) {
            withUnsafeBytes(of: seconds.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: microseconds.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: type.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: code.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
    }
}

/// Decodes a Wii Balance Board's evdev stream into plate samples: four channels TL, TR, BL, BR in
/// the kernel's units (0.01 kg), the event time in microseconds, one sample per `SYN_REPORT`.
///
/// The input core sends only axes that changed, so the decoder holds the last value of each axis
/// (seed them with `EVIOCGABS` values when opening the device). After `SYN_DROPPED` it discards
/// everything up to and including the next `SYN_REPORT`, counts an overrun, and sets
/// `needsResynchronisation`: until the device layer re-reads the axes and calls
/// `resynchronise(cells:)`, reports would carry stale values, so they are counted in
/// `samplesMissed` instead of emitted. Allocation-free.
public struct BalanceBoardEventDecoder: Sendable {
    public private(set) var counters = DecoderCounters()
    /// Held axis values, lanes TL, TR, BL, BR, 0.01 kg.
    public private(set) var heldCells = SIMD4<Double>()
    /// Whether the board's button is pressed.
    public private(set) var buttonPressed = false
    /// True after `SYN_DROPPED` until the device layer calls `resynchronise(cells:)`.
    public private(set) var needsResynchronisation = false
    /// Events of types or codes the board does not use.
    public private(set) var eventsIgnored: UInt64 = 0

    private var record = InlineArray<24, UInt8>(repeating: 0)
    private var recordLength = 0
    private var dropping = false

    /// - Parameter initialCells: the axes' current values (EVIOCGABS), lanes TL TR BL BR.
    public init(initialCells: SIMD4<Double> = SIMD4()) {
        heldCells = initialCells
    }

    /// Replaces the held values with freshly read ones (after `SYN_DROPPED`).
    public mutating func resynchronise(cells: SIMD4<Double>) {
        heldCells = cells
        needsResynchronisation = false
    }

    /// Decodes `bytes` (any chunking), calling `emit` at each `SYN_REPORT`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (DeviceSample) -> Void) {
        counters.bytesReceived += UInt64(bytes.count)
        for byte in bytes {
            record[recordLength] = byte
            recordLength += 1
            if recordLength == Evdev.eventSize {
                recordLength = 0
                let snapshot = record
                let event = withUnsafeBytes(of: snapshot) { raw in
                    Evdev.Event(
                        seconds: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self)),
                        microseconds: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self)),
                        type: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt16.self)),
                        code: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 18, as: UInt16.self)),
                        value: Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 20, as: Int32.self)))
                }
                handle(event, emit)
            }
        }
    }

    private mutating func handle(_ event: Evdev.Event, _ emit: (DeviceSample) -> Void) {
        counters.framesDecoded += 1
        switch (event.type, event.code) {
        case (Evdev.synchronisation, Evdev.report):
            if dropping {
                dropping = false
                return
            }
            if needsResynchronisation {
                counters.samplesMissed += 1
                return
            }
            var sample = DeviceSample(channelCount: 4, values: SIMD16(lowHalf: SIMD8(lowHalf: heldCells, highHalf: SIMD4()), highHalf: SIMD8()))
            let microseconds = event.seconds &* 1_000_000 &+ event.microseconds
            sample.deviceTimeMicroseconds = microseconds >= 0 ? UInt64(microseconds) : nil
            counters.samplesDecoded += 1
            emit(sample)
        case (Evdev.synchronisation, Evdev.dropped):
            counters.overruns += 1
            dropping = true
            needsResynchronisation = true
        case (Evdev.absolute, _):
            guard let axis = Evdev.BalanceBoardAxis(rawValue: event.code) else {
                eventsIgnored += 1
                return
            }
            if !dropping { heldCells[axis.plateLane] = Double(event.value) }
        case (Evdev.key, Evdev.buttonA):
            if !dropping { buttonPressed = event.value != 0 }
        default:
            eventsIgnored += 1
        }
    }
}

/// Writes the evdev stream a balance board produces for a series of plate samples: `EV_ABS`
/// events for the axes that changed (as the input core filters unchanged values), then
/// `SYN_REPORT`, stamped with the sample's time. Values are rounded to whole units (10 g).
public struct BalanceBoardEventEncoder: Sendable {
    private var previous: SIMD4<Double>?

    public init() {}

    public mutating func encode(_ sample: DeviceSample, into bytes: inout [UInt8]) {
        let microseconds = Int64(clamping: sample.deviceTimeMicroseconds ?? 0)
        let seconds = microseconds / 1_000_000
        let fraction = microseconds % 1_000_000
        let cells = sample.plateCells
        for axis in Evdev.BalanceBoardAxis.allCases {
            let value = Self.axisValue(cells[axis.plateLane])
            guard previous.map({ $0[axis.plateLane] != value }) ?? true else { continue }
            Evdev.Event(seconds: seconds, microseconds: fraction, type: Evdev.absolute, code: axis.rawValue,
                        value: Int32(value)).append(to: &bytes)
        }
        Evdev.Event(seconds: seconds, microseconds: fraction, type: Evdev.synchronisation, code: Evdev.report, value: 0)
            .append(to: &bytes)
        previous = SIMD4(Self.axisValue(cells[0]), Self.axisValue(cells[1]), Self.axisValue(cells[2]), Self.axisValue(cells[3]))
    }

    /// A cell value as the axis reports it: whole units within the axis range 0…65535.
    private static func axisValue(_ value: Double) -> Double {
        value.isNaN ? 0 : min(max(value.rounded(), 0), 65535)
    }
}
