/// Options of a whole-trial analysis.
public struct TrialAnalysisOptions: Sendable, Equatable {
    /// Zero-phase low-pass cutoff applied to every cell, hertz; 0 = no filtering (default 10 Hz).
    public var lowpassHz: Double
    /// Butterworth order, 1…8 (default 4; the zero-phase filter doubles the effective order).
    public var order: Int
    /// Plate geometry, spacing and COP threshold.
    public var layout: DualPlateLayout

    public init(lowpassHz: Double = 10, order: Int = 4, layout: DualPlateLayout = DualPlateLayout()) {
        self.lowpassHz = lowpassHz
        self.order = order
        self.layout = layout
    }
}

/// Why a trial could not be analysed.
public enum TrialAnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewSamples(samples: Int, needed: Int)
    case filter(FilterDesignError)
    case zeroPhase(ZeroPhaseFilterError)

    public var description: String {
        switch self {
        case .tooFewSamples(let samples, let needed):
            return "a trial needs at least \(needed) samples, got \(samples)"
        case .filter(let error): return "low-pass filter: \(error)"
        case .zeroPhase(let error): return "low-pass filter: \(error)"
        }
    }
}

/// A whole dual-plate trial analysed at once: zero-phase filtering of every cell, per-plate force
/// and COP, combined COP, weight distribution and shift, sway of each plate and of the whole body,
/// and left/right asymmetry of force, sway path and sway area.
public enum TrialAnalysis {
    /// - Parameters:
    ///   - cellsNewtons: one frame per sample, lanes left TL TR BL BR, right TL TR BL BR, newtons.
    ///   - rateHz: sampling rate, hertz.
    public static func analyse(
        cellsNewtons frames: [SIMD8<Double>], rateHz: Double, options: TrialAnalysisOptions = TrialAnalysisOptions()
    ) throws(TrialAnalysisError) -> TrialReport {
        guard frames.count >= SwayMetrics.minimumSamples else {
            throw .tooFewSamples(samples: frames.count, needed: SwayMetrics.minimumSamples)
        }
        let filtered = try lowpass(frames, rateHz: rateHz, options: options)
        let layout = options.layout

        var leftForce = ForceStatistics()
        var rightForce = ForceStatistics()
        var leftCop: [SIMD2<Double>] = []
        var rightCop: [SIMD2<Double>] = []
        var combinedCop: [SIMD2<Double>] = []
        for frame in filtered {
            let reading = layout.reading(cellForcesNewtons: frame)
            leftForce.add(reading.left.forceNewtons)
            rightForce.add(reading.right.forceNewtons)
            if let cop = reading.left.copMetres { leftCop.append(cop) }
            if let cop = reading.right.copMetres { rightCop.append(cop) }
            if let cop = reading.combinedCopMetres { combinedCop.append(cop) }
        }

        let leftSway = SwayMetrics(copMetres: leftCop, rateHz: rateHz)
        let rightSway = SwayMetrics(copMetres: rightCop, rateHz: rateHz)
        let combinedSway = SwayMetrics(copMetres: combinedCop, rateHz: rateHz)
        let totalForce = leftForce.sum + rightForce.sum
        let shift = combinedCop.map(\.x)

        return TrialReport(
            samples: frames.count,
            rateHz: rateHz,
            durationSeconds: Double(frames.count - 1) / rateHz,
            left: .init(meanForceNewtons: leftForce.mean, peakForceNewtons: leftForce.peak, sway: leftSway.map(SwayReport.init)),
            right: .init(meanForceNewtons: rightForce.mean, peakForceNewtons: rightForce.peak, sway: rightSway.map(SwayReport.init)),
            combined: .init(meanForceNewtons: totalForce / Double(frames.count), sway: combinedSway.map(SwayReport.init)),
            weightDistribution: .init(
                leftPercent: totalForce > 0 ? 100 * leftForce.sum / totalForce : nil,
                rightPercent: totalForce > 0 ? 100 * rightForce.sum / totalForce : nil
            ),
            weightShift: .init(
                meanMillimetres: shift.isEmpty ? nil : 1000 * shift.reduce(0, +) / Double(shift.count),
                rangeMillimetres: shift.isEmpty ? nil : 1000 * ((shift.max() ?? 0) - (shift.min() ?? 0))
            ),
            asymmetry: .init(
                force: Asymmetry(left: leftForce.mean, right: rightForce.mean),
                swayPath: pair(leftSway, rightSway).map {
                    Asymmetry(left: 1000 * $0.pathLengthMetres, right: 1000 * $1.pathLengthMetres)
                },
                swayArea: pair(leftSway, rightSway).map {
                    Asymmetry(left: 1e6 * $0.ellipse95AreaSquareMetres, right: 1e6 * $1.ellipse95AreaSquareMetres)
                }
            )
        )
    }

    /// Every cell filtered zero-phase, or the frames unchanged when the cutoff is 0.
    static func lowpass(
        _ frames: [SIMD8<Double>], rateHz: Double, options: TrialAnalysisOptions
    ) throws(TrialAnalysisError) -> [SIMD8<Double>] {
        guard options.lowpassHz > 0 else { return frames }
        let sections: [Biquad]
        do {
            sections = try Butterworth.sections(order: options.order, cutoffHz: options.lowpassHz, rateHz: rateHz, type: .lowpass)
        } catch {
            throw .filter(error)
        }
        let filter = ZeroPhaseFilter(sections: sections)
        var result = frames
        for lane in 0..<SIMD8<Double>.scalarCount {
            let channel: [Double]
            do {
                channel = try filter.apply(to: frames.map { $0[lane] })
            } catch {
                throw .zeroPhase(error)
            }
            for index in result.indices { result[index][lane] = channel[index] }
        }
        return result
    }

    private static func pair<T>(_ a: T?, _ b: T?) -> (T, T)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}

/// Running sum, mean and peak of a force series.
struct ForceStatistics {
    var sum = 0.0
    var count = 0
    var peak = -Double.infinity

    mutating func add(_ forceNewtons: Double) {
        sum += forceNewtons
        count += 1
        peak = max(peak, forceNewtons)
    }

    var mean: Double { sum / Double(count) }
}
