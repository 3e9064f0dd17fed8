import FuzzSupport
import StanceDSP
import StanceProtocols

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    checkChunkingInvariance(bytes) { chunks in
        var decoder = BalanceBoardEventDecoder()
        var samples: [DeviceSample] = []
        for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
        precondition(decoder.counters.bytesReceived == UInt64(size))
        precondition(decoder.counters.framesDecoded == UInt64(size / 24))
        precondition(samples.allSatisfy { $0.channelCount == 4 })
        return samples
    }
    return 0
}

@_cdecl("FuzzBalanceBoardEvents_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
