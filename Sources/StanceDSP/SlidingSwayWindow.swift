/// Prieto sway metrics over the most recent `capacity` COP samples, updated as samples stream in.
///
/// `push(_:)` does O(1) work and allocates nothing; all storage is made at `init`.
/// - Running sums (mean, covariance, RMS distance) and the path length are updated per sample and
///   recomputed exactly from the stored window once per `capacity` samples, so rounding cannot
///   accumulate over a long session.
/// - Ranges use block maxima (van Herk / Gil–Werman): the ring is split into blocks of `capacity`
///   samples; the window's extremes are the running extremes of the current block combined with
///   the suffix extremes of the previous block, rebuilt in one pass when a block completes. All four
///   extremes (max x, min x, max y, min y) travel together in one `SIMD4`, without branches.
///   This replaces a monotonic deque: same amortised O(1), no data-dependent loop per sample.
/// - `metrics` is O(1) except for the mean distance (and so the mean frequency): the mean of
///   √((x − x̄)² + (y − ȳ)²) has no running form because x̄ and ȳ move with every sample, so it
///   takes one pass over the window when the metrics are read (at the watch rate, not per sample),
///   with single-precision square roots: within 1.2e-7 of the double-precision value, relatively.
///
/// An undefined COP (`nil`, a plate below its load threshold) empties the window: sway restarts
/// when the foot is back, rather than drawing a path through the gap.
public struct SlidingSwayWindow: Sendable {
    /// Window length, samples.
    public var capacity: Int { cursor.capacity }
    /// Sampling rate, hertz.
    public let rateHz: Double
    /// How many times an undefined COP emptied the window.
    public var resets: Int { cursor.resets }
    /// Samples currently in the window.
    public var sampleCount: Int { cursor.count }

    /// Slots `0..<capacity`: the sample ring, each `(x, y, step from the previous sample, 0)`.
    /// Slots `capacity..<2·capacity`: suffix extremes `(max x, −min x, max y, −min y)` of the
    /// previous block.
    private var slots: [SIMD4<Double>]
    private var cursor: SwayWindowCursor

    /// - Parameters:
    ///   - capacity: window length in samples, ≥ 3 (e.g. 30 s × 100 Hz = 3000).
    ///   - rateHz: sampling rate of the COP series, hertz.
    public init(capacity: Int, rateHz: Double) {
        let capacity = max(capacity, SwayMetrics.minimumSamples)
        self.rateHz = rateHz
        slots = Array(repeating: SIMD4(), count: 2 * capacity)
        cursor = SwayWindowCursor(capacity: capacity)
    }

    /// Empties the window (O(1)).
    public mutating func removeAll() {
        cursor.removeAll()
    }

    /// Adds the next COP sample (metres), or `nil` when the COP is undefined.
    public mutating func push(_ copMetres: SIMD2<Double>?) {
        guard let point = copMetres else {
            cursor.reset()
            return
        }
        slots.withUnsafeMutableBufferPointer { cursor.push(point, slots: $0) }
    }

    /// The largest and smallest x and y in the window (O(1)); `nil` when it is empty.
    public var extremes: (minimum: SIMD2<Double>, maximum: SIMD2<Double>)? {
        guard cursor.count > 0 else { return nil }
        let key = slots.withUnsafeBufferPointer { cursor.windowExtremes(slots: $0) }
        return (SIMD2(-key[1], -key[3]), SIMD2(key[0], key[2]))
    }

    /// The metrics of the samples now in the window; `nil` with fewer than 3.
    public var metrics: SwayMetrics? {
        guard cursor.count >= SwayMetrics.minimumSamples else { return nil }
        return slots.withUnsafeBufferPointer { cursor.metrics(slots: $0, rateHz: rateHz) }
    }
}
