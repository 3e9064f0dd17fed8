/// A device's sample clock as the host sees it: the host time at which sample `index` was taken
/// ≈ intercept + index × period, for a device whose samples reach the host after a variable delay.
///
/// Arrival times are the sampling times plus a delay that is never negative and often large (a
/// USB or tty buffer handing over a burst, a backlog read at open). So the clock is fitted to the
/// earliest arrivals, not to all of them: samples are taken in blocks of about half a second, the
/// one that arrived earliest against the nominal rate stands for its block, and a least-squares
/// line through the last 64 such points (about 30 s) gives the period and the intercept. A backlog
/// or a stall moves none of them. Until the points span `minimumSpanSeconds`, the period is held at
/// the nominal one and only the earliest-arrival offset is used.
///
/// `add` is O(1) but for an O(64) refit once per block; nothing is allocated after `init`.
public struct DeviceClockFit: Sendable {
    /// The rate the device declares, hertz.
    public let nominalRateHz: Double
    /// Shortest span of fitted points, seconds, before the period is fitted rather than nominal.
    public let minimumSpanSeconds: Double
    public private(set) var count = 0
    private let blockLength: Int
    private var origin: (index: Double, host: Double)?
    private var blockCount = 0
    private var blockBest: (index: Double, host: Double, residual: Double) = (0, 0, .infinity)
    private var earliestResidual = Double.infinity
    private var pointIndices: [Double]
    private var pointHosts: [Double]
    private var nextPoint = 0
    private var pointCount = 0
    private var fitted: (intercept: Double, period: Double)?

    private static let pointCapacity = 64

    public init(nominalRateHz: Double, minimumSpanSeconds: Double = 2) {
        self.nominalRateHz = nominalRateHz
        self.minimumSpanSeconds = minimumSpanSeconds
        blockLength = max(2, Int((nominalRateHz / 2).rounded()))
        pointIndices = [Double](repeating: 0, count: Self.pointCapacity)
        pointHosts = [Double](repeating: 0, count: Self.pointCapacity)
    }

    /// Adds sample `index` received at `hostSeconds`.
    public mutating func add(index: Int, hostSeconds: Double) {
        if origin == nil { origin = (Double(index), hostSeconds) }
        let x = Double(index) - origin!.index
        let y = hostSeconds - origin!.host
        count += 1
        // How late this one is against the nominal clock (only differences matter).
        let residual = y - x / nominalRateHz
        earliestResidual = min(earliestResidual, residual)
        if residual < blockBest.residual { blockBest = (x, y, residual) }
        blockCount += 1
        guard blockCount == blockLength else { return }
        pointIndices[nextPoint] = blockBest.index
        pointHosts[nextPoint] = blockBest.host
        nextPoint = (nextPoint + 1) % Self.pointCapacity
        pointCount = min(pointCount + 1, Self.pointCapacity)
        blockCount = 0
        blockBest = (0, 0, .infinity)
        refit()
    }

    /// Least squares through the block points, when they span `minimumSpanSeconds`; points more
    /// than `outlierSeconds` above the line (a block that was all backlog) are left out one at a
    /// time, worst first, keeping at least half.
    private mutating func refit() {
        guard pointCount >= 2 else { return }
        var used = UInt64(0)
        for slot in 0..<pointCount { used |= 1 << UInt64(slot) }
        var line: (intercept: Double, period: Double)?
        for _ in 0..<(pointCount / 2) {
            guard let candidate = fitLine(using: used) else { return }
            line = candidate
            var worst = -1
            var worstResidual = Self.outlierSeconds
            for slot in 0..<pointCount where used & (1 << UInt64(slot)) != 0 {
                let residual = pointHosts[slot] - (candidate.intercept + candidate.period * pointIndices[slot])
                if residual > worstResidual {
                    worst = slot
                    worstResidual = residual
                }
            }
            guard worst >= 0 else { break }
            used &= ~(1 << UInt64(worst))
        }
        if let line { fitted = line }
    }

    /// Arrivals this much later than the fitted line are not the clock's: seconds.
    static let outlierSeconds = 0.002

    /// The least-squares line through the points whose bits are set in `used`, if they span
    /// `minimumSpanSeconds`.
    private func fitLine(using used: UInt64) -> (intercept: Double, period: Double)? {
        var count = 0.0
        var meanX = 0.0
        var meanY = 0.0
        var minimumX = Double.infinity
        var maximumX = -Double.infinity
        for slot in 0..<pointCount where used & (1 << UInt64(slot)) != 0 {
            count += 1
            meanX += pointIndices[slot]
            meanY += pointHosts[slot]
            minimumX = min(minimumX, pointIndices[slot])
            maximumX = max(maximumX, pointIndices[slot])
        }
        guard count >= 2, (maximumX - minimumX) / nominalRateHz >= minimumSpanSeconds else { return nil }
        meanX /= count
        meanY /= count
        var moment = 0.0
        var cross = 0.0
        for slot in 0..<pointCount where used & (1 << UInt64(slot)) != 0 {
            let dx = pointIndices[slot] - meanX
            moment += dx * dx
            cross += dx * (pointHosts[slot] - meanY)
        }
        let period = cross / moment
        return (meanY - period * meanX, period)
    }

    /// Host seconds per device sample: fitted once the points span `minimumSpanSeconds`, else nominal.
    public var periodSeconds: Double { fitted?.period ?? 1 / nominalRateHz }

    /// The device clock's rate against the host's, parts per million: positive when the device
    /// runs fast (more samples per host second than it declares). `nil` before the period is fitted.
    public var driftPartsPerMillion: Double? {
        fitted.map { ((1 / nominalRateHz) / $0.period - 1) * 1e6 }
    }

    /// Host time at which sample `index` (fractional allowed) was taken, seconds (plus the
    /// shortest delay seen); nil before the first sample.
    public func hostSeconds(atIndex index: Double) -> Double? {
        guard let origin else { return nil }
        let x = index - origin.index
        if let fitted { return origin.host + fitted.intercept + x * fitted.period }
        return origin.host + earliestResidual + x / nominalRateHz
    }

    /// The (fractional) sample index taken at host time `hostSeconds`; nil before the first sample.
    public func index(atHostSeconds hostSeconds: Double) -> Double? {
        guard let origin else { return nil }
        let y = hostSeconds - origin.host
        if let fitted { return origin.index + (y - fitted.intercept) / fitted.period }
        return origin.index + (y - earliestResidual) * nominalRateHz
    }
}
