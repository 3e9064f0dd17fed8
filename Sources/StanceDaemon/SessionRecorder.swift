#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import StanceDSP
import StanceDevices
import StanceRecording
import StanceWire
import Synchronization

/// One recording session in a directory of its own:
/// - `session.xdf`: the recording in XDF 1.0 (`SessionXDF` says what it holds), synced to disk at
///   least every second; `stance export` makes CSV and C3D of it, `stance replay` replays it;
/// - `session.json`: who, what, when, the device and settings, and at the end the counts.
///
/// The pipeline only pushes rows into a lock-free ring (`record`), and each IMU's reader thread
/// its samples into a ring of the IMU's (`ImuSessionFeed`); a writer thread of the recorder's own
/// encodes and writes them, so a slow or full disk never stalls the pipeline or a reader. The
/// row ring holds 16 384 rows (16 s at 1 kHz): a writer that falls further behind loses rows, which
/// are counted (`progressReport.lost`, STATUS, the stop reply). A write failure stops the
/// writing, keeps the reason and counts the rows lost.
public final class SessionRecorder: @unchecked Sendable {
    /// What the client said about the session.
    public struct Metadata: Sendable, Equatable {
        public var subject: String?
        public var exercise: String?
        /// Body mass, kilograms, (0, 400).
        public var bodyMassKilograms: Double?
        public var notes: String?

        public init(subject: String? = nil, exercise: String? = nil, bodyMassKilograms: Double? = nil, notes: String? = nil) {
            self.subject = subject
            self.exercise = exercise
            self.bodyMassKilograms = bodyMassKilograms
            self.notes = notes
        }
    }

    /// The device and settings the session was recorded with.
    public struct Setup: Sendable, Equatable {
        public var devicePath: String
        public var profile: String
        /// Sample rate, Hz.
        public var rateHz: Double
        /// Causal low-pass cutoff of the metrics, Hz (0 = none).
        public var lowpassHz: Double
        /// Sliding sway window, seconds.
        public var windowSeconds: Double
        /// Rate of the recorded `metrics` stream, Hz (capped at `rateHz`).
        public var metricsRateHz: Double
        /// The profile's calibration, newtons per device unit.
        public var gainNewtonsPerUnit: Double
        /// Where each plate's cells sit, and the plates' spacing.
        public var layout: DualPlateLayout
        /// `stanced`'s version.
        public var release: String
        /// `CLOCK_MONOTONIC` at the daemon's start, nanoseconds: wire times count from it.
        public var clockOriginNanoseconds: UInt64
        /// Whether plates are recorded (false: a session of IMUs only, whose file holds the
        /// markers and the IMU streams).
        public var hasPlates = true

        public init(devicePath: String, profile: String, rateHz: Double, lowpassHz: Double, windowSeconds: Double = 30,
                    metricsRateHz: Double = 50, gainNewtonsPerUnit: Double = 1, layout: DualPlateLayout = DualPlateLayout(), release: String = "",
                    clockOriginNanoseconds: UInt64 = 0) {
            self.devicePath = devicePath
            self.profile = profile
            self.rateHz = rateHz
            self.lowpassHz = lowpassHz
            self.windowSeconds = windowSeconds
            self.metricsRateHz = metricsRateHz
            self.gainNewtonsPerUnit = gainNewtonsPerUnit
            self.layout = layout
            self.release = release
            self.clockOriginNanoseconds = clockOriginNanoseconds
        }
    }

    /// One sample as the pipeline saw it.
    public struct Row: Sendable {
        /// Samples since the session started (gaps in the device's numbering included) ÷ rate, s.
        public var deviceSeconds: Double
        /// Host receive time, seconds since the daemon started.
        public var hostSeconds: Double
        /// The device's sequence number, −1 when it sends none.
        public var sequence: Int64
        /// Calibrated, tared per-cell forces (left TL TR BL BR, right TL TR BL BR), newtons.
        public var cellsNewtons: SIMD8<Double>
        /// Filtered per-plate vertical force, newtons.
        public var leftNewtons: Double
        public var rightNewtons: Double
        /// Left share of the total, percent; NaN below the load threshold.
        public var leftPercent: Double
        /// Combined COP, millimetres; NaN below the load threshold.
        public var copMillimetres: SIMD2<Double>
    }

