import StanceDSP
import StanceProtocols
import Testing

private func decode(_ chunks: [[UInt8]], into decoder: inout WitMotionDecoder, flush: Bool = true) -> [ImuSample] {
    var samples: [ImuSample] = []
    for chunk in chunks { chunk.withUnsafeBytes { decoder.decode($0) { samples.append($0) } } }
    if flush { decoder.flush { samples.append($0) } }
    return samples
}

@Suite("WitMotion WT901/JY901 frames")
struct WitMotionTests {
    let configuration = WitMotion.Configuration()

    /// A sample whose every value is a whole number of raw units, so encoding is exact.
    func randomSample(using random: inout TestRandom, full: Bool) -> ImuSample {
        func raw() -> Double { Double(Int16.random(in: .min ... .max, using: &random)) }
        let acceleration = SIMD3(raw(), raw(), raw()) * (16.0 / 32768 * standardGravity)
        let rate = SIMD3(raw(), raw(), raw()) * (2000.0 / 32768 * Double.pi / 180)
        var sample = ImuSample(accelerationMetresPerSecondSquared: acceleration, angularVelocityRadiansPerSecond: rate,
                               temperatureCelsius: raw() * 0.01)
        if full {
            sample.eulerAnglesRadians = SIMD3(raw(), raw(), raw()) * (Double.pi / 32768)
            sample.magneticField = SIMD3(raw(), raw(), raw())
            sample.orientation = SIMD4(raw(), raw(), raw(), raw()) / 32768
            sample.deviceTimeMicroseconds = UInt64.random(in: 0..<86_400_000, using: &random) * 1000
        }
        return sample
    }

    @Test("a published frame decodes to SI: 0x51 with az = 2048 raw is 1 g; temperature /100 °C")
    func knownFrame() throws {
        // 55 51 | ax 0 | ay 0 | az 0x0800 | T 0x0A28 (26.00 °C) | sum
        var frame: [UInt8] = [0x55, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x28, 0x0A]
        frame.append(frame.reduce(0, &+))
        let gyro: [UInt8] = [0x55, 0x52, 0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x00]
        var decoder = WitMotionDecoder()
        let samples = decode([frame + gyro + [gyro.reduce(0, &+)]], into: &decoder)
        let sample = try #require(samples.first)
        #expect(abs(sample.accelerationMetresPerSecondSquared.z - standardGravity) < 1e-12)
        #expect(sample.temperatureCelsius == 26.0)
        #expect(abs(sample.angularVelocityRadiansPerSecond.x + 2000 * Double.pi / 180) < 1e-12)  // −32768 raw
        #expect(abs(sample.angularVelocityRadiansPerSecond.y - 32767.0 / 32768 * 2000 * Double.pi / 180) < 1e-12)
    }

    @Test("encode → split at random points → decode is the identity, with and without optional frames")
    func roundTrip() {
        var random = TestRandom(seed: 0x3171)
        for trial in 0..<100 {
            let encoder = WitMotionEncoder(configuration: configuration)
            let sent = (0..<30).map { _ in randomSample(using: &random, full: trial % 2 == 1) }
            var bytes: [UInt8] = []
            for sample in sent { encoder.encode(sample, into: &bytes) }
            var decoder = WitMotionDecoder(configuration: configuration)
            #expect(decode(randomChunks(bytes, longest: 25, using: &random), into: &decoder) == sent, "trial \(trial)")
            #expect(decoder.counters.bytesDiscarded == 0 && decoder.incompleteCycles == 0)
        }
    }

    @Test("after the first cycle, each sample is emitted as soon as its last frame arrives")
    func lowLatency() {
        var random = TestRandom(seed: 7)
        let encoder = WitMotionEncoder()
        var decoder = WitMotionDecoder()
        var emitted = 0
        for index in 0..<5 {
            var bytes: [UInt8] = []
            encoder.encode(randomSample(using: &random, full: true), into: &bytes)
            bytes.withUnsafeBytes { decoder.decode($0) { _ in emitted += 1 } }
            // Cycle 0 is emitted when cycle 1 starts (the decoder is still learning where cycles
            // end); from cycle 1 on, each is emitted at its own last frame.
            #expect(emitted == (index == 0 ? 0 : index + 1), "after cycle \(index)")
        }
    }

    @Test("corruption costs at most the frames it touches; garbage is counted byte for byte")
    func corruption() {
        var random = TestRandom(seed: 0xBAD)
        let encoder = WitMotionEncoder()
        let sent = (0..<40).map { _ in randomSample(using: &random, full: false) }
        var clean: [UInt8] = []
        for sample in sent { encoder.encode(sample, into: &clean) }
        var corrupted = clean
        corrupted[3 * 22 + 5] ^= 0x40  // inside the acceleration frame of sample 3
        var decoder = WitMotionDecoder()
        let received = decode([Array(repeating: 0x55, count: 7) + corrupted], into: &decoder)
        #expect(received.count == 39)
        #expect(!received.contains(sent[3]))
        #expect(decoder.counters.checksumErrors >= 1)
        #expect(decoder.incompleteCycles == 1)
    }

    @Test("quaternion order is a setting: x, y, z, w devices decode to w, x, y, z")
    func quaternionOrder() throws {
        let xyzw = WitMotion.Configuration(quaternionOrder: .xyzw)
        var sample = ImuSample(accelerationMetresPerSecondSquared: SIMD3(), angularVelocityRadiansPerSecond: SIMD3())
        sample.orientation = SIMD4(0.5, 0.25, -0.125, 0.75)
        var bytes: [UInt8] = []
        WitMotionEncoder(configuration: xyzw).encode(sample, into: &bytes)
        let quaternionFrame = try #require(bytes.indices.first { bytes[$0] == 0x55 && bytes[$0 + 1] == 0x59 })
        #expect(bytes[quaternionFrame + 2] == 0x00 && bytes[quaternionFrame + 3] == 0x20)  // q0 = x = 0.25
        var decoder = WitMotionDecoder(configuration: xyzw)
        #expect(decode([bytes], into: &decoder).first?.orientation == sample.orientation)
    }
}
