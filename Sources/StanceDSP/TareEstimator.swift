#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits that decide whether a window is quiet enough to tare on.
public struct TareLimits: Sendable, Equatable {
    /// Fewest samples in the window (default 50: 0.5 s at 100 Hz).
    public var minimumSamples: Int
    /// Largest standard deviation of any cell, newtons (default 1 N).
    public var maximumStandardDeviationNewtons: Double
    /// Largest peak-to-peak range of any cell, newtons (default 5 N).
    public var maximumRangeNewtons: Double
    /// Largest mean load of any cell, newtons (default 100 N): more suggests someone is on the plate.
    public var maximumMeanLoadNewtons: Double

    public init(
        minimumSamples: Int = 50, maximumStandardDeviationNewtons: Double = 1,
        maximumRangeNewtons: Double = 5, maximumMeanLoadNewtons: Double = 100
    ) {
        self.minimumSamples = minimumSamples
        self.maximumStandardDeviationNewtons = maximumStandardDeviationNewtons
        self.maximumRangeNewtons = maximumRangeNewtons
        self.maximumMeanLoadNewtons = maximumMeanLoadNewtons
    }
}

/// Why a tare was refused. `cell` is the lane index (0-based).
public enum TareRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewSamples(got: Int, needed: Int)
    case notFinite(cell: Int)
    case unsteady(cell: Int, standardDeviationNewtons: Double, limitNewtons: Double)
    case rangeTooLarge(cell: Int, rangeNewtons: Double, limitNewtons: Double)
    case loaded(cell: Int, meanNewtons: Double, limitNewtons: Double)

    public var description: String {
        switch self {
        case .tooFewSamples(let got, let needed):
            return "tare needs at least \(needed) samples, got \(got)"
        case .notFinite(let cell):
            return "cell \(cell) read a non-finite value during the tare window"
        case .unsteady(let cell, let sd, let limit):
            return "cell \(cell) is not quiet: standard deviation \(sd) N exceeds \(limit) N"
        case .rangeTooLarge(let cell, let range, let limit):
            return "cell \(cell) is not quiet: range \(range) N exceeds \(limit) N"
        case .loaded(let cell, let mean, let limit):
            return "cell \(cell) carries \(mean) N (limit \(limit) N): step off the plate before taring"
        }
    }
}

/// Accumulates a window of calibrated cell forces and, if the window was quiet, gives the tare
/// (per-cell mean, newtons) to store in ``LoadCellCalibration/tareNewtons``.
///
/// `add(_:)` is O(1) and allocation-free (Welford's running mean and variance per lane).
public struct TareEstimator<Lanes: SIMD> where Lanes.Scalar == Double {
    public let limits: TareLimits
    public private(set) var count = 0
    private var mean = Lanes()
    private var sumOfSquaredDeviations = Lanes()
    private var minimum = Lanes(repeating: .infinity)
    private var maximum = Lanes(repeating: -.infinity)
    private var sawNonFinite = [Bool](repeating: false, count: Lanes.scalarCount)

    public init(limits: TareLimits = TareLimits()) {
        self.limits = limits
    }

    /// Adds one frame of calibrated forces (newtons, tare not yet applied).
    public mutating func add(_ forcesNewtons: Lanes) {
        for lane in 0..<Lanes.scalarCount where !forcesNewtons[lane].isFinite {
            sawNonFinite[lane] = true
        }
        count += 1
        let delta = forcesNewtons - mean
        mean += delta / Lanes(repeating: Double(count))
        sumOfSquaredDeviations += delta * (forcesNewtons - mean)
        minimum = pointwiseMin(minimum, forcesNewtons)
        maximum = pointwiseMax(maximum, forcesNewtons)
    }

    /// The tare (per-cell mean force, newtons), or the first reason the window is not quiet.
    public func result() -> Result<Lanes, TareRefusal> {
        guard count >= max(limits.minimumSamples, 2) else {
            return .failure(.tooFewSamples(got: count, needed: max(limits.minimumSamples, 2)))
        }
        for cell in 0..<Lanes.scalarCount {
            if sawNonFinite[cell] { return .failure(.notFinite(cell: cell)) }
            let standardDeviation = (sumOfSquaredDeviations[cell] / Double(count - 1)).squareRoot()
            if standardDeviation > limits.maximumStandardDeviationNewtons {
                return .failure(.unsteady(cell: cell, standardDeviationNewtons: standardDeviation,
                                          limitNewtons: limits.maximumStandardDeviationNewtons))
            }
            let range = maximum[cell] - minimum[cell]
            if range > limits.maximumRangeNewtons {
                return .failure(.rangeTooLarge(cell: cell, rangeNewtons: range, limitNewtons: limits.maximumRangeNewtons))
            }
            if abs(mean[cell]) > limits.maximumMeanLoadNewtons {
                return .failure(.loaded(cell: cell, meanNewtons: mean[cell], limitNewtons: limits.maximumMeanLoadNewtons))
            }
        }
        return .success(mean)
    }
}

extension TareEstimator: Sendable where Lanes: Sendable {}