    /// A moment worth writing down (a mark, a gap, an unplug, a tare).
    public struct Note: Sendable {
        public var deviceSeconds: Double
        public var hostSeconds: Double
        public var event: String
        public var detail: String
    }

    /// What the recording holds when it ends.
    public struct Summary: Sendable, Equatable {
        public var id: String
        public var directory: String
        public var samples: Int
        /// Rows the pipeline could not hand over (ring full) or the disk refused.
        public var rowsLost: Int
        /// Device-grid duration, seconds.
        public var durationSeconds: Double
        /// The first write failure, naming the file.
        public var failure: String?
        /// Per IMU, in `SessionRecorder.imus` order.
        public var imus: [ImuCounts] = []
    }

    /// What became of an IMU's samples.
    public struct ImuCounts: Sendable, Equatable {
        public var samples = 0
        /// Samples the reader could not hand over (ring full) or the disk refused.
        public var lost = 0

        public init(samples: Int = 0, lost: Int = 0) {
            self.samples = samples
            self.lost = lost
        }
    }

    public let id: String
    public let directory: String
    public let metadata: Metadata
    public let setup: Setup
    /// The IMUs recorded, each as stream 16 + its index in `session.xdf`.
    public let imus: [ImuSetup]
    /// Wall-clock start, for the catalogue.
    public let startedAt: Date
    /// When the pipeline started feeding it, seconds since the daemon started (set by the
    /// pipeline thread; notes are timed from it).
    public internal(set) var hostStartSeconds = 0.0
    private let rows: SampleRing<Row>
    private let notes = SampleRing<Note>(minimumCapacity: 256)
    private let imuFeeds: [ImuSessionFeed]
    /// One per IMU: 2048 samples, 10 s of a WitMotion's fastest output (200 Hz).
    private let imuRings: [SampleRing<ImuSessionFeed.Sample>]
    /// Used by the writer thread only (and by `finish` once it stopped).
    private let xdf: SessionXDF
    private let stopRequested = Atomic<Bool>(false)
    /// Set by the writer thread when a write failed and it stopped writing.
    private let failedFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// The summary once the files are closed (`finish` may be called again, or after a failure).
    private let closed = Mutex<Summary?>(nil)
    /// `lastSeconds`: the last plate sample written, seconds from the session's first (by count);
    /// `lastImuSeconds`: the last IMU sample written, host seconds after the session's start.
    private let progress = Mutex<(samples: Int, lost: Int, lastSeconds: Double, lastImuSeconds: Double, failure: String?)>((0, 0, 0, 0, nil))
    /// Per IMU: samples written, and samples the disk refused.
    private let imuProgress: Mutex<[ImuCounts]>

    /// Samples the pipeline may hand over before the writer takes them: 16 s at 1 kHz.
    public static let defaultRowCapacity = 1 << 14

