/// The result of ``TrialAnalysis``, in the units users read: newtons, millimetres, percent.
/// Encodes to the JSON that `stance analyze --json` prints (keys documented in `docs/analyze.md`);
/// undefined values encode as `null`, never as NaN.
public struct TrialReport: Sendable, Equatable, Encodable {
    public var samples: Int
    public var rateHz: Double
    public var durationSeconds: Double
    public var left: PlateSummary
    public var right: PlateSummary
    public var combined: CombinedSummary
    public var weightDistribution: WeightDistribution
    public var weightShift: WeightShift
    public var asymmetry: AsymmetrySummary

    enum CodingKeys: String, CodingKey {
        case samples, left, right, combined, asymmetry
        case rateHz = "rate_hz"
        case durationSeconds = "duration_s"
        case weightDistribution = "weight_distribution"
        case weightShift = "weight_shift"
    }

    public struct PlateSummary: Sendable, Equatable, Encodable {
        /// Mean vertical force over the trial, newtons.
        public var meanForceNewtons: Double
        /// Largest vertical force, newtons.
        public var peakForceNewtons: Double
        /// Sway of this plate's COP over the samples where it is defined; `nil` with fewer than 3.
        public var sway: SwayReport?

        enum CodingKeys: String, CodingKey {
            case meanForceNewtons = "mean_force_N", peakForceNewtons = "peak_force_N", sway
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(meanForceNewtons, forKey: .meanForceNewtons)
            try container.encode(peakForceNewtons, forKey: .peakForceNewtons)
            try container.encode(sway, forKey: .sway)
        }
    }

    public struct CombinedSummary: Sendable, Equatable, Encodable {
        /// Mean total vertical force, newtons.
        public var meanForceNewtons: Double
        /// Sway of the combined COP; `nil` with fewer than 3 defined samples.
        public var sway: SwayReport?

        enum CodingKeys: String, CodingKey { case meanForceNewtons = "mean_force_N", sway }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(meanForceNewtons, forKey: .meanForceNewtons)
            try container.encode(sway, forKey: .sway)
        }
    }

    public struct WeightDistribution: Sendable, Equatable, Encodable {
        /// 100·ΣF_L / Σ(F_L + F_R), percent; `nil` when the total force is not positive.
        public var leftPercent: Double?
        /// 100·ΣF_R / Σ(F_L + F_R), percent.
        public var rightPercent: Double?

        enum CodingKeys: String, CodingKey { case leftPercent = "left_pct", rightPercent = "right_pct" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(leftPercent, forKey: .leftPercent)
            try container.encode(rightPercent, forKey: .rightPercent)
        }
    }

    public struct WeightShift: Sendable, Equatable, Encodable {
        /// Mean medio-lateral position of the combined COP, millimetres (positive = right).
        public var meanMillimetres: Double?
        /// Its range (max − min), millimetres.
        public var rangeMillimetres: Double?

        enum CodingKeys: String, CodingKey { case meanMillimetres = "mean_mm", rangeMillimetres = "range_mm" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(meanMillimetres, forKey: .meanMillimetres)
            try container.encode(rangeMillimetres, forKey: .rangeMillimetres)
        }
    }

    public struct AsymmetrySummary: Sendable, Equatable, Encodable {
        /// On the mean forces.
        public var force: Asymmetry
        /// On the sway path lengths; `nil` when either side has no sway.
        public var swayPath: Asymmetry?
        /// On the 95 % ellipse areas; `nil` when either side has no sway.
        public var swayArea: Asymmetry?

        enum CodingKeys: String, CodingKey { case force, swayPath = "sway_path", swayArea = "sway_area" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(force, forKey: .force)
            try container.encode(swayPath, forKey: .swayPath)
            try container.encode(swayArea, forKey: .swayArea)
        }
    }
}

/// ``SwayMetrics`` in millimetres, as reports show them.
public struct SwayReport: Sendable, Equatable, Encodable {
    public var pathLengthMillimetres: Double
    public var meanVelocityMillimetresPerSecond: Double
    public var meanDistanceMillimetres: Double
    public var rmsDistanceMillimetres: Double
    public var rangeMLMillimetres: Double
    public var rangeAPMillimetres: Double
    public var ellipse95AreaSquareMillimetres: Double
    /// `nil` when the COP did not move.
    public var meanFrequencyHz: Double?

    public init(_ metrics: SwayMetrics) {
        pathLengthMillimetres = 1000 * metrics.pathLengthMetres
        meanVelocityMillimetresPerSecond = 1000 * metrics.meanVelocityMetresPerSecond
        meanDistanceMillimetres = 1000 * metrics.meanDistanceMetres
        rmsDistanceMillimetres = 1000 * metrics.rmsDistanceMetres
        rangeMLMillimetres = 1000 * metrics.rangeMLMetres
        rangeAPMillimetres = 1000 * metrics.rangeAPMetres
        ellipse95AreaSquareMillimetres = 1e6 * metrics.ellipse95AreaSquareMetres
        meanFrequencyHz = metrics.meanFrequencyHz
    }

    enum CodingKeys: String, CodingKey {
        case pathLengthMillimetres = "path_length_mm"
        case meanVelocityMillimetresPerSecond = "mean_velocity_mm_s"
        case meanDistanceMillimetres = "mean_distance_mm"
        case rmsDistanceMillimetres = "rms_distance_mm"
        case rangeMLMillimetres = "range_ml_mm"
        case rangeAPMillimetres = "range_ap_mm"
        case ellipse95AreaSquareMillimetres = "ellipse95_area_mm2"
        case meanFrequencyHz = "mean_frequency_hz"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pathLengthMillimetres, forKey: .pathLengthMillimetres)
        try container.encode(meanVelocityMillimetresPerSecond, forKey: .meanVelocityMillimetresPerSecond)
        try container.encode(meanDistanceMillimetres, forKey: .meanDistanceMillimetres)
        try container.encode(rmsDistanceMillimetres, forKey: .rmsDistanceMillimetres)
        try container.encode(rangeMLMillimetres, forKey: .rangeMLMillimetres)
        try container.encode(rangeAPMillimetres, forKey: .rangeAPMillimetres)
        try container.encode(ellipse95AreaSquareMillimetres, forKey: .ellipse95AreaSquareMillimetres)
        try container.encode(meanFrequencyHz, forKey: .meanFrequencyHz)
    }
}
