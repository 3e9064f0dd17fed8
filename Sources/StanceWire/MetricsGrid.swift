/// Which samples complete a METRICS: an even grid at the metrics rate laid over the samples' own
/// grid (the sum of sample periods, so a batch of samples read at once still spreads out). The
/// live pipeline and the session's recorded metrics decimate with it, so both pick samples the
/// same way.
public struct MetricsGrid: Sendable, Equatable {
    /// Time on the samples' grid of the next sample, seconds from the first.
    public private(set) var streamSeconds = 0.0
    /// Time on the samples' grid of the sample last taken, seconds from the first.
    public private(set) var sampleSeconds = 0.0
    /// When the next METRICS is due on that grid, seconds.
    public private(set) var nextSeconds = 0.0

    public init() {}

    /// Takes one sample; returns whether it completes a METRICS.
    /// - Parameters:
    ///   - periodSeconds: the sample period, seconds (> 0).
    ///   - metricsRateHz: the METRICS rate, Hz; 0 = none due.
    public mutating func advance(periodSeconds: Double, metricsRateHz: Double) -> Bool {
        let sampleTime = streamSeconds
        sampleSeconds = sampleTime
        streamSeconds += periodSeconds
        // 1 % of a METRICS period of slack absorbs rounding in the sums.
        guard metricsRateHz > 0, sampleTime >= nextSeconds - 0.01 / metricsRateHz else { return false }
        nextSeconds += 1 / metricsRateHz
        // After a pause (no watcher, a gap), the grid restarts at this sample.
        if nextSeconds <= sampleTime { nextSeconds = sampleTime + 1 / metricsRateHz }
        return true
    }
}
