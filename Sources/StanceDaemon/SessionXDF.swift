#if canImport(Glibc)
import Glibc
#endif
import StanceDevices
import StanceDSP
import StanceRecording
import StanceWire

/// A session's `session.xdf`: XDF 1.0 (`docs/recording.md`), written on the session's writer
/// thread, never the pipeline's. Four streams, one clock:
/// 1. `left plate`, 2. `right plate`: calibrated, tared cell forces (TL TR BL BR), float32 newtons
///    at the device's rate, with channel labels, units and cell positions in `<desc>`;
/// 3. `plate metrics`: per sample, double64: host receive time, device sequence, per-plate force,
///    left share and combined COP (the numbers `metrics.csv` held);
/// 4. `markers`: session start and stop, marks, tares, gaps and unplugs, as strings;
/// 5. `metrics`: the METRICS numbers (`MetricsChannels`) at `Setup.metricsRateHz`, computed on
///    the writer thread from the cells as stream 1 and 2 hold them (`RecordedMetricsChain`), so
///    `stance replay` gives them back bit for bit.
///
/// And from id 16, one stream per IMU the session records (`SessionIMUStreams`), each sample at
/// its host receive time.
///
/// Sample timestamps are seconds of `CLOCK_MONOTONIC` (LSL's `local_clock`): the host time of the
/// session's first sample plus the samples since it on the device's grid (gaps included), so a
/// reader sees the device's own spacing; markers carry the host time they happened at.
///
/// Crash safety: `flush` writes what it was given as whole chunks (the writer thread calls it
/// every 50 ms), `fdatasync`s at least every second, and adds a Boundary chunk every 10 s, so a
/// `kill -9` or a power cut loses at most the last second and the file stays readable. The first
/// failed write or sync (a full disk) stops the writing and is kept in `failure`.
final class SessionXDF {
    static let fileName = "session.xdf"

    enum Stream: UInt32 {
        case leftPlate = 1, rightPlate = 2, plateMetrics = 3, markers = 4, metrics = 5
    }

    /// Channels of the `plate metrics` stream, with their units.
    static let metricsChannels: [(label: String, unit: String)] = [
        ("host_time", "s"), ("device_seq", "count"), ("left_force", "N"), ("right_force", "N"),
        ("left_share", "percent"), ("cop_x", "mm"), ("cop_y", "mm"),
    ]

    let path: String
    private(set) var failure: String?

    private var writer: XDFWriter
    private var file: XDFFile?
    private let rateHz: Double
    /// `CLOCK_MONOTONIC` seconds at the daemon's start: wire times count from it.
    private let clockOriginSeconds: Double
    /// Timestamp of the session's first sample, seconds of `CLOCK_MONOTONIC`.
    private var firstSampleSeconds: Double?
    private var left: [Float] = []
    private var right: [Float] = []
    private var metrics: [Double] = []
    private var sampleTimes: [Double] = []
    /// The session's own metrics chain (nil for a session without plates).
    private var recordedMetrics: RecordedMetricsChain?
    /// The stream ids declared, in order (without plates: the markers and the IMUs only).
    private var declared: [UInt32] = []
    private var metricRows: [Double] = []
    private var metricTimes: [Double] = []
    private var markers: [String] = []
    private var markerTimes: [Double] = []
    private var lastSyncNanoseconds: UInt64
    private var lastBoundaryNanoseconds: UInt64
    /// One stream per IMU, from id 16 (`SessionIMUStreams`).
    private var imuStreams: SessionIMUStreams

