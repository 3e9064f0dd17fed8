import StanceDSP

/// A session's plates as its `session.xdf` holds them (`docs/recording.md`): the eight cell
/// forces per sample, their times and device numbers, the rate, where the plates and their cells
/// were, the analysis settings the daemon recorded with, and the markers.
public struct SessionPlates: Sendable {
    /// One frame per sample: left TL TR BL BR, right TL TR BL BR, newtons (float32 values, as
    /// recorded, widened exactly to Double).
    public var frames: [SIMD8<Double>]
    /// One per frame: the sample's time, seconds of `CLOCK_MONOTONIC` on the recording host.
    public var timestamps: [Double]
    /// One per frame: the device's sequence number, −1 where it sent none (or the file has no
    /// `plate metrics` stream).
    public var deviceSequences: [Int64]
    /// Sample rate, Hz (> 0).
    public var rateHz: Double
    public var layout: DualPlateLayout
    /// The settings the session's `metrics` stream was computed with.
    public var analysis: SessionAnalysisSettings
    /// Marks, tares, gaps and unplugs, seconds from the first sample.
    public var events: [C3DEvent]
    /// Whether the file ended inside a chunk (a recording cut short by a crash).
    public var truncated: Bool

    /// The session file a command names: a session's directory or its `session.xdf`.
    public static func filePath(session: String) -> String {
        session.hasSuffix(".xdf") ? session : (session.hasSuffix("/") ? session : session + "/") + "session.xdf"
    }

    /// Reads `path` (a `session.xdf`) and takes its plates; every error names the file.
    public static func read(contentsOf path: String) throws(SessionPlatesError) -> (recording: XDFRecording, plates: SessionPlates) {
        let recording = try readRecording(contentsOf: path)
        return (recording, try SessionPlates(recording: recording, path: path))
    }

    /// The recording at `path` with its plates, or without them for a session of IMUs only (no
    /// plate streams, at least one IMU stream).
    public static func readWithOptionalPlates(contentsOf path: String) throws(SessionPlatesError)
        -> (recording: XDFRecording, plates: SessionPlates?) {
        let recording = try readRecording(contentsOf: path)
        let imusOnly = recording.streams.contains { $0.info.type == "IMU" }
            && !recording.streams.contains { $0.info.name == "left plate" || $0.info.name == "right plate" }
        return (recording, imusOnly ? nil : try SessionPlates(recording: recording, path: path))
    }

    /// Reads `path` (a `session.xdf`) whatever it holds; the error names the file.
    public static func readRecording(contentsOf path: String) throws(SessionPlatesError) -> XDFRecording {
        do {
            return try XDFReader.read(contentsOf: path)
        } catch {
            let text = error.description
            throw SessionPlatesError(text.contains(path) ? text : "\(path): \(text)")
        }
    }

    public init(recording: XDFRecording, path: String) throws(SessionPlatesError) {
        func plate(_ side: String) throws(SessionPlatesError) -> XDFRecordedStream {
            guard let stream = recording.streams.first(where: { $0.info.name == "\(side) plate" }) else {
                throw SessionPlatesError("\(path): no '\(side) plate' stream (streams: \(recording.streams.map(\.info.name).joined(separator: ", ")))")
            }
            guard stream.info.channelCount == 4, case .float32 = stream.values else {
                throw SessionPlatesError("\(path): the '\(side) plate' stream is not 4 float32 channels")
            }
            return stream
        }
        let left = try plate("left"), right = try plate("right")
        guard case .float32(let leftValues) = left.values, case .float32(let rightValues) = right.values else {
            throw SessionPlatesError("\(path): plate streams are not float32")
        }
        rateHz = left.info.nominalRateHz
        guard rateHz > 0 else { throw SessionPlatesError("\(path): the plate streams have no nominal rate") }
        let count = min(left.sampleCount, right.sampleCount)
        guard count >= 1 else { throw SessionPlatesError("\(path): the plates hold no samples") }
        frames = (0..<count).map { index in
            var frame = SIMD8<Double>()
            for cell in 0..<4 {
                frame[cell] = Double(leftValues[4 * index + cell])
                frame[cell + 4] = Double(rightValues[4 * index + cell])
            }
            return frame
        }
        timestamps = Array(left.timestamps.prefix(count))
        deviceSequences = Self.deviceSequences(recording, count: count)
        let header = recording.fileHeader
        var fallback = DualPlateLayout()
        if let threshold = header?.child("plates")?.childText("cop_threshold_n").flatMap(Double.init) {
            fallback.thresholdNewtons = threshold
        }
        layout = Self.layout(left: left, right: right, fallback: fallback)
        analysis = SessionAnalysisSettings(recording: recording)
        let start = left.timestamps.first ?? 0
        events = []
        if let markers = recording.streams.first(where: { $0.info.name == "markers" }), case .string(let texts) = markers.values {
            for (text, time) in zip(texts, markers.timestamps) {
                let kind = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
                guard ["mark", "tare", "gap", "device.unplugged", "device.reopened"].contains(kind) else { continue }
                let label = kind == "mark" ? Self.trimmed(text.dropFirst(kind.count + 1)) : kind
                events.append(C3DEvent(label: label.isEmpty ? kind : label, seconds: max(0, time - start), description: text))
            }
        }
        truncated = recording.truncatedAt != nil
    }

