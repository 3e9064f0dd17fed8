import StanceDSP

/// One simulated IMU's truth and readings as CSV, for comparing orientation filters (the AHRS
/// scripts under `scripts/` read exactly this format). One row per sample: time, the exact
/// orientation (sensor → earth NWU, w x y z), then the gyroscope (rad/s), accelerometer (m/s²)
/// and magnetometer (µT) as the noise model reports them. Numbers are written in Swift's
/// shortest round-trip form.
public enum ImuCSV {
    public static let header = "time_s,true_qw,true_qx,true_qy,true_qz,gx_rad_s,gy_rad_s,gz_rad_s,ax_m_s2,ay_m_s2,az_m_s2,mx_uT,my_uT,mz_uT"

    /// The row of one sample.
    public static func row(timeSeconds: Double, truth: SegmentMotion, reading: ImuSample) -> String {
        let q = truth.orientation
        let g = reading.angularVelocityRadiansPerSecond
        let a = reading.accelerationMetresPerSecondSquared
        let m = reading.magneticField ?? SIMD3(repeating: .nan)
        return [timeSeconds, q.w, q.x, q.y, q.z, g.x, g.y, g.z, a.x, a.y, a.z, m.x, m.y, m.z]
            .map { "\($0)" }.joined(separator: ",")
    }

    /// One segment's trial: the header, then a row per sample, each ending in a newline. The IMU's
    /// noise is seeded from the trial's seed and the segment.
    /// - Parameter durationSeconds: the file's length, seconds: squats and step-ups repeat until
    ///   then (as many repetitions as it takes), the hold stands quietly after its protocol; nil:
    ///   the scenario's own length (`TrialSimulator.durationSeconds`).
    public static func text(scenario: Scenario, parameters: ScenarioParameters, segment: ImuSegment,
                            rateHz: Double, noise: ImuNoise, durationSeconds: Double? = nil) -> String {
        var parameters = parameters
        if let durationSeconds, scenario == .squat || scenario == .stepUp {
            parameters.repetitions = max(1, Int((durationSeconds / parameters.repetitionSeconds).rounded(.up)))
        }
        var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
        let count = durationSeconds.map { Int(($0 * rateHz).rounded()) } ?? simulator.sampleCount
        var signal = ImuSignal(noise: noise, rateHz: rateHz, seed: segment.noiseSeed(trialSeed: parameters.seed))
        var text = header + "\n"
        for _ in 0..<count {
            let instant = simulator.next()
            let truth = instant[segment]
            text += row(timeSeconds: instant.timeSeconds, truth: truth,
                        reading: signal.sample(for: truth, timeSeconds: instant.timeSeconds)) + "\n"
        }
        return text
    }
}
