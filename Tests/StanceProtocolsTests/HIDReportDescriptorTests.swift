import StanceDSP
import StanceProtocols
import Testing

/// Real descriptors, byte for byte, from public sources.
enum PublicDescriptors {
    /// Boot keyboard, Linux `Documentation/usb/gadget_hid.rst` (the HID 1.11 Appendix E.6 example).
    static let keyboard: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
        0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x03, 0x95, 0x05, 0x75, 0x01,
        0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x03, 0x95, 0x06,
        0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
    ]
    /// Mouse with report IDs 3 and 5 and a vendor feature report, Linux `drivers/hid/hid-xiaomi.c`.
    static let mouse: [UInt8] = [
        0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x03, 0x09, 0x01, 0xA1, 0x00, 0x05, 0x09, 0x19, 0x01,
        0x29, 0x05, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x05, 0x81, 0x02, 0x75, 0x03, 0x95, 0x01,
        0x81, 0x01, 0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x02,
        0x81, 0x06, 0x09, 0x38, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x01, 0x81, 0x06, 0xC0, 0xC0,
        0x06, 0x01, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x05, 0x09, 0x05, 0x15, 0x00, 0x26, 0xFF, 0x00,
        0x75, 0x08, 0x95, 0x04, 0xB1, 0x02, 0xC0,
    ]
    /// Eight-axis joystick (RC transmitter adapter), Linux `drivers/hid/hid-pxrc.c`.
    static let joystick: [UInt8] = [
        0x05, 0x01, 0x09, 0x04, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0x09, 0x30, 0x09, 0x36, 0x09, 0x31,
        0x09, 0x32, 0x09, 0x33, 0x09, 0x34, 0x09, 0x35, 0x09, 0x37, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x35,
        0x00, 0x46, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x08, 0x81, 0x02, 0xC0, 0xC0,
    ]
    /// A force sensor as a vendor might describe it (ours): two int16 forces, logical ±32767,
    /// physical ±2000 with unit exponent −1 (so ±200.0 N), in report 7.
    static let forceSensor: [UInt8] = [
        0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x07, 0x09, 0x10, 0x09, 0x11, 0x16, 0x01, 0x80,
        0x26, 0xFF, 0x7F, 0x36, 0x30, 0xF8, 0x46, 0xD0, 0x07, 0x55, 0x0F, 0x75, 0x10, 0x95, 0x02, 0x81,
        0x02, 0xC0,
    ]
}