    /// The `device_seq` channel of `plate metrics`, −1 where absent.
    private static func deviceSequences(_ recording: XDFRecording, count: Int) -> [Int64] {
        guard let stream = recording.streams.first(where: { $0.info.name == "plate metrics" }), stream.info.channelCount >= 2,
              case .double64(let values) = stream.values else { return [Int64](repeating: -1, count: count) }
        let width = stream.info.channelCount
        return (0..<count).map { index in
            let at = width * index + 1
            guard at < values.count, values[at].isFinite, values[at] >= 0 else { return -1 }
            return Int64(values[at])
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    /// The plates' cell positions and spacing from the streams' `<desc>`; `fallback` where absent.
    private static func layout(left: XDFRecordedStream, right: XDFRecordedStream, fallback: DualPlateLayout) -> DualPlateLayout {
        func geometry(_ stream: XDFRecordedStream) -> (PlateGeometry, Double)? {
            guard let plate = stream.info.desc.first(where: { $0.name == "plate" }),
                  let centre = plate.childText("centre_x_mm").flatMap(Double.init),
                  let cells = plate.child("cells")?.children(named: "cell"), cells.count == 4 else { return nil }
            let xs = cells.compactMap { $0.childText("x_mm").flatMap(Double.init) }
            let ys = cells.compactMap { $0.childText("y_mm").flatMap(Double.init) }
            guard xs.count == 4, ys.count == 4 else { return nil }
            return (PlateGeometry(cellXMetres: SIMD4(xs) / 1000, cellYMetres: SIMD4(ys) / 1000), centre / 1000)
        }
        guard let (leftGeometry, leftCentre) = geometry(left), let (rightGeometry, rightCentre) = geometry(right) else { return fallback }
        return DualPlateLayout(left: leftGeometry, right: rightGeometry, spacingMetres: rightCentre - leftCentre,
                               thresholdNewtons: fallback.thresholdNewtons)
    }

    /// How `stance analyze` should read these plates: the session's low-pass and layout.
    public var trialAnalysisOptions: TrialAnalysisOptions {
        TrialAnalysisOptions(lowpassHz: analysis.lowpassHz, layout: layout)
    }

    /// The cell-force CSV `stance analyze` reads: seconds from the first sample, newtons.
    public func cellForceCSV() -> String {
        var text = CellForceCSV.header + "\n"
        for (index, frame) in frames.enumerated() {
            text += CellForceCSV.row(timeSeconds: Double(index) / rateHz, cellsNewtons: frame)
        }
        return text
    }
}

/// How a session's metrics were computed (the file header's `<config>`), for replaying them.
public struct SessionAnalysisSettings: Sendable, Equatable {
    /// Causal low-pass cutoff, Hz; 0 = none.
    public var lowpassHz: Double
    /// Sliding sway window, seconds.
    public var windowSeconds: Double
    /// Rate of the `metrics` stream, Hz.
    public var metricsRateHz: Double

    /// The daemon's defaults stand in for what a file does not say (files from before the
    /// `metrics` stream).
    public init(lowpassHz: Double = 10, windowSeconds: Double = 30, metricsRateHz: Double = 50) {
        self.lowpassHz = lowpassHz
        self.windowSeconds = windowSeconds
        self.metricsRateHz = metricsRateHz
    }

    /// The settings in `recording`'s file header (`<config>`), the defaults for what it lacks.
    public init(recording: XDFRecording) {
        self.init()
        let config = recording.fileHeader?.child("config")
        func number(_ name: String) -> Double? { config?.childText(name).flatMap(Double.init) }
        if let value = number("lowpass_hz") { lowpassHz = value }
        if let value = number("window_s") { windowSeconds = value }
        if let value = number("metrics_rate_hz") { metricsRateHz = value }
    }
}

/// Why a session's plates could not be taken from its file: the message names the file.
public struct SessionPlatesError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
