import StanceDSP

/// The metrics a session records, computed from the cells exactly as the session file holds them
/// (float32 newtons, already calibrated and tared): a `DualPlateChain` with identity calibration,
/// started at the session's first sample with the session's settings, decimated on `MetricsGrid`.
///
/// The recorder runs it on its writer thread; `stance replay` and the tests run it on the cells
/// read back from `session.xdf`. Same inputs in the same order through the same code: a replay's
/// metrics are bit-identical to the recorded ones. They differ from the live METRICS of that
/// moment, whose chain started with the daemon (its sway windows reach back before the session).
public struct RecordedMetricsChain: Sendable {
    public private(set) var chain: DualPlateChain
    /// Rate of the plates, Hz.
    public let rateHz: Double
    /// Rate of the metrics, Hz (at most `rateHz`).
    public let metricsRateHz: Double
    /// Sway window, seconds.
    public let windowSeconds: Double
    private var grid = MetricsGrid()
    private var emitted = 0

    /// - Parameters:
    ///   - rateHz: the plates' sample rate, Hz (> 0).
    ///   - layout: where the cells sit.
    ///   - lowpassHz: causal Butterworth (order 4) cutoff, Hz; 0 = none.
    ///   - windowSeconds: sliding sway window, seconds.
    ///   - metricsRateHz: metrics per second, Hz (capped at `rateHz`).
    public init(rateHz: Double, layout: DualPlateLayout, lowpassHz: Double, windowSeconds: Double,
                metricsRateHz: Double) throws(FilterDesignError) {
        chain = try DualPlateChain(rateHz: rateHz, layout: layout, lowpassHz: lowpassHz, swayWindowSeconds: windowSeconds)
        self.rateHz = rateHz
        self.metricsRateHz = min(metricsRateHz, rateHz)
        self.windowSeconds = windowSeconds
    }

    /// Takes one recorded sample; returns the metrics when it completes one.
    /// - Parameters:
    ///   - cells: left TL TR BL BR, right TL TR BL BR, newtons, as recorded (float32).
    ///   - timeSeconds: the sample's time, seconds (carried into the snapshot).
    ///   - sampleSequence: the device's number for the sample, if it sends one.
    public mutating func push(cells: SIMD8<Float>, timeSeconds: Double, sampleSequence: UInt32?) -> MetricsSnapshot? {
        let reading = chain.process(rawCells: SIMD8<Double>(cells))
        guard grid.advance(periodSeconds: 1 / rateHz, metricsRateHz: metricsRateHz) else { return nil }
        defer { emitted += 1 }
        return MetricsSnapshot(timeSeconds: timeSeconds, sequence: emitted, reading: reading, windowSeconds: windowSeconds,
                               leftSway: chain.leftSway.metrics, rightSway: chain.rightSway.metrics,
                               combinedSway: chain.combinedSway.metrics, sampleSequence: sampleSequence)
    }
}
