import ArgumentParser
import Foundation
import StanceCatalogue
import StanceDSP
import StanceRecording
import StanceWire

/// `stance export SESSION --format csv|c3d`: a recorded session's plates in the formats other
/// tools read, from its `session.xdf`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a recorded session's plates and IMUs as CSV (for stance analyze) or its plates as C3D.",
        discussion: """
        SESSION is a session's directory or its session.xdf. csv writes the cell forces with the
        header \(CellForceCSV.header) (seconds from the first sample, newtons), which stance
        analyze reads, and beside it (NAME-metrics.csv) the recorded metrics stream: time_s and
        one column per METRICS number, named with its unit. Each IMU stream and its metrics go to
        NAME-imu-ROLE.csv and NAME-imu-ROLE-metrics.csv (time_s from the plates' first sample, or
        the IMUs' first without plates; columns named with their units); a session of IMUs only
        writes those alone. c3d writes the eight cells as analog channels (N) and a Type-2 force
        platform per plate placed as the session's plates were, so a C3D reader's centre of
        pressure is Stance's; marks, tares and gaps become events (docs/recording.md). The
        output is SESSION/session.csv or SESSION/session.c3d unless -o names it; an existing
        file is never overwritten. Exit status 2 when the session cannot be read or written.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, c3d
    }

    @Argument(help: "The session's directory, or its session.xdf.")
    var session: String

    @Option(help: "csv or c3d.")
    var format: Format

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write (default: beside session.xdf).")
    var output: String?

    func run() throws {
        let (xdfPath, recording, plates) = try readSessionRecording(session, command: "export")
        let destination = output ?? ((xdfPath as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("session.\(format.rawValue)")
        let imuStreams = recording.streams.filter { ["IMU", "Metrics"].contains($0.info.type) && $0.info.name.hasPrefix("imu-") }
        guard let plates else {
            guard format == .csv else { throw failure("\(xdfPath): a session of IMUs only has no force plates for C3D; export it as csv") }
            let origin = imuStreams.compactMap(\.timestamps.first).min() ?? 0
            try writeImuCSVs(imuStreams, origin: origin, beside: destination, path: xdfPath)
            return
        }
        do {
            switch format {
            case .csv:
                try Self.writeNew(plates.cellForceCSV(), to: destination)
                if let metrics = try Self.metricsCSV(recording, origin: plates.timestamps.first ?? 0, path: xdfPath) {
                    let metricsPath = Self.metricsPath(beside: destination)
                    try Self.writeNew(metrics.text, to: metricsPath)
                    print("\(metricsPath): \(metrics.rows) metrics rows")
                }
            case .c3d:
                try C3DFile.write(C3DRecording(dualPlate: plates.frames, rateHz: plates.rateHz, layout: plates.layout,
                                               events: plates.events), to: destination)
            }
        } catch {
            throw failure("\(error)")
        }
        let seconds = Double(plates.frames.count) / plates.rateHz
        print("\(destination): \(plates.frames.count) samples at \(plates.rateHz) Hz (\(String(format: "%.2f", seconds)) s), "
              + "\(plates.events.count) events" + (plates.truncated ? " (the recording was cut short: what it holds)" : ""))
        if format == .csv { try writeImuCSVs(imuStreams, origin: plates.timestamps.first ?? 0, beside: destination, path: xdfPath) }
    }

    /// `DIR/NAME-STREAM.csv` per IMU stream and IMU metrics stream, times from `origin`.
    private func writeImuCSVs(_ streams: [XDFRecordedStream], origin: Double, beside destination: String, path: String) throws {
        let base = destination.hasSuffix(".csv") ? String(destination.dropLast(4)) : destination
        for stream in streams {
            guard let csv = StreamCSV.text(stream, origin: origin) else {
                throw failure("\(path): stream '\(stream.info.name)' does not name its channels; it cannot be exported as CSV")
            }
            let file = "\(base)-\(StreamCSV.fileStem(stream)).csv"
            do {
                try Self.writeNew(csv.text, to: file)
            } catch {
                throw failure("\(error)")
            }
            print("\(file): \(csv.rows) rows at \(stream.info.nominalRateHz) Hz")
        }
    }

    /// `DIR/NAME-metrics.csv` for `DIR/NAME.csv`.
    static func metricsPath(beside path: String) -> String {
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return base + "-metrics.csv"
    }

    /// The recording's `metrics` stream as `MetricsCSV`; nil when it has none (older recordings).
    static func metricsCSV(_ recording: XDFRecording, origin: Double, path: String) throws -> (text: String, rows: Int)? {
        guard let stream = recording.streams.first(where: { $0.info.name == "metrics" }) else { return nil }
        let width = MetricsChannels.list.count
        guard stream.info.channelCount == width, case .double64(let values) = stream.values else {
            throw ExportError("\(path): the metrics stream has \(stream.info.channelCount) channels of \(stream.info.format); this stance reads \(width) double64")
        }
        var text = MetricsCSV.header
        for row in 0..<stream.sampleCount {
            text += MetricsCSV.row(timeSeconds: stream.timestamps[row] - origin, values: values[(row * width)..<((row + 1) * width)])
        }
        return (text, stream.sampleCount)
    }

    private func failure(_ message: String) -> ExitCode {
        ExitCode(2, command: "export", message)
    }

    /// Creates `path` (never over an existing file) with `text`.
    private static func writeNew(_ text: String, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw ExportError("\(path): already exists (not overwritten)") }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ExportError("\(path): cannot create the file")
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}

struct ExportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
