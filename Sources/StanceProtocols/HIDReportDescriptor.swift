/// One field of a HID report: `count` values of `bitSize` bits each, at `bitOffset` bits into the
/// report's data (after the report ID byte, when the device uses report IDs).
public struct HIDReportField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case input, output, feature }

    public var kind: Kind
    /// 0 when the device does not use report IDs.
    public var reportID: UInt8
    public var bitOffset: Int
    public var bitSize: Int
    public var count: Int
    /// Usages as page << 16 | id: one per value for variable fields (the last repeats), the
    /// possible values for array fields.
    public var usages: [UInt32]
    public var logicalMinimum: Int64
    public var logicalMaximum: Int64
    public var physicalMinimum: Int64
    public var physicalMaximum: Int64
    /// Power of ten of the physical unit (e.g. −2: values in hundredths).
    public var unitExponent: Int
    /// The HID unit code (system and exponents of length, mass, time…).
    public var unit: UInt32
    /// Main item flags: bit 0 constant, bit 1 variable, bit 2 relative.
    public var flags: UInt32

    public var isConstant: Bool { flags & 1 != 0 }
    public var isVariable: Bool { flags & 2 != 0 }
    public var isRelative: Bool { flags & 4 != 0 }
    /// Values are two's complement when the logical minimum is negative.
    public var isSigned: Bool { logicalMinimum < 0 }

    /// The usage of value `index` of a variable field.
    public func usage(ofValue index: Int) -> UInt32? {
        usages.isEmpty ? nil : usages[min(index, usages.count - 1)]
    }
}

/// What is wrong with a report descriptor, and at which byte.
public struct HIDDescriptorError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case truncatedItem
        case endCollectionWithoutCollection
        case unclosedCollections(Int)
        case popWithoutPush
        case pushTooDeep
        case reportIDZero
        case reportTooLong(bits: Int)
        case tooManyUsages
        case mainItemWithoutReportSize
    }

    /// Byte offset of the item at fault in the descriptor.
    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .truncatedItem: what = "item runs past the end of the descriptor"
        case .endCollectionWithoutCollection: what = "End Collection without an open Collection"
        case .unclosedCollections(let depth): what = "\(depth) Collection(s) never closed"
        case .popWithoutPush: what = "Pop without Push"
        case .pushTooDeep: what = "more than \(HIDReportDescriptor.maximumPushDepth) nested Push items"
        case .reportIDZero: what = "Report ID 0 is reserved"
        case .reportTooLong(let bits): what = "report would be \(bits) bits long (limit \(HIDReportDescriptor.maximumReportBits))"
        case .tooManyUsages: what = "more than \(HIDReportDescriptor.maximumUsages) usages in one item"
        case .mainItemWithoutReportSize: what = "Input/Output/Feature item before any Report Size"
        }
        return "HID report descriptor, byte \(offset): \(what)"
    }
}

/// A parsed HID report descriptor (Device Class Definition for HID 1.11, §6.2.2): the fields of
/// every input, output and feature report.
public struct HIDReportDescriptor: Sendable, Equatable {
    public static let maximumPushDepth = 16
    public static let maximumReportBits = 8 * 4096
    public static let maximumUsages = 4096

    public private(set) var fields: [HIDReportField] = []
    /// Whether reports start with a report ID byte.
    public private(set) var usesReportIDs = false

    /// A descriptor with no reports.
    public static let empty = HIDReportDescriptor()

    private init() {}

    /// Bytes of data in report `reportID` of `kind`, not counting the report ID byte.
    public func reportLength(_ kind: HIDReportField.Kind, reportID: UInt8) -> Int {
        let bits = fields.filter { $0.kind == kind && $0.reportID == reportID }
            .map { $0.bitOffset + $0.bitSize * $0.count }.max() ?? 0
        return (bits + 7) / 8
    }

