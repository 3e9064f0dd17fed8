/// A decoder of a byte stream (a tty, an evdev node): feed it bytes as they arrive, get outputs.
/// Every conforming decoder gives the same outputs for any chunking of the same bytes.
public protocol ByteStreamDecoder: Sendable {
    associatedtype Output: Sendable
    /// Decodes `bytes`, calling `emit` for each output completed in them.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (Output) -> Void)
    /// What the decoder has seen and thrown away so far.
    var counters: DecoderCounters { get }
}

extension LineProtocolDecoder: ByteStreamDecoder {}
extension BinaryProtocolDecoder: ByteStreamDecoder {}
extension WitMotionDecoder: ByteStreamDecoder {}
extension BalanceBoardEventDecoder: ByteStreamDecoder {}