@Suite("HID report descriptors")
struct HIDReportDescriptorTests {
    @Test("boot keyboard: modifier bits, padding, LED output, 6-key array; 8-byte input report")
    func keyboard() throws {
        #expect(PublicDescriptors.keyboard.count == 63)
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.keyboard)
        #expect(!descriptor.usesReportIDs)
        let inputs = descriptor.fields.filter { $0.kind == .input }
        #expect(inputs.map(\.bitOffset) == [0, 8, 16])
        #expect(inputs[0].usages == (0xE0...0xE7).map { 0x0007_0000 | UInt32($0) } && inputs[0].isVariable)
        #expect(inputs[1].isConstant)
        #expect(!inputs[2].isVariable && inputs[2].count == 6 && inputs[2].usages.count == 102 && inputs[2].logicalMaximum == 101)
        #expect(descriptor.reportLength(.input, reportID: 0) == 8)
        #expect(descriptor.reportLength(.output, reportID: 0) == 1)
        #expect(descriptor.fields.first { $0.kind == .output }?.usages.first == 0x0008_0001)
    }

    @Test("mouse with report IDs: signed relative X/Y/wheel in report 3, vendor feature report 5")
    func mouse() throws {
        #expect(PublicDescriptors.mouse.count == 87)
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.mouse)
        #expect(descriptor.usesReportIDs)
        #expect(descriptor.reportLength(.input, reportID: 3) == 4)
        #expect(descriptor.reportLength(.feature, reportID: 5) == 4)
        let axes = try #require(descriptor.fields.first { $0.usages.first == 0x0001_0030 })
        #expect(axes.bitOffset == 8 && axes.count == 2 && axes.isSigned && axes.isRelative)
        #expect(axes.logicalMinimum == -127 && axes.logicalMaximum == 127)
        let vendor = try #require(descriptor.fields.first { $0.kind == .feature })
        #expect(vendor.usages == [0xFF01_0005] && vendor.logicalMaximum == 255)
    }

    @Test("joystick: eight 8-bit axes with their usages in order")
    func joystick() throws {
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.joystick)
        let field = try #require(descriptor.fields.first)
        #expect(field.usages == [0x30, 0x36, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37].map { 0x0001_0000 | UInt32($0) })
        #expect(field.physicalMaximum == 255 && field.logicalMaximum == 255)
    }

    @Test("extraction by usage: mouse X, Y and wheel, signed; other report IDs are skipped and counted")
    func extractMouse() throws {
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.mouse)
        var extractor = try HIDReportExtractor(descriptor: descriptor, channels: [
            HIDChannel(.usage(page: 1, id: 0x30)), HIDChannel(.usage(page: 1, id: 0x31)), HIDChannel(.usage(page: 1, id: 0x38)),
        ])
        let report: [UInt8] = [0x03, 0b0000_0011, 0xFE, 0x05, 0x81]
        let sample = try #require(report.withUnsafeBytes { extractor.extract($0) })
        #expect(sample.channels == [-2, 5, -127])
        #expect([UInt8]([0x05, 1, 2, 3, 4]).withUnsafeBytes { extractor.extract($0) } == nil)
        #expect(extractor.otherReports == 1)
        #expect([UInt8]([0x03, 1]).withUnsafeBytes { extractor.extract($0) } == nil)
        #expect(extractor.counters.badFrames == 1)
    }

    @Test("extraction with physical units: logical ±32767 → ±2000 × 10⁻¹ = ±200.0 N, then a gain")
    func physicalUnits() throws {
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.forceSensor)
        let field = try #require(descriptor.fields.first)
        #expect(field.unitExponent == -1 && field.physicalMinimum == -2000 && field.logicalMinimum == -32767)
        var extractor = try HIDReportExtractor(descriptor: descriptor, channels: [
            HIDChannel(.usage(page: 0xFF00, id: 0x10)), HIDChannel(.usage(page: 0xFF00, id: 0x11), scale: 2),
        ])
        // 32767 → +200.0 N; −32767 → −200.0 N, doubled by the channel's scale.
        let report: [UInt8] = [0x07, 0xFF, 0x7F, 0x01, 0x80]
        let sample = try #require(report.withUnsafeBytes { extractor.extract($0) })
        #expect(abs(sample.values[0] - 200) < 1e-9 && abs(sample.values[1] + 400) < 1e-9)
    }

    @Test("extraction by bit field: vendor bytes read raw, signed or not")
    func bitFields() throws {
        let descriptor = try HIDReportDescriptor(parsing: PublicDescriptors.joystick)
        var extractor = try HIDReportExtractor(descriptor: descriptor, channels: [
            HIDChannel(.bits(reportID: 0, bitOffset: 4, bitSize: 12, signed: false)),
            HIDChannel(.bits(reportID: 0, bitOffset: 16, bitSize: 16, signed: true), scale: 0.5),
        ])
        let sample = try #require([UInt8]([0xAB, 0xCD, 0xFE, 0xFF, 0, 0, 0, 0]).withUnsafeBytes { extractor.extract($0) })
        #expect(sample.channels == [0xCDA, -1])
    }

    @Test("malformed descriptors are refused with the byte at fault")
    func malformed() {
        #expect(throws: HIDDescriptorError(offset: 0, reason: .truncatedItem)) { try HIDReportDescriptor(parsing: [0x26, 0xFF]) }
        #expect(throws: HIDDescriptorError(offset: 0, reason: .endCollectionWithoutCollection)) { try HIDReportDescriptor(parsing: [0xC0]) }
        #expect(throws: HIDDescriptorError(offset: 2, reason: .unclosedCollections(1))) { try HIDReportDescriptor(parsing: [0xA1, 0x01]) }
        #expect(throws: HIDDescriptorError(offset: 0, reason: .popWithoutPush)) { try HIDReportDescriptor(parsing: [0xB4]) }
        #expect(throws: HIDDescriptorError(offset: 0, reason: .reportIDZero)) { try HIDReportDescriptor(parsing: [0x85, 0x00]) }
        #expect(throws: HIDDescriptorError(offset: 0, reason: .mainItemWithoutReportSize)) { try HIDReportDescriptor(parsing: [0x81, 0x02]) }
        // Report Size 32 × Report Count 65535 (clamped to 32768) cannot fit in a report.
        #expect(throws: HIDDescriptorError(offset: 5, reason: .reportTooLong(bits: 32 * 32768))) {
            try HIDReportDescriptor(parsing: [0x75, 0x20, 0x96, 0xFF, 0xFF, 0x81, 0x02])
        }
        #expect(HIDDescriptorError(offset: 5, reason: .popWithoutPush).description.contains("byte 5"))
    }

    @Test("profiles that do not fit the descriptor are refused with the reason")
    func badProfiles() throws {
        let mouse = try HIDReportDescriptor(parsing: PublicDescriptors.mouse)
        #expect(throws: HIDExtractorError.usageNotFound(page: 1, id: 0x32, occurrence: 0)) {
            try HIDReportExtractor(descriptor: mouse, channels: [HIDChannel(.usage(page: 1, id: 0x32))])
        }
        #expect(throws: HIDExtractorError.bitsBeyondReport(reportID: 3, bitOffset: 30, bitSize: 8, reportBits: 32)) {
            try HIDReportExtractor(descriptor: mouse, channels: [HIDChannel(.bits(reportID: 3, bitOffset: 30, bitSize: 8, signed: false))])
        }
        #expect(throws: HIDExtractorError.noChannels) { try HIDReportExtractor(descriptor: mouse, channels: []) }
    }
}
