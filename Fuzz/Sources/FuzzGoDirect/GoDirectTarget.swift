import FuzzSupport
import StanceDSP
import StanceProtocols

/// The input is a run of 64-byte HID input reports.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var decoder = GoDirectReportDecoder()
    var start = 0
    while start < bytes.count {
        let report = Array(bytes[start..<min(start + 64, bytes.count)])
        report.withUnsafeBytes { raw in
            decoder.decode(report: raw) { sample in
                precondition((1...16).contains(sample.channelCount))
                precondition((0..<sample.channelCount).allSatisfy { sample.values[$0].isFinite })
            }
        }
        start += 64
    }
    precondition(decoder.counters.bytesReceived == UInt64(size))
    return 0
}

@_cdecl("FuzzGoDirect_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
