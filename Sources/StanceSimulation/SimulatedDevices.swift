import StanceDSP
import StanceProtocols

/// The wire formats the simulator can speak.
public enum SimulatedProtocol: String, Sendable, CaseIterable {
    /// One dual-plate device, Stance line protocol (text), newtons.
    case stanceLine = "stance-line"
    /// One dual-plate device, Stance binary protocol, float32 newtons.
    case stanceBinary = "stance-binary"
    /// Two single plates (left, right), each its own device and clock, Stance line protocol.
    case stanceLinePair = "stance-line-pair"
    /// Two Wii Balance Boards as `hid-wiimote` evdev streams, units of 10 g.
    case wiimoteEvdev = "wiimote-evdev"
    /// Five WitMotion IMUs (`ImuSegment`): left shank, right shank, left thigh, right thigh,
    /// trunk. Acceleration, angular velocity, angles, magnetic field (µT, one per count) and
    /// quaternion frames; the angles and quaternion are the exact orientation.
    case witmotion
}

/// One emulated device: its name, what it sends first, and the bytes of each sample.
public struct SimulatedDevice: Sendable {
    public var name: String
    public var preamble: [UInt8]
    public var samples: [[UInt8]]
}

/// A whole simulated trial, encoded for every device the protocol implies.
public enum SimulatedDevices {
    /// Simulates `scenario` for its full length and encodes it.
    public static func make(
        protocol wire: SimulatedProtocol, scenario: Scenario, parameters: ScenarioParameters, rateHz: Double,
        noise: SensorNoise = SensorNoise()
    ) -> [SimulatedDevice] {
        var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
        let instants = (0..<simulator.sampleCount).map { _ in simulator.next() }
        var plates = DualPlateSignal(noise: noise, seed: parameters.seed &+ 100)
        switch wire {
        case .stanceLine, .stanceBinary:
            let header = LineHeader(channels: 8, rateHz: rateHz, units: .newtons, layout: .dualPlate, id: "SIM-\(parameters.seed)")
            var preamble: [UInt8] = []
            let lineEncoder = LineProtocolEncoder()
            if wire == .stanceLine { lineEncoder.encode(header, into: &preamble) }
            let binaryEncoder = BinaryProtocolEncoder(valueType: .float32)
            let samples = instants.enumerated().map { index, instant -> [UInt8] in
                let sample = DeviceSample(sequence: UInt32(truncatingIfNeeded: index),
                                          deviceTimeMicroseconds: UInt64((instant.timeSeconds * 1e6).rounded()) & 0xFFFF_FFFF,
                                          channelCount: 8, values: SIMD16(lowHalf: plates.cells(for: instant), highHalf: SIMD8()))
                var bytes: [UInt8] = []
                if wire == .stanceLine { lineEncoder.encode(sample, into: &bytes) } else { binaryEncoder.encode(sample, into: &bytes) }
                return bytes
            }
            return [SimulatedDevice(name: "dual-plate", preamble: preamble, samples: samples)]
        case .stanceLinePair:
            let encoder = LineProtocolEncoder()
            let frames = instants.map { plates.cells(for: $0) }
            func plate(_ name: String, id: String, _ cells: (SIMD8<Double>) -> SIMD4<Double>) -> SimulatedDevice {
                var preamble: [UInt8] = []
                encoder.encode(LineHeader(channels: 4, rateHz: rateHz, units: .newtons, layout: .plate, id: id), into: &preamble)
                let samples = zip(instants, frames).enumerated().map { index, pair -> [UInt8] in
                    let sample = DeviceSample(sequence: UInt32(truncatingIfNeeded: index),
                                              deviceTimeMicroseconds: UInt64((pair.0.timeSeconds * 1e6).rounded()) & 0xFFFF_FFFF, channelCount: 4,
                                              values: SIMD16(lowHalf: SIMD8(lowHalf: cells(pair.1), highHalf: SIMD4()), highHalf: SIMD8()))
                    var bytes: [UInt8] = []
                    encoder.encode(sample, into: &bytes)
                    return bytes
                }
                return SimulatedDevice(name: name, preamble: preamble, samples: samples)
            }
            return [plate("plate-left", id: "SIM-L-\(parameters.seed)", \.lowHalf), plate("plate-right", id: "SIM-R-\(parameters.seed)", \.highHalf)]
        case .wiimoteEvdev:
            let frames = instants.map { plates.cells(for: $0) }
            let unitsPerNewton = 1 / (Evdev.balanceBoardKilogramsPerUnit * standardGravity)
            func board(_ name: String, _ cells: (SIMD8<Double>) -> SIMD4<Double>) -> SimulatedDevice {
                var encoder = BalanceBoardEventEncoder()
                let samples = zip(instants, frames).map { instant, frame -> [UInt8] in
                    let sample = DeviceSample(deviceTimeMicroseconds: UInt64((instant.timeSeconds * 1e6).rounded()), channelCount: 4,
                                              values: SIMD16(lowHalf: SIMD8(lowHalf: cells(frame) * unitsPerNewton, highHalf: SIMD4()), highHalf: SIMD8()))
                    var bytes: [UInt8] = []
                    encoder.encode(sample, into: &bytes)
                    return bytes
                }
                return SimulatedDevice(name: name, preamble: [], samples: samples)
            }
            return [board("board-left", \.lowHalf), board("board-right", \.highHalf)]
        case .witmotion:
            let encoder = WitMotionEncoder()
            return ImuSegment.allCases.map { segment in
                var signal = ImuSignal(noise: noise.imu, rateHz: rateHz, seed: segment.noiseSeed(trialSeed: parameters.seed))
                let samples = instants.map { instant -> [UInt8] in
                    var bytes: [UInt8] = []
                    encoder.encode(signal.sample(for: instant[segment], timeSeconds: instant.timeSeconds), into: &bytes)
                    return bytes
                }
                return SimulatedDevice(name: segment.deviceName, preamble: [], samples: samples)
            }
        }
    }
}
