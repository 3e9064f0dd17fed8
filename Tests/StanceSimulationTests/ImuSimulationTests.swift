import Foundation
import StanceDSP
import StanceProtocols
import StanceSimulation
import Testing

private func trial(_ scenario: Scenario, _ parameters: ScenarioParameters = ScenarioParameters(), rateHz: Double) -> [SimulatedInstant] {
    var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
    return (0..<simulator.sampleCount).map { _ in simulator.next() }
}

/// Every scenario for 30 s (squats and step-ups: 10 reps of 3 s).
private func thirtySeconds() -> ScenarioParameters {
    var parameters = ScenarioParameters()
    parameters.repetitions = 10
    parameters.repetitionSeconds = 3
    parameters.staticSeconds = 30
    parameters.leftShare = 0.58
    parameters.leftRangeOfMotionRatio = 0.8
    return parameters
}

private func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

@Suite("simulated IMUs: exact kinematics")
struct ImuKinematicsSimulationTests {
    @Test("integrating the exact gyroscope at 1 kHz for 30 s reproduces every segment's orientation within 0.01°, in every scenario",
          arguments: [Scenario.quietStance, .squat, .stepUp, .singleLegStance, .isometricHold])
    func gyroscopeIntegratesToOrientation(scenario: Scenario) {
        let rateHz = 1000.0
        let instants = trial(scenario, thirtySeconds(), rateHz: rateHz)
        #expect(instants.count >= 12_000)  // the hold's protocol lasts 12 s
        for segment in ImuSegment.allCases {
            var q = instants[0][segment].orientation
            var worst = 0.0
            for (previous, current) in zip(instants, instants.dropFirst()) {
                // The rotation over one step at the mean of its end rates (second order).
                let rotation = (previous[segment].angularVelocityRadiansPerSecond + current[segment].angularVelocityRadiansPerSecond) / 2 / rateHz
                let angle = (rotation * rotation).sum().squareRoot()
                if angle > 0 { q = (q * Quaternion(axis: rotation, angleRadians: angle)).normalized }
                worst = max(worst, q.angle(to: current[segment].orientation))
            }
            #expect(worst * 180 / .pi < 0.01, "\(scenario.rawValue) \(segment.rawValue): \(worst * 180 / .pi)° after \(instants.count) samples")
        }
    }

    @Test("the accelerometer reads the second derivative of the sensor's position minus gravity (squats and quiet stance, 1 kHz)",
          arguments: [Scenario.quietStance, .squat])
    func accelerometerIsPositionsSecondDerivative(scenario: Scenario) {
        let rateHz = 1000.0
        let instants = trial(scenario, thirtySeconds(), rateHz: rateHz)
        for segment in ImuSegment.allCases {
            var worst = 0.0
            var peak = 0.0
            for k in 1..<(instants.count - 1) {
                let p = (instants[k - 1][segment].positionMetres, instants[k][segment].positionMetres, instants[k + 1][segment].positionMetres)
                let differenced = (p.0 - 2 * p.1 + p.2) * rateHz * rateHz
                let motion = instants[k][segment]
                let linear = motion.orientation.rotate(motion.specificForceMetresPerSecondSquared) + SIMD3(0, 0, -standardGravity)
                worst = max(worst, distance(differenced, linear))
                peak = max(peak, (linear * linear).sum().squareRoot())
            }
            #expect(worst < 1e-4, "\(scenario.rawValue) \(segment.rawValue): |Δ²p − a| up to \(worst) m/s², peak |a| \(peak) m/s²")
        }
    }

    @Test("segments held still read gravity and the geomagnetic field rotated into the sensor frame, and no rotation")
    func stillSegments() {
        for scenario in [Scenario.quietStance, .singleLegStance] {
            var parameters = ScenarioParameters()
            parameters.swayRmsMillimetres = 0
            parameters.leftShare = 0.58
            parameters.staticSeconds = 1
            for instant in trial(scenario, parameters, rateHz: 100) {
                for segment in ImuSegment.allCases {
                    let motion = instant[segment]
                    let q = motion.orientation
                    #expect(motion.angularVelocityRadiansPerSecond == SIMD3())
                    #expect(distance(motion.specificForceMetresPerSecondSquared, q.conjugate.rotate(SIMD3(0, 0, standardGravity))) < 1e-12)
                    #expect(distance(q.rotate(motion.magneticFieldMicroteslas), EarthMagneticField.simulated.microteslas) < 1e-12)
                }
            }
        }
        #expect(SegmentMotion.still.specificForceMetresPerSecondSquared == SIMD3(0, 0, standardGravity))
        let field = EarthMagneticField.simulated.microteslas
        #expect(abs((field * field).sum().squareRoot() - 49.08) < 0.01)
        #expect(abs(atan2(-field.z, field.x) * 180 / .pi - 66.53) < 0.01)
    }