    /// Creates the file and writes its header and the four stream headers.
    init(directory: String, metadata: SessionRecorder.Metadata, setup: SessionRecorder.Setup, imus: [SessionRecorder.ImuSetup] = [],
         id: String, startedUTC: String) throws(SessionError) {
        path = "\(directory)/\(Self.fileName)"
        rateHz = setup.rateHz
        clockOriginSeconds = Double(setup.clockOriginNanoseconds) / 1e9
        imuStreams = SessionIMUStreams(imus: imus, clockOriginSeconds: clockOriginSeconds, windowSeconds: setup.windowSeconds,
                                       metricsRateHz: setup.metricsRateHz)
        writer = XDFWriter(headerInfo: Self.headerInfo(metadata: metadata, setup: setup, id: id, startedUTC: startedUTC))
        let now = MonotonicTime.nanoseconds()
        lastSyncNanoseconds = now
        lastBoundaryNanoseconds = now
        let created = Double(now) / 1e9
        if setup.hasPlates {
            do {
                recordedMetrics = try RecordedMetricsChain(rateHz: setup.rateHz, layout: setup.layout, lowpassHz: setup.lowpassHz,
                                                           windowSeconds: setup.windowSeconds, metricsRateHz: setup.metricsRateHz)
            } catch {
                throw SessionError("\(path): cannot design the metrics filter for \(setup.lowpassHz) Hz at \(setup.rateHz) Hz: \(error)")
            }
        }
        do {
            file = try XDFFile(creating: path)
            func add(_ stream: Stream, _ info: XDFStreamInfo) throws {
                try writer.addStream(stream.rawValue, info)
                declared.append(stream.rawValue)
            }
            if let recordedMetrics {
                try add(.leftPlate, Self.plateInfo("left", setup: setup, createdAt: created))
                try add(.rightPlate, Self.plateInfo("right", setup: setup, createdAt: created))
                try add(.plateMetrics, XDFStreamInfo(
                    name: "plate metrics", type: "Force", channelCount: Self.metricsChannels.count, nominalRateHz: setup.rateHz,
                    format: .double64, createdAtSeconds: created, desc: [Self.channels(Self.metricsChannels)]))
                try add(.markers, Self.markersInfo(createdAt: created))
                try add(.metrics, XDFStreamInfo(
                    name: "metrics", type: "Metrics", channelCount: MetricsChannels.list.count,
                    nominalRateHz: recordedMetrics.metricsRateHz, format: .double64, createdAtSeconds: created,
                    desc: [Self.channels(MetricsChannels.list), XMLTag("computation", children: [
                        XMLTag("source", "the cells of streams 1 and 2 as recorded, from the session's first sample"),
                        XMLTag("lowpass_hz", setup.lowpassHz), XMLTag("lowpass_order", 4), XMLTag("window_s", setup.windowSeconds),
                        XMLTag("decimation", "every sample whose time on the sample grid reaches the next 1/rate instant"),
                    ])]))
            } else {
                try add(.markers, Self.markersInfo(createdAt: created))
            }
            try imuStreams.declare(in: &writer, createdAt: created)
        } catch let failure as XDFFile.Failure {
            throw SessionError(failure.description)
        } catch {
            throw SessionError("\(path): \(error)")
        }
        writeOut()
    }

    /// Takes one sample for the next chunk.
    func append(_ row: SessionRecorder.Row) {
        let first = firstSampleSeconds ?? (clockOriginSeconds + row.hostSeconds - row.deviceSeconds)
        firstSampleSeconds = first
        let time = first + row.deviceSeconds
        sampleTimes.append(time)
        let cells = SIMD8<Float>(row.cellsNewtons)
        for cell in 0..<4 {
            left.append(cells[cell])
            right.append(cells[cell + 4])
        }
        let sequence = row.sequence >= 0 ? UInt32(truncatingIfNeeded: row.sequence) : nil
        if let snapshot = recordedMetrics?.push(cells: cells, timeSeconds: time, sampleSequence: sequence) {
            MetricsChannels.append(snapshot, to: &metricRows)
            metricTimes.append(time)
        }
        metrics.append(clockOriginSeconds + row.hostSeconds)
        metrics.append(Double(row.sequence))
        metrics.append(row.leftNewtons)
        metrics.append(row.rightNewtons)
        metrics.append(row.leftPercent)
        metrics.append(row.copMillimetres.x)
        metrics.append(row.copMillimetres.y)
    }

    /// Takes one marker for the next chunk: `event` or `event: detail`.
    func append(_ note: SessionRecorder.Note) {
        markers.append(note.detail.isEmpty ? note.event : "\(note.event): \(note.detail)")
        markerTimes.append(clockOriginSeconds + note.hostSeconds)
    }

    /// Takes one sample of IMU `index` (of the session's `imus`) for the next chunk.
    func append(_ sample: ImuSessionFeed.Sample, imu index: Int) {
        imuStreams.append(sample, imu: index)
    }

    /// Encodes what was taken as chunks and writes them; syncs when the last sync is a second
    /// old, and adds a boundary every 10 s. After a failure, nothing more is written.
    func flush() {
        let now = MonotonicTime.nanoseconds()
        encodeTaken()
        if now &- lastBoundaryNanoseconds >= 10_000_000_000 {
            writer.appendBoundary()
            lastBoundaryNanoseconds = now
        }
        writeOut()
        if now &- lastSyncNanoseconds >= 1_000_000_000 {
            lastSyncNanoseconds = now
            syncFile()
        }
    }

    /// Writes what is left, a clock offset (0: one clock) and each stream's footer, syncs and
    /// closes the file.
    func finish() {
        encodeTaken()
        let now = Double(MonotonicTime.nanoseconds()) / 1e9
        for stream in declared + imuStreams.streamIDs {
            try? writer.appendClockOffset(stream, collectionTimeSeconds: now, offsetSeconds: 0)
            try? writer.closeStream(stream)
        }
        writeOut()
        syncFile()
        if let open = file.take() {
            do {
                try open.close()
            } catch {
                if failure == nil { failure = error.description }
            }
        }
    }

