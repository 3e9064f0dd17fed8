import Foundation
import StanceDSP
import StanceProtocols
import StanceSimulation
import Testing

private func run(_ scenario: Scenario, _ parameters: ScenarioParameters = ScenarioParameters(), rateHz: Double = 100) -> [SimulatedInstant] {
    var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
    return (0..<simulator.sampleCount).map { _ in simulator.next() }
}

@Suite("simulated trials: the ground truth is what was asked for")
struct TrialSimulatorTests {
    @Test("quiet stance: the weight split and the sway amplitude are the ones set")
    func quietStance() throws {
        var parameters = ScenarioParameters()
        parameters.leftShare = 0.58
        parameters.swayRmsMillimetres = 5
        parameters.staticSeconds = 120
        let trial = run(.quietStance, parameters)
        let left = trial.map(\.leftForceNewtons).reduce(0, +)
        let total = trial.map { $0.leftForceNewtons + $0.rightForceNewtons }.reduce(0, +)
        #expect(abs(left / total - 0.58) < 0.005)
        #expect(abs(total / Double(trial.count) - 75 * 9.80665) < 1e-6)
        let sway = try #require(SwayMetrics(copMetres: trial.map(\.leftCopMetres), rateHz: 100))
        #expect(abs(sway.rmsDistanceMetres - 0.005) < 0.0015, "RMS \(sway.rmsDistanceMetres)")
    }

    @Test("squats: five reps; force swings by m·(d/2)·ω² about body weight; left share changes per rep")
    func squats() {
        var parameters = ScenarioParameters()
        parameters.leftShare = 0.55
        parameters.leftShareChangePerRepetition = -0.01
        let trial = run(.squat, parameters)
        let weight = parameters.bodyWeightNewtons
        #expect(Set(trial.compactMap(\.repetition)) == Set(0..<5))
        for rep in 0..<5 {
            let samples = trial.filter { $0.repetition == rep }
            let totals = samples.map { $0.leftForceNewtons + $0.rightForceNewtons }
            // Centre of mass z = −d(1 − cos ωt)/2: peak acceleration (d/2)·ω² = 0.77 m/s² for 0.35 m in 3 s.
            let swing = parameters.bodyMassKilograms * parameters.squatDepthMetres / 2 * pow(2 * Double.pi / parameters.repetitionSeconds, 2)
            #expect(abs((totals.min() ?? 0) - (weight - swing)) < 0.5)
            #expect(abs((totals.max() ?? 0) - (weight + swing)) < 0.5)
            #expect(samples.allSatisfy { abs($0.leftShare - (0.55 - 0.01 * Double(rep))) < 1e-9 })
        }
    }

    @Test("step-ups: the trailing leg lifts off; the leading leg then carries the body weight")
    func stepUps() {
        var parameters = ScenarioParameters()
        parameters.leg = .right
        let trial = run(.stepUp, parameters)
        let weight = parameters.bodyWeightNewtons
        #expect(trial.contains { $0.leftForceNewtons == 0 && abs($0.rightForceNewtons - weight) < 1e-6 })
        #expect(trial.first.map { abs($0.leftShare - 0.5) < 1e-9 } == true)
    }

    @Test("isometric hold: the plateau forces per leg are the ones set")
    func isometricHold() {
        var parameters = ScenarioParameters()
        parameters.holdLeftNewtons = 640
        parameters.holdRightNewtons = 520
        let trial = run(.isometricHold, parameters)
        let plateau = trial.filter { $0.timeSeconds > 4 && $0.timeSeconds < 8 }
        #expect(!plateau.isEmpty && plateau.allSatisfy { abs($0.leftForceNewtons - 640) < 1e-9 && abs($0.rightForceNewtons - 520) < 1e-9 })
    }

    @Test("single-leg stance: the other plate carries nothing")
    func singleLeg() {
        var parameters = ScenarioParameters()
        parameters.leg = .left
        #expect(run(.singleLegStance, parameters).allSatisfy { $0.rightForceNewtons == 0 && $0.leftForceNewtons > 700 })
    }

    @Test("the same seed gives the same trial; another seed another one")
    func deterministic() {
        var a = ScenarioParameters()
        a.staticSeconds = 2
        var b = a
        b.seed = 2
        #expect(run(.quietStance, a) == run(.quietStance, a))
        #expect(run(.quietStance, a) != run(.quietStance, b))
    }

    @Test("encoded devices decode back to the ground truth: plates reproduce the COP and the split")
    func encodedDevices() throws {
        var parameters = ScenarioParameters()
        parameters.leftShare = 0.6
        parameters.staticSeconds = 5
        let devices = SimulatedDevices.make(protocol: .stanceLine, scenario: .quietStance, parameters: parameters,
                                            rateHz: 100, noise: .none)
        let device = try #require(devices.first)
        var decoder = LineProtocolDecoder()
        var samples: [DeviceSample] = []
        (device.preamble + device.samples.joined()).withUnsafeBytes { bytes in
            decoder.decode(bytes) { if case .sample(let sample) = $0 { samples.append(sample) } }
        }
        var simulator = TrialSimulator(scenario: .quietStance, parameters: parameters, rateHz: 100)
        #expect(samples.count == 500)
        for sample in samples {
            let truth = simulator.next()
            let reading = DualPlateLayout().reading(cellForcesNewtons: sample.dualPlateCells)
            #expect(abs((reading.left.copMetres?.x ?? 0) - truth.leftCopMetres.x) < 1e-9)
            #expect(abs(reading.left.forceNewtons - truth.leftForceNewtons) < 1e-9)
        }
        #expect(SimulatedDevices.make(protocol: .witmotion, scenario: .squat, parameters: parameters, rateHz: 100).map(\.name)
                == ["imu-left-shank", "imu-right-shank", "imu-left-thigh", "imu-right-thigh", "imu-trunk"])
        #expect(SimulatedDevices.make(protocol: .wiimoteEvdev, scenario: .squat, parameters: parameters, rateHz: 100).count == 2)
    }
}

@Suite("simulated sway: amplitude and frequency content per foot")
struct SimulatedSwayTests {
    func sway(_ parameters: ScenarioParameters) throws -> (left: SwayMetrics, right: SwayMetrics) {
        var simulator = TrialSimulator(scenario: .quietStance, parameters: parameters, rateHz: 100)
        let trial = (0..<simulator.sampleCount).map { _ in simulator.next() }
        return (try #require(SwayMetrics(copMetres: trial.map(\.leftCopMetres), rateHz: 100)),
                try #require(SwayMetrics(copMetres: trial.map(\.rightCopMetres), rateHz: 100)))
    }

    @Test("each foot sways with its own RMS; a shorter time constant gives a higher mean frequency")
    func perFoot() throws {
        var parameters = ScenarioParameters()
        parameters.staticSeconds = 120
        parameters.leftSwayRmsMillimetres = 6
        parameters.rightSwayRmsMillimetres = 3
        let slow = try sway(parameters)
        #expect(abs(slow.left.rmsDistanceMetres - 0.006) < 0.0018 && abs(slow.right.rmsDistanceMetres - 0.003) < 0.0009)
        parameters.swayTimeConstantSeconds = 0.2
        let fast = try sway(parameters)
        #expect((fast.left.meanFrequencyHz ?? 0) > 1.5 * (slow.left.meanFrequencyHz ?? 0))
    }
}
