import FuzzSupport
import StanceDSP
import StanceProtocols

func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    checkChunkingInvariance(bytes) { chunks in
        var decoder = WitMotionDecoder(configuration: WitMotion.Configuration(quaternionOrder: size % 2 == 0 ? .wxyz : .xyzw))
        var samples: [ImuSample] = []
        for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
        decoder.flush { samples.append($0) }
        precondition(decoder.counters.bytesReceived == UInt64(size))
        precondition(decoder.counters.bytesDiscarded <= decoder.counters.bytesReceived)
        precondition(samples.allSatisfy { abs($0.accelerationMetresPerSecondSquared).max() <= 16 * standardGravity })
        return samples
    }
    return 0
}

@_cdecl("FuzzWitMotion_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOneInput)
}

private func abs(_ vector: SIMD3<Double>) -> SIMD3<Double> { pointwiseMax(vector, -vector) }
