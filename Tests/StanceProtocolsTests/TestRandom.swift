/// SplitMix64: deterministic randomness for property tests (a failing seed reproduces).
struct TestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Cuts `bytes` at random points into chunks of 0…`longest` bytes (empty chunks included).
func randomChunks(_ bytes: [UInt8], longest: Int, using random: inout TestRandom) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
        let length = Int.random(in: 0...longest, using: &random)
        let end = min(start + length, bytes.count)
        chunks.append(Array(bytes[start..<end]))
        start = end
    }
    return chunks
}
