import FuzzSupport
import StanceDSP
import StanceProtocols

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    checkChunkingInvariance(bytes) { chunks in
        var decoder = LineProtocolDecoder()
        var events: [LineProtocolEvent] = []
        for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { events.append($0) } } }
        precondition(decoder.counters.bytesReceived == UInt64(size))
        precondition(decoder.counters.bytesDiscarded <= decoder.counters.bytesReceived)
        for case .sample(let sample) in events {
            precondition((1...16).contains(sample.channelCount))
            precondition((0..<sample.channelCount).allSatisfy { sample.values[$0].isFinite })
        }
        return events
    }
    return 0
}

@_cdecl("FuzzLineProtocol_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
