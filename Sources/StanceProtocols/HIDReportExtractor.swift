#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StanceDSP

/// Where a channel's value sits in a HID input report, as a device profile says it.
public struct HIDChannel: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// The `occurrence`-th value (0-based) with this usage in the input reports. Converted from
        /// logical to physical units when the descriptor gives a physical range, then × 10^exponent.
        case usage(page: UInt16, id: UInt16, occurrence: Int = 0)
        /// A raw bit field of an input report's data (after the report ID byte), for devices whose
        /// descriptor says only "vendor-defined bytes".
        case bits(reportID: UInt8, bitOffset: Int, bitSize: Int, signed: Bool)
    }

    public var source: Source
    /// Applied last: value × scale + offset (e.g. a calibration into newtons).
    public var scale: Double
    public var offset: Double

    public init(_ source: Source, scale: Double = 1, offset: Double = 0) {
        self.source = source
        self.scale = scale
        self.offset = offset
    }
}

/// Why a profile's channels do not fit a descriptor.
public enum HIDExtractorError: Error, Equatable, Sendable, CustomStringConvertible {
    case noChannels
    case tooManyChannels(Int)
    case usageNotFound(page: UInt16, id: UInt16, occurrence: Int)
    case fieldTooWide(bits: Int)
    case channelsInDifferentReports([UInt8])
    case bitsBeyondReport(reportID: UInt8, bitOffset: Int, bitSize: Int, reportBits: Int)

    public var description: String {
        switch self {
        case .noChannels: return "the profile maps no channels"
        case .tooManyChannels(let count): return "\(count) channels; at most \(DeviceSample.maximumChannels)"
        case .usageNotFound(let page, let id, let occurrence):
            return "usage page 0x\(String(page, radix: 16, uppercase: true)) id 0x\(String(id, radix: 16, uppercase: true))"
                + " (occurrence \(occurrence)) is not in any input report"
        case .fieldTooWide(let bits): return "a \(bits)-bit field is wider than the 32 bits a channel can hold"
        case .channelsInDifferentReports(let ids): return "channels come from different reports \(ids): one sample must be one report"
        case .bitsBeyondReport(let id, let offset, let size, let reportBits):
            return "bits \(offset)..<\(offset + size) are beyond input report \(id) (\(reportBits) bits)"
        }
    }
}

/// Turns input reports into samples: each channel of the profile read from its bit field and
/// converted to physical units. Resolved once at `init`; `extract` allocates nothing.
public struct HIDReportExtractor: Sendable {
    /// The input report the channels come from (0 when the device has no report IDs).
    public let reportID: UInt8
    public let usesReportIDs: Bool
    /// Bytes of data in the report (not counting the report ID byte).
    public let reportLength: Int
    public private(set) var counters = DecoderCounters()
    /// Reports with another report ID (the device's other reports), skipped.
    public private(set) var otherReports: UInt64 = 0

    private struct Slot: Sendable {
        var bitOffset: Int
        var bitSize: Int
        var signed: Bool
        var multiplier: Double
        var addend: Double
    }
    private let slots: [Slot]