    @Test("angles as SegmentAngles reads them: the lifted leg of single-leg stance (hip 20°, knee 90°), the trunk leaning left at a 58 % left share")
    func angleDefinitions() throws {
        var parameters = ScenarioParameters()
        parameters.swayRmsMillimetres = 0
        parameters.staticSeconds = 1
        parameters.leg = .left
        let single = try #require(trial(.singleLegStance, parameters, rateHz: 100).first)
        #expect(abs(single.rightThigh.angles.sagittalDegrees - -20) < 1e-9 && abs(single.rightShank.angles.sagittalDegrees - 70) < 1e-9)
        #expect(abs(single.leftShank.angles.sagittalDegrees) < 1e-12 && single.trunk.angles.frontalDegrees < -4.9)
        parameters.leftShare = 0.58
        let quiet = try #require(trial(.quietStance, parameters, rateHz: 100).first)
        #expect(abs(quiet.trunk.angles.frontalDegrees - -5 * tanh(0.08 / 0.16)) < 1e-9, "\(quiet.trunk.angles)")
        #expect(quiet.leftShank.orientation == .identity)
    }

    func range(_ instants: [SimulatedInstant], _ segment: ImuSegment) -> Double {
        let angles = instants.map { $0[segment].angles.sagittalRadians }
        return (angles.max() ?? 0) - (angles.min() ?? 0)
    }

    @Test("squats with --left-rom-ratio 0.8: the left shank's and thigh's sagittal ROM is 80 % of the right's (sway included)")
    func rangeOfMotionRatio() {
        let instants = trial(.squat, thirtySeconds(), rateHz: 200)
        #expect(abs(range(instants, .leftShank) / range(instants, .rightShank) - 0.8) < 1e-9)
        #expect(abs(range(instants, .leftThigh) / range(instants, .rightThigh) - 0.8) < 1e-9)
        // Right knee flexion at the bottom: 35° of shank and ~68° of thigh tilt.
        let knee = instants.map { $0.rightShank.angles.sagittalDegrees - $0.rightThigh.angles.sagittalDegrees }
        #expect((knee.max() ?? 0) > 95 && (knee.max() ?? 0) < 110, "\(knee.max() ?? 0)")
    }

    @Test("step-ups with --left-rom-ratio 0.8: leading with the left leg, its ROM is 80 % of the right leg's when that leads")
    func stepUpRangeOfMotionRatio() {
        var parameters = thirtySeconds()
        parameters.leg = .left
        let leftLeading = trial(.stepUp, parameters, rateHz: 200)
        parameters.leg = .right
        let rightLeading = trial(.stepUp, parameters, rateHz: 200)
        #expect(abs(range(leftLeading, .leftShank) / range(rightLeading, .rightShank) - 0.8) < 1e-9)
        #expect(abs(range(leftLeading, .leftThigh) / range(rightLeading, .rightThigh) - 0.8) < 1e-9)
        #expect(abs(range(leftLeading, .rightThigh) / range(rightLeading, .leftThigh) - 1.25) < 1e-9)
    }

    @Test("quiet stance sways a few tenths of a degree; single-leg stance more")
    func swayAmplitude() {
        func peak(_ scenario: Scenario) -> Double {
            trial(scenario, thirtySeconds(), rateHz: 100).map { abs($0.rightShank.angles.sagittalDegrees) }.max() ?? 0
        }
        let quiet = peak(.quietStance)
        #expect(quiet > 0.2 && quiet < 1.0, "\(quiet)°")
        #expect(peak(.singleLegStance) > 1.5 * quiet)
    }
}

