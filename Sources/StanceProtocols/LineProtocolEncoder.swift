import StanceDSP

/// Writes the Stance line protocol v1: the header line and sample lines, as a device or a
/// simulator sends them. Values are printed in Swift's shortest round-trip form, so decoding gives
/// back exactly the same Doubles.
public struct LineProtocolEncoder: Sendable {
    /// Append `*HH` (XOR of the bytes between `$` and `*`) to each sample line.
    public var checksums: Bool
    /// End lines with `\r\n` (as many microcontroller libraries do) instead of `\n`.
    public var carriageReturns: Bool

    public init(checksums: Bool = true, carriageReturns: Bool = false) {
        self.checksums = checksums
        self.carriageReturns = carriageReturns
    }

    /// The header line with its line end.
    public func encode(_ header: LineHeader, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: header.line.utf8)
        appendLineEnd(&bytes)
    }

    /// One sample line with its line end. Non-finite values cannot be written and are sent as 0.
    public func encode(_ sample: DeviceSample, into bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(UInt8(ascii: "$"))
        bytes.append(contentsOf: String(sample.sequence ?? 0).utf8)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: String(UInt32(truncatingIfNeeded: sample.deviceTimeMicroseconds ?? 0)).utf8)
        for channel in 0..<sample.channelCount {
            let value = sample.values[channel]
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: (value.isFinite ? value : 0).description.utf8)
        }
        if checksums {
            var checksum: UInt8 = 0
            for byte in bytes[(start + 1)...] { checksum ^= byte }
            bytes.append(UInt8(ascii: "*"))
            bytes.append(Self.hex[Int(checksum >> 4)])
            bytes.append(Self.hex[Int(checksum & 0x0F)])
        }
        appendLineEnd(&bytes)
    }

    private func appendLineEnd(_ bytes: inout [UInt8]) {
        if carriageReturns { bytes.append(UInt8(ascii: "\r")) }
        bytes.append(UInt8(ascii: "\n"))
    }

    private static let hex = Array("0123456789ABCDEF".utf8)
}