    public init(descriptor: HIDReportDescriptor, channels: [HIDChannel]) throws(HIDExtractorError) {
        guard !channels.isEmpty else { throw .noChannels }
        guard channels.count <= DeviceSample.maximumChannels else { throw .tooManyChannels(channels.count) }
        var resolved: [(reportID: UInt8, slot: Slot)] = []
        for channel in channels {
            switch channel.source {
            case .usage(let page, let id, let occurrence):
                let wanted = UInt32(page) << 16 | UInt32(id)
                var seen = 0
                var found: (UInt8, Slot)?
                search: for field in descriptor.fields where field.kind == .input && field.isVariable && !field.isConstant {
                    for value in 0..<field.count where field.usage(ofValue: value) == wanted {
                        if seen == occurrence {
                            guard field.bitSize <= 32 else { throw .fieldTooWide(bits: field.bitSize) }
                            found = (field.reportID, Self.slot(for: field, value: value, channel: channel))
                            break search
                        }
                        seen += 1
                    }
                }
                guard let found else { throw .usageNotFound(page: page, id: id, occurrence: occurrence) }
                resolved.append(found)
            case .bits(let reportID, let bitOffset, let bitSize, let signed):
                guard bitSize >= 1, bitSize <= 32 else { throw .fieldTooWide(bits: bitSize) }
                let reportBits = 8 * descriptor.reportLength(.input, reportID: reportID)
                guard bitOffset >= 0, bitOffset + bitSize <= reportBits else {
                    throw .bitsBeyondReport(reportID: reportID, bitOffset: bitOffset, bitSize: bitSize, reportBits: reportBits)
                }
                resolved.append((reportID, Slot(bitOffset: bitOffset, bitSize: bitSize, signed: signed,
                                                multiplier: channel.scale, addend: channel.offset)))
            }
        }
        let ids = Array(Set(resolved.map(\.reportID))).sorted()
        guard ids.count == 1 else { throw .channelsInDifferentReports(ids) }
        reportID = ids[0]
        usesReportIDs = descriptor.usesReportIDs
        reportLength = descriptor.reportLength(.input, reportID: reportID)
        slots = resolved.map(\.slot)
    }

    /// logical → physical (when a physical range is given) → × 10^exponent → × scale + offset,
    /// folded into one multiply-add.
    private static func slot(for field: HIDReportField, value: Int, channel: HIDChannel) -> Slot {
        var multiplier = 1.0
        var addend = 0.0
        let hasPhysicalRange = field.physicalMinimum != 0 || field.physicalMaximum != 0
        if hasPhysicalRange, field.logicalMaximum != field.logicalMinimum {
            multiplier = Double(field.physicalMaximum - field.physicalMinimum) / Double(field.logicalMaximum - field.logicalMinimum)
            addend = Double(field.physicalMinimum) - Double(field.logicalMinimum) * multiplier
        }
        let power = pow(10.0, Double(field.unitExponent))
        return Slot(bitOffset: field.bitOffset + value * field.bitSize, bitSize: field.bitSize, signed: field.isSigned,
                    multiplier: multiplier * power * channel.scale, addend: addend * power * channel.scale + channel.offset)
    }

    /// The sample in one input report as read from hidraw (starting with the report ID byte when
    /// the device uses report IDs); `nil` for another report ID or a short report (counted).
    public mutating func extract(_ report: UnsafeRawBufferPointer) -> DeviceSample? {
        counters.bytesReceived += UInt64(report.count)
        var data = report
        if usesReportIDs {
            guard let id = report.first, id == reportID else {
                otherReports += 1
                return nil
            }
            data = UnsafeRawBufferPointer(rebasing: report[1...])
        }
        guard data.count >= reportLength else {
            counters.badFrames += 1
            counters.bytesDiscarded += UInt64(report.count)
            return nil
        }
        var sample = DeviceSample(channelCount: slots.count, values: SIMD16())
        for (index, slot) in slots.enumerated() {
            let raw = Self.bits(data, offset: slot.bitOffset, size: slot.bitSize)
            let value: Double = slot.signed
                ? Double(Int64(bitPattern: raw << UInt64(64 - slot.bitSize)) >> (64 - slot.bitSize))
                : Double(raw)
            sample.values[index] = value * slot.multiplier + slot.addend
        }
        counters.framesDecoded += 1
        counters.samplesDecoded += 1
        return sample
    }

    /// `size` bits (≤ 32) at bit `offset`, little-endian bit order as HID defines it.
    @inline(__always)
    private static func bits(_ data: UnsafeRawBufferPointer, offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        let firstByte = offset / 8
        let lastByte = (offset + size - 1) / 8
        for byte in stride(from: lastByte, through: firstByte, by: -1) { value = value << 8 | UInt64(data[byte]) }
        return (value >> UInt64(offset % 8)) & ((1 << UInt64(size)) - 1)
    }
}