    private func encodeTaken() {
        if !sampleTimes.isEmpty {
            let times = XDFWriter.Timestamps.each(sampleTimes)
            try? writer.appendSamples(Stream.leftPlate.rawValue, float32: left, timestamps: times)
            try? writer.appendSamples(Stream.rightPlate.rawValue, float32: right, timestamps: times)
            try? writer.appendSamples(Stream.plateMetrics.rawValue, double64: metrics, timestamps: times)
            left.removeAll(keepingCapacity: true)
            right.removeAll(keepingCapacity: true)
            metrics.removeAll(keepingCapacity: true)
            sampleTimes.removeAll(keepingCapacity: true)
        }
        if !metricTimes.isEmpty {
            try? writer.appendSamples(Stream.metrics.rawValue, double64: metricRows, timestamps: .each(metricTimes))
            metricRows.removeAll(keepingCapacity: true)
            metricTimes.removeAll(keepingCapacity: true)
        }
        if !markers.isEmpty {
            try? writer.appendSamples(Stream.markers.rawValue, strings: markers, timestamps: .each(markerTimes))
            markers.removeAll(keepingCapacity: true)
            markerTimes.removeAll(keepingCapacity: true)
        }
        imuStreams.encode(into: &writer)
    }

    /// `fdatasync`, unless a write already failed; a failure is kept.
    private func syncFile() {
        guard failure == nil else { return }
        do {
            try file?.sync()
        } catch {
            failure = error.description
        }
    }

    /// Hands the encoded bytes to the file (dropped after a failure: the session has ended).
    private func writeOut() {
        defer { writer.removeAllBytes() }
        guard failure == nil, !writer.bytes.isEmpty else { return }
        do {
            try file?.append(writer.bytes)
        } catch {
            failure = error.description
        }
    }

    // MARK: - Headers

    private static func headerInfo(metadata: SessionRecorder.Metadata, setup: SessionRecorder.Setup, id: String,
                                   startedUTC: String) -> [XMLTag] {
        var session = [XMLTag("id", id), XMLTag("started_utc", startedUTC)]
        if let subject = metadata.subject { session.append(XMLTag("subject", subject)) }
        if let exercise = metadata.exercise { session.append(XMLTag("exercise", exercise)) }
        if let mass = metadata.bodyMassKilograms { session.append(XMLTag("body_mass_kg", mass)) }
        if let notes = metadata.notes { session.append(XMLTag("notes", notes)) }
        let recorder = [XMLTag("session", children: session),
                        XMLTag("recorder", children: [XMLTag("name", "stanced"), XMLTag("version", setup.release)])]
        // Without plates, the IMUs' streams say which devices they are.
        guard setup.hasPlates else { return recorder + [XMLTag("config", children: [XMLTag("window_s", setup.windowSeconds)])] }
        return recorder + [
            XMLTag("devices", children: [XMLTag("device", children: [
                XMLTag("path", setup.devicePath), XMLTag("profile", setup.profile), XMLTag("rate_hz", setup.rateHz),
                XMLTag("gain_n_per_unit", setup.gainNewtonsPerUnit),
            ])]),
            XMLTag("plates", children: [
                XMLTag("spacing_mm", 1000 * setup.layout.spacingMetres),
                XMLTag("cop_threshold_n", setup.layout.thresholdNewtons),
            ]),
            XMLTag("config", children: [
                XMLTag("lowpass_hz", setup.lowpassHz), XMLTag("window_s", setup.windowSeconds),
                XMLTag("metrics_rate_hz", min(setup.metricsRateHz, setup.rateHz)),
            ]),
        ]
    }

    private static func markersInfo(createdAt: Double) -> XDFStreamInfo {
        XDFStreamInfo(name: "markers", type: "Markers", channelCount: 1, nominalRateHz: 0, format: .string, createdAtSeconds: createdAt)
    }

    private static func plateInfo(_ side: String, setup: SessionRecorder.Setup, createdAt: Double) -> XDFStreamInfo {
        let geometry = side == "left" ? setup.layout.left : setup.layout.right
        let cells = ["tl", "tr", "bl", "br"].enumerated().map { index, corner in
            XMLTag("cell", children: [
                XMLTag("label", "\(side)_\(corner)"),
                XMLTag("x_mm", 1000 * geometry.cellXMetres[index]), XMLTag("y_mm", 1000 * geometry.cellYMetres[index]),
            ])
        }
        return XDFStreamInfo(
            name: "\(side) plate", type: "Force", channelCount: 4, nominalRateHz: setup.rateHz, format: .float32,
            createdAtSeconds: createdAt,
            desc: [
                channels(["tl", "tr", "bl", "br"].map { ("\(side)_\($0)", "N") }),
                XMLTag("plate", children: [
                    XMLTag("side", side),
                    XMLTag("centre_x_mm", (side == "left" ? -500 : 500) * setup.layout.spacingMetres),
                    XMLTag("frame", "origin at the plate centre; x to the subject's right, y forward; millimetres"),
                    XMLTag("cells", children: cells),
                ]),
                XMLTag("acquisition", children: [XMLTag("device", setup.devicePath), XMLTag("profile", setup.profile)]),
            ])
    }

    static func channels(_ list: [(label: String, unit: String)]) -> XMLTag {
        XMLTag("channels", children: list.map { channel in
            XMLTag("channel", children: [XMLTag("label", channel.label), XMLTag("unit", channel.unit)])
        })
    }
}
