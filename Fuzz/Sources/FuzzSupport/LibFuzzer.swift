import CFuzzerDriver

/// Hands control to libFuzzer with `callback` as the target (call it from the program's main).
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// The input as bytes.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
}

/// Feeds `bytes` to `decode` whole, and again in chunks whose lengths come from the bytes
/// themselves, and checks both give the same outputs: decoders must not depend on chunking.
public func checkChunkingInvariance<Output: Equatable>(
    _ bytes: [UInt8], decode: (_ chunks: [ArraySlice<UInt8>]) -> [Output]
) {
    let whole = decode([bytes[...]])
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    var step = 0
    while start < bytes.count {
        let length = 1 + Int(bytes[(start + step) % bytes.count] % 37)
        chunks.append(bytes[start..<min(start + length, bytes.count)])
        start += length
        step += 1
    }
    precondition(decode(chunks) == whole, "decoding depends on how the bytes are chunked")
}
