/// Prieto sway metrics over the most recent `capacity` COP samples, updated as samples stream in.
///
/// `push(_:)` does O(1) work (amortised: the ranges use monotonic deques, and the running sums are
/// recomputed from the stored window once per `capacity` samples so rounding cannot accumulate)
/// and allocates nothing. `metrics` is O(1) except for the mean distance (and so the mean
/// frequency): the mean of √((x − x̄)² + (y − ȳ)²) has no running form because x̄ and ȳ move with
/// every sample, so it takes one pass over the window when the metrics are read.
///
/// An undefined COP (`nil`, a plate below its load threshold) empties the window: sway restarts
/// when the foot is back, rather than drawing a path through the gap.
public struct SlidingSwayWindow: Sendable {
    /// Window length, samples.
    public let capacity: Int
    /// Sampling rate, hertz.
    public let rateHz: Double
    /// How many times an undefined COP emptied the window.
    public private(set) var resets = 0

    private var points: [SIMD2<Double>]
    private var oldest = 0
    private var count = 0
    private var pushed = 0
    private var sinceRebase = 0
    /// Point the running sums are taken about (keeps the sums small, so variances do not cancel).
    private var reference = SIMD2<Double>()
    private var sum = SIMD2<Double>()
    private var sumOfSquares = SIMD2<Double>()
    private var sumOfCrossProducts = 0.0
    private var pathLength = 0.0
    private var maximumX: MonotonicDeque
    private var minimumX: MonotonicDeque
    private var maximumY: MonotonicDeque
    private var minimumY: MonotonicDeque

    /// - Parameters:
    ///   - capacity: window length in samples, ≥ 3 (e.g. 30 s × 100 Hz = 3000).
    ///   - rateHz: sampling rate of the COP series, hertz.
    public init(capacity: Int, rateHz: Double) {
        self.capacity = max(capacity, SwayMetrics.minimumSamples)
        self.rateHz = rateHz
        points = Array(repeating: SIMD2(), count: self.capacity)
        maximumX = MonotonicDeque(capacity: self.capacity, extremum: .maximum)
        minimumX = MonotonicDeque(capacity: self.capacity, extremum: .minimum)
        maximumY = MonotonicDeque(capacity: self.capacity, extremum: .maximum)
        minimumY = MonotonicDeque(capacity: self.capacity, extremum: .minimum)
    }

    /// Samples currently in the window.
    public var sampleCount: Int { count }

    /// Empties the window.
    public mutating func removeAll() {
        oldest = 0
        count = 0
        sinceRebase = 0
        sum = SIMD2()
        sumOfSquares = SIMD2()
        sumOfCrossProducts = 0
        pathLength = 0
        maximumX.removeAll()
        minimumX.removeAll()
        maximumY.removeAll()
        minimumY.removeAll()
    }

    /// Adds the next COP sample (metres), or `nil` when the COP is undefined.
    public mutating func push(_ copMetres: SIMD2<Double>?) {
        guard let point = copMetres else {
            if count > 0 { resets += 1 }
            removeAll()
            return
        }
        if count == 0 { reference = point }
        if count == capacity { dropOldest() }
        if count > 0 {
            let step = point - points[wrapped(oldest + count - 1, capacity)]
            pathLength += (step * step).sum().squareRoot()
        }
        points[wrapped(oldest + count, capacity)] = point
        count += 1
        accumulate(point, sign: 1)
        maximumX.push(point.x, sequenceNumber: pushed)
        minimumX.push(point.x, sequenceNumber: pushed)
        maximumY.push(point.y, sequenceNumber: pushed)
        minimumY.push(point.y, sequenceNumber: pushed)
        pushed += 1
        sinceRebase += 1
        if sinceRebase >= capacity { rebase() }
    }

    /// The metrics of the samples now in the window; `nil` with fewer than 3.
    public var metrics: SwayMetrics? {
        guard count >= SwayMetrics.minimumSamples else { return nil }
        let n = Double(count)
        let centred = sum / n
        let deviationSquares = sumOfSquares - sum * centred
        let deviationCross = sumOfCrossProducts - sum.x * centred.y
        let mean = reference + centred
        var distanceSum = 0.0
        for offset in 0..<count {
            let deviation = points[wrapped(oldest + offset, capacity)] - mean
            distanceSum += (deviation * deviation).sum().squareRoot()
        }
        return SwayMetrics(
            samples: count, rateHz: rateHz, pathLengthMetres: pathLength,
            meanDistanceMetres: distanceSum / n,
            meanSquaredDistance: deviationSquares.sum() / n,
            rangeML: (maximumX.current ?? 0) - (minimumX.current ?? 0),
            rangeAP: (maximumY.current ?? 0) - (minimumY.current ?? 0),
            covariance: (deviationSquares.x / (n - 1), deviationSquares.y / (n - 1), deviationCross / (n - 1))
        )
    }

    private mutating func dropOldest() {
        let leaving = points[oldest]
        let next = points[wrapped(oldest + 1, capacity)]
        let step = next - leaving
        pathLength -= (step * step).sum().squareRoot()
        accumulate(leaving, sign: -1)
        oldest = wrapped(oldest + 1, capacity)
        count -= 1
        let oldestSequence = pushed - count
        maximumX.evict(before: oldestSequence)
        minimumX.evict(before: oldestSequence)
        maximumY.evict(before: oldestSequence)
        minimumY.evict(before: oldestSequence)
    }

    @inline(__always)
    private mutating func accumulate(_ point: SIMD2<Double>, sign: Double) {
        let deviation = point - reference
        sum += sign * deviation
        sumOfSquares += sign * (deviation * deviation)
        sumOfCrossProducts += sign * (deviation.x * deviation.y)
    }

    /// Recomputes the running sums exactly from the stored window, about its newest point.
    private mutating func rebase() {
        sinceRebase = 0
        reference = points[wrapped(oldest + count - 1, capacity)]
        sum = SIMD2()
        sumOfSquares = SIMD2()
        sumOfCrossProducts = 0
        pathLength = 0
        for offset in 0..<count {
            let point = points[wrapped(oldest + offset, capacity)]
            accumulate(point, sign: 1)
            if offset > 0 {
                let step = point - points[wrapped(oldest + offset - 1, capacity)]
                pathLength += (step * step).sum().squareRoot()
            }
        }
    }
}