@Suite("simulated IMUs: the sensor error model")
struct ImuNoiseTests {
    @Test("white noise has the standard deviation density·√(rate/2), within 5 %, on each sensor")
    func whiteNoise() {
        var noise = ImuNoise.none
        noise.gyroscopeNoiseDensity = ImuNoise.consumerMEMS.gyroscopeNoiseDensity
        noise.accelerometerNoiseDensity = ImuNoise.consumerMEMS.accelerometerNoiseDensity
        noise.magnetometerNoiseMicroteslas = 0.4
        var signal = ImuSignal(noise: noise, rateHz: 1000, seed: 3)
        let truth = SegmentMotion(stillAt: Quaternion(axis: SIMD3(1, 2, 0.5), angleRadians: 0.4))
        var squares = (gyroscope: SIMD3<Double>(), accelerometer: SIMD3<Double>(), magnetometer: SIMD3<Double>())
        let count = 40_000
        for k in 0..<count {
            let sample = signal.sample(for: truth, timeSeconds: Double(k) / 1000)
            let g = sample.angularVelocityRadiansPerSecond - truth.angularVelocityRadiansPerSecond
            let a = sample.accelerationMetresPerSecondSquared - truth.specificForceMetresPerSecondSquared
            let m = (sample.magneticField ?? SIMD3()) - truth.magneticFieldMicroteslas
            squares.gyroscope += g * g
            squares.accelerometer += a * a
            squares.magnetometer += m * m
        }
        let expected = (noise.gyroscopeNoiseSigma(rateHz: 1000), noise.accelerometerNoiseSigma(rateHz: 1000), 0.4)
        #expect(abs(expected.0 * 180 / .pi - 0.2236) < 1e-3)  // 0.01 °/s/√Hz at 1 kHz
        for axis in 0..<3 {
            for (sum, sigma) in [(squares.gyroscope[axis], expected.0), (squares.accelerometer[axis], expected.1), (squares.magnetometer[axis], expected.2)] {
                let measured = (sum / Double(count)).squareRoot()
                #expect(abs(measured / sigma - 1) < 0.05, "axis \(axis): σ \(measured), set \(sigma)")
            }
        }
    }

    @Test("the gyroscope bias random walk's standard deviation grows as K·√t (5 s and 20 s, 500 seeded IMUs)")
    func biasRandomWalk() {
        var noise = ImuNoise.none
        noise.gyroscopeBiasRandomWalk = 0.001
        let rateHz = 50.0
        var at = (five: [Double](), twenty: [Double]())
        for seed in 0..<500 {
            var signal = ImuSignal(noise: noise, rateHz: rateHz, seed: UInt64(seed))
            for k in 0...1000 {
                let reading = signal.sample(for: .still, timeSeconds: Double(k) / rateHz).angularVelocityRadiansPerSecond
                if k == 250 { at.five += [reading.x, reading.y, reading.z] }
                if k == 1000 { at.twenty += [reading.x, reading.y, reading.z] }
            }
        }
        func rms(_ values: [Double]) -> Double { (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot() }
        #expect(abs(rms(at.five) / (0.001 * 5.0.squareRoot()) - 1) < 0.1, "\(rms(at.five))")
        #expect(abs(rms(at.twenty) / (0.001 * 20.0.squareRoot()) - 1) < 0.1, "\(rms(at.twenty))")
        #expect(abs(rms(at.twenty) / rms(at.five) - 2) < 0.2)
    }

    @Test("constant biases are drawn per seed; .none reports the truth exactly")
    func biasesAndNone() {
        var exact = ImuSignal(noise: .none, rateHz: 100, seed: 1)
        let motion = SegmentMotion(stillAt: Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 0.3))
        let sample = exact.sample(for: motion, timeSeconds: 0)
        #expect(sample.angularVelocityRadiansPerSecond == motion.angularVelocityRadiansPerSecond
                && sample.accelerationMetresPerSecondSquared == motion.specificForceMetresPerSecondSquared
                && sample.magneticField == motion.magneticFieldMicroteslas)
        #expect(abs((sample.eulerAnglesRadians?.y ?? 0) - 0.3) < 1e-12)
        let a = ImuSignal(rateHz: 100, seed: 1).gyroscopeBiasRadiansPerSecond
        #expect(a == ImuSignal(rateHz: 100, seed: 1).gyroscopeBiasRadiansPerSecond && a != ImuSignal(rateHz: 100, seed: 2).gyroscopeBiasRadiansPerSecond)
        #expect(a.x != 0 && abs(a.x) < 5 * ImuNoise.consumerMEMS.gyroscopeBiasSigma)
    }
}

