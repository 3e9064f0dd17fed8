import StanceDSP

/// Two Wii Balance Boards, one under each foot, read as one dual plate. Each board has its own
/// decoder (its own evdev device and Bluetooth link, so its own timing); the pair offers the latest
/// held cells of both as an eight-channel sample, in the kernel's units (0.01 kg). The pipeline
/// samples it on its own fixed grid, since the boards send nothing while the load is constant.
public struct BalanceBoardPair: Sendable {
    public var left: BalanceBoardEventDecoder
    public var right: BalanceBoardEventDecoder

    public init(left: BalanceBoardEventDecoder = BalanceBoardEventDecoder(),
                right: BalanceBoardEventDecoder = BalanceBoardEventDecoder()) {
        self.left = left
        self.right = right
    }

    /// Whether both boards have reported at least once.
    public var bothReporting: Bool {
        left.counters.samplesDecoded > 0 && right.counters.samplesDecoded > 0
    }

    /// Left TL TR BL BR, right TL TR BL BR, 0.01 kg.
    public var sample: DeviceSample {
        DeviceSample(channelCount: 8, values: SIMD16(lowHalf: SIMD8(lowHalf: left.heldCells, highHalf: right.heldCells), highHalf: SIMD8()))
    }
}