    /// Creates `sessionsDirectory/ID/` and its files, and starts the writer thread.
    /// - Parameters:
    ///   - imus: the IMUs to record, with the channels each has sent so far; their samples are
    ///     taken from `startImus()` on.
    ///   - rowCapacity: samples buffered for the writer (rounded up to a power of two); more
    ///     are counted lost.
    ///   - writerStartsAt: when the writer thread starts writing, monotonic ns (0: at once); a
    ///     later time stands for a disk that stalls, for tests of what a full buffer does.
    /// - Throws: `SessionError` naming the directory or file that could not be created.
    public init(sessionsDirectory: String, metadata: Metadata, setup: Setup, imus: [ImuSessionFeed] = [], now: Date = Date(),
                rowCapacity: Int = defaultRowCapacity, writerStartsAt: UInt64 = 0) throws(SessionError) {
        rows = SampleRing<Row>(minimumCapacity: rowCapacity)
        if !FileManager.default.fileExists(atPath: sessionsDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: sessionsDirectory, withIntermediateDirectories: true)
            } catch {
                throw SessionError("\(sessionsDirectory): cannot create the sessions directory (\(error))")
            }
        }
        let stamp = Self.identifier(for: now)
        var candidate = stamp
        var attempt = 1
        while mkdir("\(sessionsDirectory)/\(candidate)", 0o755) != 0 {
            guard errno == EEXIST, attempt < 100 else {
                throw SessionError("\(sessionsDirectory)/\(candidate): \(String(cString: strerror(errno)))")
            }
            attempt += 1
            candidate = "\(stamp)-\(attempt)"
        }
        id = candidate
        directory = "\(sessionsDirectory)/\(candidate)"
        self.metadata = metadata
        self.setup = setup
        self.imus = imus.map(\.sessionSetup)
        imuFeeds = imus
        imuRings = imus.map { _ in SampleRing(minimumCapacity: 2048) }
        imuProgress = Mutex(imus.map { _ in ImuCounts() })
        startedAt = now
        xdf = try SessionXDF(directory: directory, metadata: metadata, setup: setup, imus: self.imus, id: candidate,
                             startedUTC: Self.utcTimestamp(now))
        try writeDescription(summary: nil)
        guard DetachedThread.start(name: "stance-session", { [self] in
            while MonotonicTime.nanoseconds() < writerStartsAt, !stopRequested.load(ordering: .relaxed) {
                MonotonicTime.sleep(nanoseconds: 10_000_000)
            }
            writeUntilStopped()
        }) else {
            throw SessionError("\(directory): no writer thread could be made (process or memory limit)")
        }
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC: sortable, and unique once a second (a suffix handles the rest).
    static func identifier(for date: Date) -> String {
        let (day, time) = utcParts(date)
        return day.joined() + "T" + time.joined() + "Z"
    }

    /// ISO 8601 in UTC, to the second: `2026-11-25T16:09:51Z`.
    static func utcTimestamp(_ date: Date) -> String {
        let (day, time) = utcParts(date)
        return day.joined(separator: "-") + "T" + time.joined(separator: ":") + "Z"
    }

    private static func utcParts(_ date: Date) -> (day: [String], time: [String]) {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return (["\(parts.tm_year + 1900)", two(parts.tm_mon + 1), two(parts.tm_mday)], [two(parts.tm_hour), two(parts.tm_min), two(parts.tm_sec)])
    }

    /// Pipeline side: hands over one sample (no lock, no allocation); a full ring counts it lost
    /// and returns false.
    @discardableResult
    public func record(_ row: Row) -> Bool { rows.push(row) }

    /// Samples lost so far because the ring was full (one atomic load).
    public var rowsDropped: Int { rows.droppedCount }

    /// Pipeline side: hands over a note.
    public func note(_ note: Note) { notes.push(note) }

    /// Has the IMUs' readers hand over their samples received from `hostStartSeconds` on. Call
    /// once the pipeline has attached the session (it sets `hostStartSeconds`).
    public func startImus() {
        for (feed, ring) in zip(imuFeeds, imuRings) { feed.attach(ring, fromSeconds: hostStartSeconds) }
    }

    /// Per IMU: samples written so far, and samples lost so far.
    public var imuProgressReport: [ImuCounts] {
        zip(imuProgress.withLock { $0 }, imuRings).map { counts, ring in ImuCounts(samples: counts.samples, lost: counts.lost + ring.droppedCount) }
    }

    /// Samples written so far, rows lost so far, and the first failure (for STATUS).
    public var progressReport: (samples: Int, lost: Int, durationSeconds: Double, failure: String?) {
        let state = progress.withLock { $0 }
        // A session of IMUs only lasts as long as its IMU samples do.
        return (state.samples, state.lost + rows.droppedCount, state.samples > 0 ? state.lastSeconds : state.lastImuSeconds, state.failure)
    }

    /// Whether a write failed: the writer has stopped and the pipeline should end the session
    /// (one atomic load; the reason is in `progressReport.failure`).
    public var hasFailed: Bool { failedFlag.load(ordering: .relaxed) }

    /// Stops the writer, writes what is left, puts the files on disk and completes `session.json`.
    /// Call after the pipeline stopped feeding the recorder; later calls return the same summary.
    public func finish() -> Summary {
        closed.withLock { summary in
            if let summary { return summary }
            for (feed, ring) in zip(imuFeeds, imuRings) { feed.detach(ring) }
            stopRequested.store(true, ordering: .relaxed)
            finished.wait()
            let made = closeFiles()
            summary = made
            return made
        }
    }

    private func closeFiles() -> Summary {
        xdf.finish()
        let state = progressReport
        let failure = state.failure ?? xdf.failure
        let summary = Summary(id: id, directory: directory, samples: state.samples, rowsLost: state.lost,
                              durationSeconds: state.durationSeconds, failure: failure, imus: imuProgressReport)
        try? writeDescription(summary: summary)
        return summary
    }

    private func writeUntilStopped() {
        while true {
            let stopping = stopRequested.load(ordering: .relaxed)
            drain()
            if stopping { break }
            if progress.withLock({ $0.failure != nil }) {
                // Nothing more can be written: close what can be closed (a reader gets what
                // reached the disk), then tell the pipeline, which ends the session.
                finished.signal()
                _ = finish()
                failedFlag.store(true, ordering: .relaxed)
                return
            }
            MonotonicTime.sleep(nanoseconds: 50_000_000)
        }
        finished.signal()
    }

    /// Formats and writes what the pipeline handed over; once a file fails, rows are counted lost.
    private func drain() {
        var written = 0
        var lost = 0
        var last: Double?
        while let row = rows.pop() {
            if xdf.failure != nil {
                lost += 1
                continue
            }
            xdf.append(row)
            written += 1
            last = row.deviceSeconds
        }
        while let note = notes.pop() {
            xdf.append(note)
        }
        var (imuCounts, lastImu) = drainImus()
        let failedBefore = xdf.failure != nil
        xdf.flush()
        let failure = xdf.failure
        if failure != nil, !failedBefore {
            // This round's chunks may not have reached the disk: count them lost, not written.
            lost += written
            written = 0
            last = nil
            for index in imuCounts.indices {
                imuCounts[index].lost += imuCounts[index].samples
                imuCounts[index].samples = 0
            }
            lastImu = nil
        }
        progress.withLock { state in
            state.samples += written
            state.lost += lost
            if let last { state.lastSeconds = last }
            if let lastImu { state.lastImuSeconds = max(state.lastImuSeconds, lastImu - hostStartSeconds) }
            if state.failure == nil { state.failure = failure }
        }
        if !imuCounts.isEmpty {
            imuProgress.withLock { totals in
                for (index, counts) in imuCounts.enumerated() {
                    totals[index].samples += counts.samples
                    totals[index].lost += counts.lost
                }
            }
        }
    }

    /// Hands the IMUs' samples to the XDF file (counted lost once it failed); per IMU, the counts,
    /// and the host time of the latest sample written (seconds since the daemon started).
    private func drainImus() -> (counts: [ImuCounts], latestHostSeconds: Double?) {
        var counts = imuRings.map { _ in ImuCounts() }
        var latest: Double?
        for (index, ring) in imuRings.enumerated() {
            while let sample = ring.pop() {
                if xdf.failure != nil {
                    counts[index].lost += 1
                } else {
                    xdf.append(sample, imu: index)
                    counts[index].samples += 1
                    latest = max(latest ?? sample.hostSeconds, sample.hostSeconds)
                }
            }
        }
        return (counts, latest)
    }

    /// `session.json`: written at the start (without counts) and again at the end.
    private func writeDescription(summary: Summary?) throws(SessionError) {
        var json = JSONWriter()
        json.string("id", id)
        json.string("started_utc", Self.utcTimestamp(startedAt))
        json.string("subject", metadata.subject)
        json.string("exercise", metadata.exercise)
        json.number("body_mass_kg", metadata.bodyMassKilograms)
        json.string("notes", metadata.notes)
        json.object("device") { device in
            device.string("path", setup.devicePath)
            device.string("profile", setup.profile)
            device.number("rate_hz", setup.rateHz)
        }
        json.objects("imus", imus) { json, imu in
            json.string("path", imu.devicePath)
            json.string("profile", imu.profile)
            json.string("role", imu.role)
            json.number("rate_hz", imu.rateHz)
            json.strings("channels", imu.channels.list.map(\.label))
        }
        json.number("lowpass_hz", setup.lowpassHz)
        json.strings("files", [SessionXDF.fileName])
        json.object("result", present: summary != nil) { result in
            guard let summary else { return }
            result.integer("samples", summary.samples)
            result.integer("rows_lost", summary.rowsLost)
            result.number("duration_s", summary.durationSeconds)
            result.string("failure", summary.failure)
            result.objects("imus", Array(zip(imus, summary.imus))) { json, pair in
                json.string("role", pair.0.role)
                json.integer("samples", pair.1.samples)
                json.integer("samples_lost", pair.1.lost)
            }
        }
        let path = "\(directory)/session.json"
        let temporary = "\(path).tmp"
        do {
            try Data(json.finishLine()).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw SessionError("\(temporary): \(error)")
        }
        guard rename(temporary, path) == 0 else { throw SessionError("\(path): \(String(cString: strerror(errno)))") }
    }
}
