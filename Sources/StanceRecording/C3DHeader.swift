/// The header block of a C3D file: the first 512 bytes, 256 16-bit words, as the C3D User Guide
/// (https://www.c3d.org/HTML/Documents/, "The Header Section") lays them out. Words are numbered
/// from 1 as the guide numbers them; this writer fills:
///
/// | word | content |
/// | --- | --- |
/// | 1 | byte 1: first block of the parameter section (2); byte 2: `0x50`, the C3D key |
/// | 2 | 3D points per frame (0: Stance records no markers) |
/// | 3 | analog values per frame: channels × analog samples per frame |
/// | 4, 5 | first and last frame, 1-based, unsigned (the last capped at 65535; TRIAL holds more) |
/// | 6 | maximum interpolation gap (0) |
/// | 7–8 | POINT:SCALE as a float; negative says the data section holds floats |
/// | 9 | first block of the data section |
/// | 10 | analog samples per frame |
/// | 11–12 | frame rate, hertz, float |
/// | 150 | 12345: header event labels are four characters |
/// | 151 | header events (0: events go to the EVENT group, which has no 18-event limit) |
///
/// All other words are zero.
public struct C3DHeader: Sendable, Equatable {
    /// The unit of C3D sections, bytes.
    public static let blockSize = 512

    public var analogValuesPerFrame: Int
    public var frameCount: Int
    public var dataStartBlock: Int
    public var analogSamplesPerFrame: Int
    public var frameRateHz: Float

    public init(analogValuesPerFrame: Int, frameCount: Int, dataStartBlock: Int, analogSamplesPerFrame: Int, frameRateHz: Float) {
        self.analogValuesPerFrame = analogValuesPerFrame
        self.frameCount = frameCount
        self.dataStartBlock = dataStartBlock
        self.analogSamplesPerFrame = analogSamplesPerFrame
        self.frameRateHz = frameRateHz
    }

    /// The 512 bytes.
    public var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.blockSize)
        func word(_ number: Int, _ value: Int) {
            let bits = UInt16(truncatingIfNeeded: value)
            bytes[(number - 1) * 2] = UInt8(bits & 0xFF)
            bytes[(number - 1) * 2 + 1] = UInt8(bits >> 8)
        }
        func float(_ number: Int, _ value: Float) {
            word(number, Int(value.bitPattern & 0xFFFF))
            word(number + 1, Int(value.bitPattern >> 16))
        }
        bytes[0] = 2
        bytes[1] = 0x50
        word(2, 0)
        word(3, analogValuesPerFrame)
        word(4, 1)
        word(5, min(frameCount, 0xFFFF))
        word(6, 0)
        float(7, -1)
        word(9, dataStartBlock)
        word(10, analogSamplesPerFrame)
        float(11, frameRateHz)
        word(150, 12345)
        word(151, 0)
        return bytes
    }
}
