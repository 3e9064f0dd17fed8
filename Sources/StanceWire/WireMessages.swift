import StanceDSP

/// The protocol's version: clients check `proto` in `VERSION`.
public enum WireProtocol {
    public static let version = 1
}

/// Server → client objects (`docs/protocol.md`), each one line with a `class`.
public enum WireMessage {
    /// Sent on connect.
    public static func version(release: String) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "VERSION")
        json.string("release", release)
        json.integer("proto", WireProtocol.version)
        return json.finishLine()
    }

    /// A refused request; the connection stays usable.
    public static func error(_ error: WireError) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "ERROR")
        json.string("cmd", error.cmd)
        json.string("message", error.message)
        return json.finishLine()
    }

    /// The echo of a `watch` request, with the rate actually served (Hz).
    public static func watch(streams: [WireStream], rateHz: Double) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "WATCH")
        json.strings("streams", streams.map(\.rawValue))
        json.number("rate_hz", rateHz)
        return json.finishLine()
    }

    /// Sent to a client that had messages dropped, once it reads again.
    public static func lag(dropped: Int) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "LAG")
        json.integer("dropped", dropped)
        return json.finishLine()
    }

    /// The echo of a `config` request: the live parameters now in force.
    public static func config(windowSeconds: Double, lowpassHz: Double) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "CONFIG")
        json.number("window_s", windowSeconds)
        json.number("lowpass_hz", lowpassHz)
        return json.finishLine()
    }

    /// One METRICS object: the same names and definitions as `stance analyze`.
    public static func metrics(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var json = JSONWriter(capacity: 1536)
        let reading = snapshot.reading
        json.string("class", "METRICS")
        json.number("t_s", snapshot.timeSeconds)
        json.integer("seq", snapshot.sequence)
        if let sampleSequence = snapshot.sampleSequence { json.integer("sample_seq", Int(sampleSequence)) }
        json.object("left") { plate(&$0, reading.left) }
        json.object("right") { plate(&$0, reading.right) }
        json.number("total_N", reading.totalForceNewtons)
        let left = reading.leftPercent
        json.number("left_pct", left)
        json.number("right_pct", left.map { 100 - $0 })
        json.number("weight_shift_mm", reading.weightShiftMetres.map { $0 * 1000 })
        json.pair("cop_mm", reading.combinedCopMetres.map { $0 * 1000 })
        json.object("sway") { sway in
            sway.number("window_s", snapshot.windowSeconds)
            for (name, metrics) in [("left", snapshot.leftSway), ("right", snapshot.rightSway), ("combined", snapshot.combinedSway)] {
                sway.object(name, present: metrics != nil) { swayObject(&$0, metrics.map(SwayReport.init)) }
            }
        }
        let (force, swayPath, swayArea) = asymmetryTriple(snapshot)
        json.object("asymmetry") { asymmetry in
            asymmetry.object("force") { asymmetryObject(&$0, force) }
            asymmetry.object("sway_path", present: swayPath != nil) { object in
                if let swayPath { asymmetryObject(&object, swayPath) }
            }
            asymmetry.object("sway_area", present: swayArea != nil) { object in
                if let swayArea { asymmetryObject(&object, swayArea) }
            }
        }
        return json.finishLine()
    }

    /// The left/right asymmetries a METRICS reports: force (always), sway path and sway area
    /// (nil until both plates' windows have sway).
    public static func asymmetries(_ snapshot: MetricsSnapshot) -> [Asymmetry?] {
        let (force, swayPath, swayArea) = asymmetryTriple(snapshot)
        return [force, swayPath, swayArea]
    }

    private static func asymmetryTriple(_ snapshot: MetricsSnapshot) -> (Asymmetry, Asymmetry?, Asymmetry?) {
        let reading = snapshot.reading
        let force = Asymmetry(left: max(reading.left.forceNewtons, 0), right: max(reading.right.forceNewtons, 0))
        guard let left = snapshot.leftSway, let right = snapshot.rightSway else { return (force, nil, nil) }
        return (force, Asymmetry(left: 1000 * left.pathLengthMetres, right: 1000 * right.pathLengthMetres),
                Asymmetry(left: 1e6 * left.ellipse95AreaSquareMetres, right: 1e6 * right.ellipse95AreaSquareMetres))
    }

    private static func plate(_ json: inout JSONWriter, _ reading: PlateReading) {
        json.number("force_N", reading.forceNewtons)
        json.pair("cop_mm", reading.copMetres.map { $0 * 1000 })
    }

    private static func swayObject(_ json: inout JSONWriter, _ report: SwayReport?) {
        guard let report else { return }
        json.number("path_length_mm", report.pathLengthMillimetres)
        json.number("mean_velocity_mm_s", report.meanVelocityMillimetresPerSecond)
        json.number("mean_distance_mm", report.meanDistanceMillimetres)
        json.number("rms_distance_mm", report.rmsDistanceMillimetres)
        json.number("range_ml_mm", report.rangeMLMillimetres)
        json.number("range_ap_mm", report.rangeAPMillimetres)
        json.number("ellipse95_area_mm2", report.ellipse95AreaSquareMillimetres)
        json.number("mean_frequency_hz", report.meanFrequencyHz)
    }

    static func asymmetryObject(_ json: inout JSONWriter, _ asymmetry: Asymmetry) {
        json.number("asymmetry_pct", asymmetry.asymmetryPercent)
        json.string("dominant", asymmetry.dominant.rawValue)
        json.number("symmetry_index_pct", asymmetry.symmetryIndexPercent)
    }
}

/// What one METRICS object reports: the pipeline's reading and its sliding sway windows.
public struct MetricsSnapshot: Sendable {
    /// Seconds since the daemon started (monotonic).
    public var timeSeconds: Double
    /// Counts METRICS objects sent, from 0.
    public var sequence: Int
    /// The device's sequence number of the newest sample included (when the device numbers them).
    public var sampleSequence: UInt32?
    public var reading: DualPlateReading
    /// Length of the sway windows, seconds.
    public var windowSeconds: Double
    public var leftSway: SwayMetrics?
    public var rightSway: SwayMetrics?
    public var combinedSway: SwayMetrics?

    public init(timeSeconds: Double, sequence: Int, reading: DualPlateReading, windowSeconds: Double,
                leftSway: SwayMetrics?, rightSway: SwayMetrics?, combinedSway: SwayMetrics?, sampleSequence: UInt32? = nil) {
        self.timeSeconds = timeSeconds
        self.sampleSequence = sampleSequence
        self.sequence = sequence
        self.reading = reading
        self.windowSeconds = windowSeconds
        self.leftSway = leftSway
        self.rightSway = rightSway
        self.combinedSway = combinedSway
    }
}
