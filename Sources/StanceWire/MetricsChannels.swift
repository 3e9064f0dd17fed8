import StanceDSP

/// The METRICS numbers as one row of doubles, for a file's metrics stream: the same quantities,
/// units and definitions as the METRICS object (`docs/protocol.md`), NaN where METRICS leaves a
/// number out (no COP below the load threshold, no sway before the window has 3 samples).
public enum MetricsChannels {
    /// The channels in row order, with their units.
    public static let list: [(label: String, unit: String)] = {
        var list: [(String, String)] = [
            ("sample_seq", "count"),
            ("left_force", "N"), ("left_cop_x", "mm"), ("left_cop_y", "mm"),
            ("right_force", "N"), ("right_cop_x", "mm"), ("right_cop_y", "mm"),
            ("total_force", "N"), ("left_share", "percent"), ("right_share", "percent"),
            ("weight_shift", "mm"), ("cop_x", "mm"), ("cop_y", "mm"), ("window", "s"),
        ]
        for window in ["left", "right", "combined"] {
            list += [
                ("\(window)_sway_path_length", "mm"), ("\(window)_sway_mean_velocity", "mm/s"),
                ("\(window)_sway_mean_distance", "mm"), ("\(window)_sway_rms_distance", "mm"),
                ("\(window)_sway_range_ml", "mm"), ("\(window)_sway_range_ap", "mm"),
                ("\(window)_sway_ellipse95_area", "mm2"), ("\(window)_sway_mean_frequency", "Hz"),
            ]
        }
        for quantity in ["force", "sway_path", "sway_area"] {
            list += [("\(quantity)_asymmetry", "percent"), ("\(quantity)_symmetry_index", "percent")]
        }
        return list
    }()

    /// Appends one row (`list.count` values) for `snapshot`.
    public static func append(_ snapshot: MetricsSnapshot, to row: inout [Double]) {
        let reading = snapshot.reading
        func append(_ value: Double?) { row.append(value ?? .nan) }
        func append(_ pair: SIMD2<Double>?) {
            append(pair?.x)
            append(pair?.y)
        }
        append(snapshot.sampleSequence.map { Double($0) })
        append(reading.left.forceNewtons)
        append(reading.left.copMetres.map { $0 * 1000 })
        append(reading.right.forceNewtons)
        append(reading.right.copMetres.map { $0 * 1000 })
        append(reading.totalForceNewtons)
        append(reading.leftPercent)
        append(reading.leftPercent.map { 100 - $0 })
        append(reading.weightShiftMetres.map { $0 * 1000 })
        append(reading.combinedCopMetres.map { $0 * 1000 })
        append(snapshot.windowSeconds)
        for metrics in [snapshot.leftSway, snapshot.rightSway, snapshot.combinedSway] {
            let report = metrics.map(SwayReport.init)
            append(report?.pathLengthMillimetres)
            append(report?.meanVelocityMillimetresPerSecond)
            append(report?.meanDistanceMillimetres)
            append(report?.rmsDistanceMillimetres)
            append(report?.rangeMLMillimetres)
            append(report?.rangeAPMillimetres)
            append(report?.ellipse95AreaSquareMillimetres)
            append(report?.meanFrequencyHz)
        }
        for asymmetry in WireMessage.asymmetries(snapshot) {
            append(asymmetry?.asymmetryPercent)
            append(asymmetry?.symmetryIndexPercent)
        }
    }
}
