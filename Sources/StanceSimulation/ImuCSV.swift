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

    /// The whole trial for one segment: header and `TrialSimulator.sampleCount` rows, each ending
    /// in a newline. The IMU's noise is seeded from the trial's seed and the segment.
    public static func text(scenario: Scenario, parameters: ScenarioParameters, segment: ImuSegment,
                            rateHz: Double, noise: ImuNoise) -> String {
        var simulator = TrialSimulator(scenario: scenario, parameters: parameters, rateHz: rateHz)
        var signal = ImuSignal(noise: noise, rateHz: rateHz, seed: segment.noiseSeed(trialSeed: parameters.seed))
        var text = header + "\n"
        for _ in 0..<simulator.sampleCount {
            let instant = simulator.next()
            let truth = instant[segment]
            text += row(timeSeconds: instant.timeSeconds, truth: truth,
                        reading: signal.sample(for: truth, timeSeconds: instant.timeSeconds)) + "\n"
        }
        return text
    }
}
