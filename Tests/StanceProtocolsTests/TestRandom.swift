import StanceSimulation

/// Deterministic randomness for property tests (a failing seed reproduces).
typealias TestRandom = SplitMix64

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