    /// Parses `bytes`.
    public init(parsing bytes: [UInt8]) throws(HIDDescriptorError) {
        var global = GlobalState()
        var globalStack: [GlobalState] = []
        var local = LocalState()
        var collectionDepth = 0
        var nextBit: [BitCursor: Int] = [:]
        var index = 0
        while index < bytes.count {
            let itemOffset = index
            let prefix = bytes[index]
            index += 1
            if prefix == 0xFE {
                // Long item: size, tag, data. None are defined; skip it.
                guard index + 2 <= bytes.count else { throw HIDDescriptorError(offset: itemOffset, reason: .truncatedItem) }
                let size = Int(bytes[index])
                index += 2 + size
                guard index <= bytes.count else { throw HIDDescriptorError(offset: itemOffset, reason: .truncatedItem) }
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            guard index + size <= bytes.count else { throw HIDDescriptorError(offset: itemOffset, reason: .truncatedItem) }
            var unsigned: UInt32 = 0
            for byte in 0..<size { unsigned |= UInt32(bytes[index + byte]) << (8 * byte) }
            let signed: Int64 = size == 0 ? 0 : Int64(Int32(bitPattern: unsigned << (32 - 8 * size)) >> (32 - 8 * size))
            index += size
            let tag = prefix >> 4
            switch (prefix >> 2) & 0x03 {
            case 0:  // Main
                switch tag {
                case 0x8, 0x9, 0xB:
                    guard let reportSize = global.reportSize else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .mainItemWithoutReportSize)
                    }
                    let kind: HIDReportField.Kind = tag == 0x8 ? .input : (tag == 0x9 ? .output : .feature)
                    let cursor = BitCursor(kind: kind, reportID: global.reportID)
                    let offset = nextBit[cursor] ?? 0
                    let length = reportSize * global.reportCount
                    guard offset + length <= Self.maximumReportBits else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .reportTooLong(bits: offset + length))
                    }
                    nextBit[cursor] = offset + length
                    fields.append(HIDReportField(
                        kind: kind, reportID: global.reportID, bitOffset: offset, bitSize: reportSize,
                        count: global.reportCount, usages: local.resolvedUsages(page: global.usagePage),
                        logicalMinimum: global.logicalMinimum, logicalMaximum: global.logicalMaximum(),
                        physicalMinimum: global.physicalMinimum, physicalMaximum: global.physicalMaximum,
                        unitExponent: global.unitExponent, unit: global.unit, flags: unsigned))
                case 0xA:
                    collectionDepth += 1
                case 0xC:
                    guard collectionDepth > 0 else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .endCollectionWithoutCollection)
                    }
                    collectionDepth -= 1
                default:
                    break
                }
                local = LocalState()
            case 1:  // Global
                switch tag {
                case 0x0: global.usagePage = UInt16(truncatingIfNeeded: unsigned)
                case 0x1: global.logicalMinimum = signed
                case 0x2: global.logicalMaximumRaw = (signed, Int64(unsigned))
                case 0x3: global.physicalMinimum = signed
                case 0x4: global.physicalMaximum = global.physicalMinimum < 0 ? signed : Int64(unsigned)
                case 0x5:
                    // Many devices send the exponent as a 4-bit two's complement nibble (HID 1.11
                    // §6.2.2.7 is often misread); Linux accepts both, and so do we.
                    global.unitExponent = unsigned <= 0x0F ? Int(Int8(bitPattern: UInt8(unsigned << 4)) >> 4) : Int(signed)
                case 0x6: global.unit = unsigned
                case 0x7: global.reportSize = Int(min(unsigned, 256))
                case 0x8:
                    guard unsigned != 0 else { throw HIDDescriptorError(offset: itemOffset, reason: .reportIDZero) }
                    global.reportID = UInt8(truncatingIfNeeded: unsigned)
                    usesReportIDs = true
                case 0x9: global.reportCount = Int(min(unsigned, UInt32(Self.maximumReportBits)))
                case 0xA:
                    guard globalStack.count < Self.maximumPushDepth else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .pushTooDeep)
                    }
                    globalStack.append(global)
                case 0xB:
                    guard let restored = globalStack.popLast() else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .popWithoutPush)
                    }
                    global = restored
                default:
                    break
                }
            case 2:  // Local
                switch tag {
                case 0x0: local.usages.append((unsigned, size))
                case 0x1: local.minimum = (unsigned, size)
                case 0x2:
                    guard let minimum = local.minimum else { break }
                    let first = minimum.value & 0xFFFF
                    let last = unsigned & 0xFFFF
                    guard last >= first else { break }
                    guard Int(last - first) < Self.maximumUsages - local.usages.count else {
                        throw HIDDescriptorError(offset: itemOffset, reason: .tooManyUsages)
                    }
                    let page = minimum.size == 4 ? minimum.value & 0xFFFF_0000 : 0
                    for usage in first...last { local.usages.append((page | usage, minimum.size)) }
                    local.minimum = nil
                default:
                    break
                }
            default:
                break  // reserved item type: skip
            }
            guard local.usages.count <= Self.maximumUsages else {
                throw HIDDescriptorError(offset: itemOffset, reason: .tooManyUsages)
            }
        }
        guard collectionDepth == 0 else {
            throw HIDDescriptorError(offset: bytes.count, reason: .unclosedCollections(collectionDepth))
        }
    }
}

/// Where the next field of each report goes.
private struct BitCursor: Hashable {
    var kind: HIDReportField.Kind
    var reportID: UInt8
}

/// The global items in force (HID 1.11 §6.2.2.7).
private struct GlobalState {
    var usagePage: UInt16 = 0
    var logicalMinimum: Int64 = 0
    /// Logical Maximum as (signed, unsigned) readings of its data: which applies depends on the
    /// sign of the Logical Minimum (as in Linux's hid-core).
    var logicalMaximumRaw: (signed: Int64, unsigned: Int64) = (0, 0)
    var physicalMinimum: Int64 = 0
    var physicalMaximum: Int64 = 0
    var unitExponent = 0
    var unit: UInt32 = 0
    var reportSize: Int?
    var reportID: UInt8 = 0
    var reportCount = 0

    func logicalMaximum() -> Int64 { logicalMinimum < 0 ? logicalMaximumRaw.signed : logicalMaximumRaw.unsigned }
}

/// The local items of the coming main item.
private struct LocalState {
    var usages: [(value: UInt32, size: Int)] = []
    var minimum: (value: UInt32, size: Int)?

    /// Usages with their page: 4-byte usages carry their own, shorter ones take the Usage Page.
    func resolvedUsages(page: UInt16) -> [UInt32] {
        usages.map { $0.size == 4 ? $0.value : UInt32(page) << 16 | ($0.value & 0xFFFF) }
    }
}
