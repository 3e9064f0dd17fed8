import Foundation
import StanceDSP
import StanceSimulation
import Testing

/// The 6-axis orientation filter (default settings) on a long set of simulated squats: a thigh that pitches 0–75°
/// and back every 3 s, with the squat's own linear acceleration, read exactly (no noise, no bias).
@Suite("orientation filter over four minutes of squats")
struct OrientationFilterSquatTests {
    static let degree = Double.pi / 180

    struct Outcome {
        /// The bias estimate at the end, °/s per axis (the truth is 0).
        var finalBiasDegreesPerSecond: SIMD3<Double>
        /// The largest tilt error over the last 30 s, degrees.
        var lateTiltErrorDegrees: Double
    }

    static func run(_ settings: OrientationFilter.Settings, seconds: Double = 240, rateHz: Double = 100) -> Outcome {
        var parameters = ScenarioParameters()
        parameters.repetitions = Int(seconds / parameters.repetitionSeconds)
        var simulator = TrialSimulator(scenario: .squat, parameters: parameters, rateHz: rateHz)
        var signal = ImuSignal(noise: .none, rateHz: rateHz, seed: 1)
        var filter = OrientationFilter(settings: settings)
        var late = 0.0
        let count = Int(seconds * rateHz)
        for index in 0..<count {
            let instant = simulator.next()
            let truth = instant[.leftThigh]
            let reading = signal.sample(for: truth, timeSeconds: instant.timeSeconds)
            filter.update(gyroscope: reading.angularVelocityRadiansPerSecond,
                          accelerometer: reading.accelerationMetresPerSecondSquared,
                          magnetometer: nil, deltaSeconds: 1 / rateHz)
            if Double(index) >= (seconds - 30) * rateHz {
                let a = truth.orientation.conjugate.rotate(SIMD3(0, 0, 1))
                let b = filter.orientation.conjugate.rotate(SIMD3(0, 0, 1))
                late = max(late, acos(min(1, (a * b).sum())) / degree)
            }
        }
        return Outcome(finalBiasDegreesPerSecond: filter.gyroscopeBias / degree, lateTiltErrorDegrees: late)
    }

    @Test("the bias estimate stays within 0.05 °/s of the true 0 and the tilt error within 0.5°; learning along the mean vertical, it winds up past 1.5 °/s")
    func noBiasWindUpInSquats() {
        let held = Self.run(OrientationFilter.Settings())
        let bias = held.finalBiasDegreesPerSecond
        #expect(max(abs(bias.x), abs(bias.y), abs(bias.z)) < 0.05, "bias \(bias) °/s")
        #expect(held.lateTiltErrorDegrees < 0.5, "tilt error \(held.lateTiltErrorDegrees)°")

        // The same data with the bias free along the mean vertical (τ_v = 0): the wind-up this
        // guards against is there to be seen.
        var free = OrientationFilter.Settings()
        free.verticalAveragingSeconds = 0
        let wound = Self.run(free)
        let windUp = ((wound.finalBiasDegreesPerSecond * wound.finalBiasDegreesPerSecond).sum()).squareRoot()
        #expect(windUp > 1.5, "bias \(wound.finalBiasDegreesPerSecond) °/s")
        #expect(wound.lateTiltErrorDegrees > held.lateTiltErrorDegrees + 0.2,
                "tilt error \(wound.lateTiltErrorDegrees)° free against \(held.lateTiltErrorDegrees)° held")
    }
}
