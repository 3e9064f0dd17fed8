#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Centre-of-pressure sway measures of Prieto et al. (1996, IEEE Trans Biomed Eng 43(9):956–966)
/// for a COP series of N ≥ 3 samples, in SI units. ML = x − mean(x), AP = y − mean(y),
/// RD = √(ML² + AP²).
public struct SwayMetrics: Sendable, Equatable {
    /// Number of COP samples.
    public var samples: Int
    /// Σ √(Δx² + Δy²), metres.
    public var pathLengthMetres: Double
    /// Path length / ((N − 1) / rate), metres per second.
    public var meanVelocityMetresPerSecond: Double
    /// mean(RD), metres.
    public var meanDistanceMetres: Double
    /// √mean(RD²), metres.
    public var rmsDistanceMetres: Double
    /// max(x) − min(x), metres.
    public var rangeMLMetres: Double
    /// max(y) − min(y), metres.
    public var rangeAPMetres: Double
    /// 95 % confidence ellipse area 2π·F₀.₉₅(2, N−2)·√(s_x² s_y² − s_xy²), square metres.
    public var ellipse95AreaSquareMetres: Double
    /// Mean velocity / (4√2 · mean distance), hertz; `nil` when the COP did not move (mean
    /// distance 0).
    public var meanFrequencyHz: Double?

    /// The smallest series the ellipse's F statistic is defined for.
    public static let minimumSamples = 3

    /// F₀.₉₅(2, N − 2) = ((N − 2)/2)·(0.05^(−2/(N − 2)) − 1), the 95th percentile of the F
    /// distribution with 2 and N − 2 degrees of freedom (exact for 2 numerator degrees).
    public static func fStatistic95(samples n: Int) -> Double {
        let denominatorDegrees = Double(n - 2)
        return denominatorDegrees / 2 * (pow(0.05, -2 / denominatorDegrees) - 1)
    }

    /// Assembles the metrics from the sufficient statistics both the batch and the streaming
    /// computation produce.
    /// - Parameters:
    ///   - covariance: sample (N − 1) covariances s_x², s_y², s_xy in m².
    ///   - meanSquaredDistance: mean(RD²) in m².
    @usableFromInline
    init(
        samples n: Int, rateHz: Double, pathLengthMetres: Double, meanDistanceMetres: Double,
        meanSquaredDistance: Double, rangeML: Double, rangeAP: Double,
        covariance: (xx: Double, yy: Double, xy: Double)
    ) {
        samples = n
        self.pathLengthMetres = pathLengthMetres
        meanVelocityMetresPerSecond = pathLengthMetres / (Double(n - 1) / rateHz)
        self.meanDistanceMetres = meanDistanceMetres
        rmsDistanceMetres = max(meanSquaredDistance, 0).squareRoot()
        rangeMLMetres = rangeML
        rangeAPMetres = rangeAP
        let determinant = max(covariance.xx * covariance.yy - covariance.xy * covariance.xy, 0)
        ellipse95AreaSquareMetres = 2 * Double.pi * Self.fStatistic95(samples: n) * determinant.squareRoot()
        meanFrequencyHz = meanDistanceMetres > 0
            ? meanVelocityMetresPerSecond / (4 * 2.0.squareRoot() * meanDistanceMetres) : nil
    }

    /// Batch computation over a whole COP series.
    /// - Parameters:
    ///   - copMetres: COP positions (x, y), metres; at least 3.
    ///   - rateHz: sampling rate, hertz.
    /// - Returns: `nil` when fewer than 3 samples are given.
    public init?(copMetres points: [SIMD2<Double>], rateHz: Double) {
        let n = points.count
        guard n >= Self.minimumSamples else { return nil }
        var sum = SIMD2<Double>()
        var lowest = points[0]
        var highest = points[0]
        var path = 0.0
        for (index, point) in points.enumerated() {
            sum += point
            lowest = pointwiseMin(lowest, point)
            highest = pointwiseMax(highest, point)
            if index > 0 {
                let step = point - points[index - 1]
                path += (step * step).sum().squareRoot()
            }
        }
        let mean = sum / Double(n)
        var distanceSum = 0.0
        var squares = SIMD2<Double>()
        var crossProducts = 0.0
        for point in points {
            let deviation = point - mean
            let squared = deviation * deviation
            squares += squared
            crossProducts += deviation.x * deviation.y
            distanceSum += squared.sum().squareRoot()
        }
        let extent = highest - lowest
        self.init(
            samples: n, rateHz: rateHz, pathLengthMetres: path,
            meanDistanceMetres: distanceSum / Double(n),
            meanSquaredDistance: squares.sum() / Double(n),
            rangeML: extent.x, rangeAP: extent.y,
            covariance: (squares.x / Double(n - 1), squares.y / Double(n - 1), crossProducts / Double(n - 1))
        )
    }
}