@Suite("simulated IMUs: CSV for the AHRS comparison scripts")
struct ImuCSVTests {
    func csv(seed: UInt64 = 1, noise: ImuNoise = .consumerMEMS, segment: ImuSegment = .leftShank) -> String {
        var parameters = ScenarioParameters()
        parameters.repetitions = 2
        parameters.seed = seed
        return ImuCSV.text(scenario: .squat, parameters: parameters, segment: segment, rateHz: 250, noise: noise)
    }

    @Test("the header is the agreed one; one row per sample, 14 numbers each")
    func format() throws {
        let lines = csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "time_s,true_qw,true_qx,true_qy,true_qz,gx_rad_s,gy_rad_s,gz_rad_s,ax_m_s2,ay_m_s2,az_m_s2,mx_uT,my_uT,mz_uT")
        #expect(lines.count == 1 + 1500 + 1 && lines.last == "")  // 2 reps × 3 s × 250 Hz, a final newline
        let row = try #require(lines.dropFirst().first).split(separator: ",").compactMap { Double($0) }
        #expect(row.count == 14 && row[0] == 0 && abs(row[1] - 1) < 1e-3 && abs(row[10] - 9.80665) < 0.5)
    }

    @Test("a set duration: squats repeat until then, with rows for exactly duration × rate")
    func duration() {
        let text = ImuCSV.text(scenario: .squat, parameters: ScenarioParameters(), segment: .trunk, rateHz: 100, noise: .none,
                               durationSeconds: 31)
        let rows = text.split(separator: "\n").dropFirst()
        #expect(rows.count == 3100 && rows.last?.hasPrefix("30.99,") == true)
        // Still squatting at the end (11 reps of 3 s): the trunk leans forward mid-rep.
        let lean = rows.compactMap { row -> Double? in
            let v = row.split(separator: ",").compactMap { Double($0) }
            return v[0] > 30 ? SegmentAngles(orientation: Quaternion(w: v[1], x: v[2], y: v[3], z: v[4])).sagittalDegrees : nil
        }
        #expect((lean.max() ?? 0) > 20)
    }

    @Test("the same seed writes the same file; another seed, another segment or no noise, another one")
    func deterministic() {
        #expect(csv() == csv())
        #expect(csv() != csv(seed: 2))
        #expect(csv() != csv(segment: .rightShank))
        // Without noise the readings are the truth, to the last bit.
        var parameters = ScenarioParameters()
        parameters.repetitions = 2
        let truth = trial(.squat, parameters, rateHz: 250)[1].leftShank
        let exact = csv(noise: .none).split(separator: "\n")[2].split(separator: ",").compactMap { Double($0) }
        #expect(SIMD3(exact[5], exact[6], exact[7]) == truth.angularVelocityRadiansPerSecond
                && SIMD3(exact[8], exact[9], exact[10]) == truth.specificForceMetresPerSecondSquared)
    }

    @Test("the WitMotion emulator sends the model's readings: they decode to the exact motion within the frames' resolution")
    func witMotionFrames() throws {
        var parameters = ScenarioParameters()
        parameters.repetitions = 1
        let devices = SimulatedDevices.make(protocol: .witmotion, scenario: .squat, parameters: parameters, rateHz: 100, noise: .none)
        let truth = trial(.squat, parameters, rateHz: 100)
        let trunk = try #require(devices.last)
        var decoder = WitMotionDecoder()
        var decoded: [ImuSample] = []
        Array(trunk.samples.joined()).withUnsafeBytes { decoder.decode($0) { decoded.append($0) } }
        decoder.flush { decoded.append($0) }
        #expect(decoded.count == truth.count)
        for (sample, instant) in zip(decoded, truth) {
            let q = try #require(sample.orientation)
            #expect(Quaternion(w: q[0], x: q[1], y: q[2], z: q[3]).angle(to: instant.trunk.orientation) < 2e-4)
            // The angle frame is the z-y-x decomposition the daemon turns back into a quaternion.
            let angles = try #require(sample.eulerAnglesRadians)
            #expect(Quaternion(rollRadians: angles.x, pitchRadians: angles.y, yawRadians: angles.z).angle(to: instant.trunk.orientation) < 3e-4)
            #expect(distance(sample.accelerationMetresPerSecondSquared, instant.trunk.specificForceMetresPerSecondSquared) < 0.01)
            #expect(distance(sample.magneticField ?? SIMD3(), instant.trunk.magneticFieldMicroteslas) < 1)
        }
    }
}
