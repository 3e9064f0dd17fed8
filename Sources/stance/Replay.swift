import ArgumentParser
import Foundation
import StanceDSP
import StanceRecording
import StanceWire

/// `stance replay SESSION`: a recorded session's cells through the session's metrics chain again,
/// printed as METRICS lines (or CSV) at the recorded pace, faster, or as fast as possible; with
/// `--check`, compared bit for bit with the metrics the daemon recorded.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a recorded session through the metrics chain again and print (or check) its metrics.",
        discussion: """
        SESSION is a session's directory or its session.xdf. The cells the file holds go through the same \
        chain the daemon recorded the session's metrics stream with (calibrated, tared cells → low-pass → \
        COP → sway windows, started at the session's first sample), with the settings in the file's header \
        unless overridden. Output: one METRICS object per line, as on the socket (docs/protocol.md), with \
        t_s counted from the session's first sample; or --format csv with the metrics stream's channels. \
        --check compares every number with the recorded metrics stream (bit for bit; NaN where both are \
        absent) and exits 1 on the first difference, naming it. To serve a recording on a socket as a live \
        device, use stanced --replay SESSION. Exit status 2 when the session cannot be read.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @Argument(help: "The session's directory, or its session.xdf.")
    var session: String

    @Option(help: "Pace: 1 = as recorded, 10 = ten times faster (> 0).")
    var speed: Double = 1

    @Flag(help: "As fast as possible (ignores --speed).")
    var max = false

    @Option(help: "json (METRICS objects) or csv.")
    var format: Format = .json

    @Flag(help: "Compare with the recorded metrics stream instead of printing; exit 1 on a difference.")
    var check = false

    @Option(name: .customLong("lowpass-hz"), help: "Re-analyse with this low-pass cutoff, Hz (0 = none).")
    var lowpassHz: Double?

    @Option(name: .customLong("window-s"), help: "Re-analyse with this sway window, seconds.")
    var windowSeconds: Double?

    @Option(name: .customLong("rate-hz"), help: "Re-analyse with this metrics rate, Hz.")
    var metricsRateHz: Double?

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number, got \(speed)") }
        if let windowSeconds, !(windowSeconds > 0 && windowSeconds <= 600) { throw ValidationError("--window-s must be in (0, 600] s") }
        if let metricsRateHz, !(metricsRateHz > 0) { throw ValidationError("--rate-hz must be positive") }
    }

    func run() throws {
        let (xdfPath, recording, readPlates) = try readSessionRecording(session, command: "replay")
        guard let plates = readPlates else {
            // A session of IMUs only: their metrics are all there is to check.
            guard check else {
                throw ExitCode(failing: "\(xdfPath): a session of IMUs only has no plate metrics to print; --check recomputes its IMU metrics")
            }
            guard try checkImuMetrics(recording, path: xdfPath) > 0 else { throw ExitCode(failing: "\(xdfPath): no metrics to check") }
            return
        }
        var settings = plates.analysis
        if let lowpassHz { settings.lowpassHz = lowpassHz }
        if let windowSeconds { settings.windowSeconds = windowSeconds }
        if let metricsRateHz { settings.metricsRateHz = metricsRateHz }
        var chain: RecordedMetricsChain
        do {
            chain = try RecordedMetricsChain(rateHz: plates.rateHz, layout: plates.layout, lowpassHz: settings.lowpassHz,
                                             windowSeconds: settings.windowSeconds, metricsRateHz: settings.metricsRateHz)
        } catch {
            throw ExitCode(failing: "\(xdfPath): cannot design a \(settings.lowpassHz) Hz low-pass at \(plates.rateHz) Hz: \(error)")
        }
        if check {
            try compare(recording: recording, plates: plates, chain: &chain, path: xdfPath)
            _ = try checkImuMetrics(recording, path: xdfPath)
        } else {
            play(plates: plates, chain: &chain)
        }
    }

    /// Prints the metrics, paced by the samples' recorded times.
    private func play(plates: SessionPlates, chain: inout RecordedMetricsChain) {
        let origin = plates.timestamps.first ?? 0
        let started = DispatchTime.now().uptimeNanoseconds
        if format == .csv { print(MetricsCSV.header, terminator: "") }
        var row: [Double] = []
        for (index, frame) in plates.frames.enumerated() {
            let time = plates.timestamps[index] - origin
            guard let snapshot = chain.push(cells: SIMD8<Float>(frame), timeSeconds: time,
                                            sampleSequence: Self.sequence(plates.deviceSequences[index])) else { continue }
            if !max {
                let due = started + UInt64(time / speed * 1e9)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { usleep(useconds_t(min((due - now) / 1000, 10_000_000))) }
            }
            switch format {
            case .json:
                FileHandle.standardOutput.write(Data(WireMessage.metrics(snapshot)))
            case .csv:
                row.removeAll(keepingCapacity: true)
                MetricsChannels.append(snapshot, to: &row)
                print(MetricsCSV.row(timeSeconds: time, values: row), terminator: "")
            }
        }
    }

    /// Replays every sample and compares each metrics row with the recorded one, bit for bit.
    private func compare(recording: XDFRecording, plates: SessionPlates, chain: inout RecordedMetricsChain, path: String) throws {
        guard let stream = recording.streams.first(where: { $0.info.name == "metrics" }), case .double64(let recorded) = stream.values else {
            throw ExitCode(failing: "\(path): no 'metrics' stream to check against (recorded before stanced kept one)")
        }
        let width = MetricsChannels.list.count
        guard stream.info.channelCount == width else {
            throw ExitCode(failing: "\(path): the recorded metrics stream has \(stream.info.channelCount) channels; this stance computes \(width)")
        }
        var row: [Double] = []
        var rows = 0
        for (index, frame) in plates.frames.enumerated() {
            guard let snapshot = chain.push(cells: SIMD8<Float>(frame), timeSeconds: plates.timestamps[index],
                                            sampleSequence: Self.sequence(plates.deviceSequences[index])) else { continue }
            guard rows < stream.sampleCount else { break }
            row.removeAll(keepingCapacity: true)
            MetricsChannels.append(snapshot, to: &row)
            if stream.timestamps[rows].bitPattern != plates.timestamps[index].bitPattern {
                throw ExitCode(differs: "metrics row \(rows) is stamped \(stream.timestamps[rows]) s; the replay's is at sample \(index), \(plates.timestamps[index]) s")
            }
            for channel in 0..<width {
                let mine = row[channel], theirs = recorded[rows * width + channel]
                guard mine.bitPattern != theirs.bitPattern, !(mine.isNaN && theirs.isNaN) else { continue }
                let label = MetricsChannels.list[channel]
                throw ExitCode(differs: "metrics row \(rows) (sample \(index)), \(label.label): recorded \(theirs) \(label.unit), replayed \(mine) \(label.unit)")
            }
            rows += 1
        }
        guard rows == stream.sampleCount else {
            throw ExitCode(differs: "the recording holds \(stream.sampleCount) metrics rows; the replay made \(rows)")
        }
        print("\(path): \(rows) metrics rows × \(width) channels from \(plates.frames.count) samples: bit-identical to the recorded metrics stream")
    }

    private static func sequence(_ value: Int64) -> UInt32? { value >= 0 ? UInt32(truncatingIfNeeded: value) : nil }
}
