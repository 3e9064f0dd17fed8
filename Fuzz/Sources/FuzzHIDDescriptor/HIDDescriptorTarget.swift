import FuzzSupport
import StanceDSP
import StanceProtocols

/// The first byte splits the input: a descriptor, then reports for an extractor built from it.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    let split = min(Int(first) + 1, bytes.count)
    guard let descriptor = try? HIDReportDescriptor(parsing: Array(bytes[1..<split])) else { return 0 }
    for field in descriptor.fields {
        precondition(field.bitOffset >= 0 && field.bitSize >= 0 && field.count >= 0)
        precondition(field.bitOffset + field.bitSize * field.count <= HIDReportDescriptor.maximumReportBits)
    }
    // An extractor for every usable input value (up to 16), fed the rest of the input as reports.
    var channels: [HIDChannel] = []
    for field in descriptor.fields where field.kind == .input && field.isVariable && !field.isConstant && field.bitSize <= 32 {
        for value in 0..<field.count where channels.count < 16 {
            channels.append(HIDChannel(.bits(reportID: field.reportID, bitOffset: field.bitOffset + value * field.bitSize,
                                             bitSize: max(field.bitSize, 1), signed: field.isSigned)))
        }
    }
    guard let reportID = channels.first.map({ channel -> UInt8 in
        if case .bits(let id, _, _, _) = channel.source { return id } else { return 0 }
    }) else { return 0 }
    let sameReport = channels.filter { if case .bits(let id, _, _, _) = $0.source { id == reportID } else { false } }
    guard var extractor = try? HIDReportExtractor(descriptor: descriptor, channels: sameReport) else { return 0 }
    let reports = Array(bytes[split...])
    let length = max(extractor.reportLength + (extractor.usesReportIDs ? 1 : 0), 1)
    var start = 0
    while start < reports.count {
        let end = min(start + length, reports.count)
        let sample = Array(reports[start..<end]).withUnsafeBytes { extractor.extract($0) }
        if let sample { precondition((0..<sample.channelCount).allSatisfy { sample.values[$0].isFinite }) }
        start = end
    }
    return 0
}

@_cdecl("FuzzHIDDescriptor_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
