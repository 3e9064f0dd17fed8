/// A device's sample clock as the host sees it: host receive time ≈ intercept + index × period,
/// fitted by least squares over the samples since the last reset (Welford-style running
/// co-moments, so hours of samples lose no precision). `index` counts the device's samples,
/// gaps included (from its sequence numbers).
///
/// Until the samples span `minimumSpanSeconds`, the period is held at the nominal one and only
/// the intercept is fitted: a slope from a second of jittery arrivals would be worse than none.
/// O(1) per sample, no allocation.
public struct DeviceClockFit: Sendable, Equatable {
    /// The rate the device declares, hertz.
    public let nominalRateHz: Double
    /// Shortest span of samples, seconds, over which the period is fitted.
    public let minimumSpanSeconds: Double
    public private(set) var count = 0
    private var firstIndex = 0.0
    private var firstHost = 0.0
    private var meanIndex = 0.0
    private var meanHost = 0.0
    private var indexMoment = 0.0
    private var crossMoment = 0.0
    private var lastIndex = 0.0

    public init(nominalRateHz: Double, minimumSpanSeconds: Double = 2) {
        self.nominalRateHz = nominalRateHz
        self.minimumSpanSeconds = minimumSpanSeconds
    }

    /// Adds sample `index` received at `hostSeconds`.
    public mutating func add(index: Int, hostSeconds: Double) {
        if count == 0 {
            firstIndex = Double(index)
            firstHost = hostSeconds
        }
        let x = Double(index) - firstIndex
        let y = hostSeconds - firstHost
        count += 1
        let dx = x - meanIndex
        meanIndex += dx / Double(count)
        meanHost += (y - meanHost) / Double(count)
        indexMoment += dx * (x - meanIndex)
        crossMoment += dx * (y - meanHost)
        lastIndex = x
    }

    /// Host seconds per device sample: fitted once the samples span `minimumSpanSeconds`.
    public var periodSeconds: Double {
        let nominal = 1 / nominalRateHz
        guard count >= 3, lastIndex * nominal >= minimumSpanSeconds, indexMoment > 0 else { return nominal }
        return crossMoment / indexMoment
    }

    /// The device clock's rate against the host's, parts per million: positive when the device
    /// runs fast (more samples per host second than it declares). `nil` before the period is fitted.
    public var driftPartsPerMillion: Double? {
        guard count >= 3, lastIndex / nominalRateHz >= minimumSpanSeconds, indexMoment > 0 else { return nil }
        return ((1 / nominalRateHz) / periodSeconds - 1) * 1e6
    }

    /// Host time of sample `index` (fractional allowed), seconds; nil before the first sample.
    public func hostSeconds(atIndex index: Double) -> Double? {
        guard count > 0 else { return nil }
        return firstHost + meanHost + (index - firstIndex - meanIndex) * periodSeconds
    }

    /// The (fractional) sample index at host time `hostSeconds`; nil before the first sample.
    public func index(atHostSeconds hostSeconds: Double) -> Double? {
        guard count > 0 else { return nil }
        return firstIndex + meanIndex + (hostSeconds - firstHost - meanHost) / periodSeconds
    }
}
