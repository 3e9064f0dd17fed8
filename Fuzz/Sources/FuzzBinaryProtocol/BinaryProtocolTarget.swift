import FuzzSupport
import StanceDSP
import StanceProtocols

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    checkChunkingInvariance(bytes) { chunks in
        var decoder = BinaryProtocolDecoder()
        var samples: [DeviceSample] = []
        for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
        precondition(decoder.counters.bytesReceived == UInt64(size))
        precondition(decoder.counters.bytesDiscarded <= decoder.counters.bytesReceived)
        precondition(samples.allSatisfy { (1...16).contains($0.channelCount) })
        return samples
    }
    return 0
}

@_cdecl("FuzzBinaryProtocol_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
