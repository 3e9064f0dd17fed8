import StanceDSP

/// Incremental decoder of WitMotion frames into ``ImuSample``s.
///
/// One sample is one output cycle of the device: an acceleration and an angular-velocity frame
/// plus whatever else (time, angle, magnetic field, quaternion) arrived in the same cycle. The
/// decoder learns which frame type ends a cycle (the type received just before the first repeat)
/// and from then on emits each sample as soon as that frame arrives; until it has learned, it emits
/// a cycle when the next one begins. Resynchronises within one frame after corruption.
/// Allocation-free.
public struct WitMotionDecoder: Sendable {
    public let configuration: WitMotion.Configuration
    public private(set) var counters = DecoderCounters()
    /// Cycles that ended without both an acceleration and an angular-velocity frame.
    public private(set) var incompleteCycles: UInt64 = 0
    /// Frames with a valid checksum but a type this decoder does not use.
    public private(set) var framesIgnored: UInt64 = 0

    private var frame = InlineArray<11, UInt8>(repeating: 0)
    private var frameLength = 0
    private var cycle = PartialCycle()
    private var cycleEnd: UInt8?
    private var lastType: UInt8?

    public init(configuration: WitMotion.Configuration = WitMotion.Configuration()) {
        self.configuration = configuration
    }

    /// Decodes `bytes`, calling `emit` for each sample completed in them.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (ImuSample) -> Void) {
        counters.bytesReceived += UInt64(bytes.count)
        for byte in bytes { push(byte, emit) }
    }

    /// Emits the cycle in progress, if it has acceleration and angular velocity (end of stream).
    public mutating func flush(_ emit: (ImuSample) -> Void) {
        finishCycle(emit)
    }

    private mutating func push(_ byte: UInt8, _ emit: (ImuSample) -> Void) {
        frame[frameLength] = byte
        frameLength += 1
        if frameLength == 1 {
            if byte != WitMotion.header {
                counters.bytesDiscarded += 1
                frameLength = 0
            }
            return
        }
        if frameLength == 2 {
            if byte & 0xF0 != 0x50 { resynchronise(emit) }
            return
        }
        guard frameLength == WitMotion.frameLength else { return }
        var sum: UInt8 = 0
        for index in 0..<10 { sum &+= frame[index] }
        guard sum == frame[10] else {
            counters.checksumErrors += 1
            resynchronise(emit)
            return
        }
        frameLength = 0
        counters.framesDecoded += 1
        accept(type: frame[1], emit)
    }

    private mutating func accept(type: UInt8, _ emit: (ImuSample) -> Void) {
        guard let known = WitMotion.FrameType(rawValue: type) else {
            framesIgnored += 1
            return
        }
        if cycle.has(known) {
            // A type repeats: the previous cycle is over, and the type before this one ends cycles.
            if cycleEnd == nil { cycleEnd = lastType }
            finishCycle(emit)
        }
        store(known)
        lastType = type
        if type == cycleEnd { finishCycle(emit) }
    }

    private func word(_ index: Int) -> Int16 {
        Int16(bitPattern: UInt16(frame[2 + 2 * index]) | UInt16(frame[3 + 2 * index]) << 8)
    }

    private func vector(scale: Double) -> SIMD3<Double> {
        SIMD3(Double(word(0)), Double(word(1)), Double(word(2))) * scale
    }

    private mutating func store(_ type: WitMotion.FrameType) {
        cycle.mark(type)
        switch type {
        case .time:
            let hours = UInt64(frame[5]), minutes = UInt64(frame[6]), seconds = UInt64(frame[7])
            let milliseconds = UInt64(frame[8]) | UInt64(frame[9]) << 8
            cycle.sample.deviceTimeMicroseconds = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + milliseconds * 1000
        case .acceleration:
            cycle.sample.accelerationMetresPerSecondSquared = vector(scale: configuration.accelerationScale)
            cycle.sample.temperatureCelsius = Double(word(3)) * WitMotion.Configuration.temperatureScale
        case .angularVelocity:
            cycle.sample.angularVelocityRadiansPerSecond = vector(scale: configuration.angularRateScale)
        case .angle:
            cycle.sample.eulerAnglesRadians = vector(scale: WitMotion.Configuration.angleScale)
        case .magneticField:
            cycle.sample.magneticField = vector(scale: 1)
        case .quaternion:
            let q = SIMD4(Double(word(0)), Double(word(1)), Double(word(2)), Double(word(3))) * WitMotion.Configuration.quaternionScale
            cycle.sample.orientation = configuration.quaternionOrder == .wxyz ? q : SIMD4(q[3], q[0], q[1], q[2])
        }
    }

    private mutating func finishCycle(_ emit: (ImuSample) -> Void) {
        defer { cycle = PartialCycle() }
        guard cycle.mask != 0 else { return }
        guard cycle.has(.acceleration), cycle.has(.angularVelocity) else {
            incompleteCycles += 1
            return
        }
        counters.samplesDecoded += 1
        emit(cycle.sample)
    }

    /// Drops the first buffered byte and feeds the rest back (a frame may start inside a bad one).
    private mutating func resynchronise(_ emit: (ImuSample) -> Void) {
        let snapshot = frame
        let count = frameLength
        counters.bytesDiscarded += 1
        frameLength = 0
        for index in 1..<count { push(snapshot[index], emit) }
    }
}

/// The frames of one output cycle received so far.
private struct PartialCycle: Sendable {
    var mask: UInt16 = 0
    var sample = ImuSample(accelerationMetresPerSecondSquared: SIMD3(), angularVelocityRadiansPerSecond: SIMD3())

    func has(_ type: WitMotion.FrameType) -> Bool { mask & Self.bit(type) != 0 }
    mutating func mark(_ type: WitMotion.FrameType) { mask |= Self.bit(type) }
    private static func bit(_ type: WitMotion.FrameType) -> UInt16 { 1 << UInt16(type.rawValue & 0x0F) }
}
