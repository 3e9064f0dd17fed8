import StanceDSP

/// The last second or so of calibrated, untared cell forces, kept so that a tare can be answered
/// at once from what the plates just read, rather than by making the client wait for new samples.
/// `push` overwrites the oldest frame: O(1), no allocation.
struct QuietHistory {
    private var frames: [SIMD8<Double>]
    private var next = 0
    private(set) var count = 0

    /// - Parameter capacity: frames kept (tare period × rate), at least 2.
    init(capacity: Int) {
        frames = [SIMD8<Double>](repeating: SIMD8(), count: max(capacity, 2))
    }

    mutating func push(_ forcesNewtons: SIMD8<Double>) {
        frames[next] = forcesNewtons
        next = next + 1 == frames.count ? 0 : next + 1
        count = min(count + 1, frames.count)
    }

    /// The tare over the frames kept (all of them must be there), or why it is refused.
    func tare() -> Result<SIMD8<Double>, TareRefusal> {
        var estimator = TareEstimator<SIMD8<Double>>(limits: TareLimits(minimumSamples: frames.count))
        let start = count == frames.count ? next : 0
        for offset in 0..<count { estimator.add(frames[(start + offset) % frames.count]) }
        return estimator.result()
    }
}
