import ArgumentParser
import Foundation
import StanceRecording
import StanceWire

extension Replay {
    /// `--check` for the IMUs: each recorded IMU metrics stream (id 32 + n) computed again from
    /// its IMU stream (id 16 + n) and compared bit for bit. Returns how many streams were checked.
    func checkImuMetrics(_ recording: XDFRecording, path: String) throws -> Int {
        let window = windowSeconds ?? recording.fileHeader?.child("config")?.childText("window_s").flatMap(Double.init) ?? 30
        var checked = 0
        for stream in recording.streams where stream.info.type == "Metrics" && stream.id >= 32 {
            guard let source = recording.stream(stream.id - 16), case .float32(let values) = source.values,
                  case .double64(let recorded) = stream.values,
                  let role = stream.info.desc.first(where: { $0.name == "computation" })?.childText("role"),
                  var metrics = RecordedImuMetrics(role: role, rateHz: source.info.nominalRateHz, windowSeconds: window,
                                                   metricsRateHz: stream.info.nominalRateHz) else {
                throw ExitCode(failing: "\(path): stream '\(stream.info.name)' has no IMU stream to replay from")
            }
            let width = source.info.channelCount, rowWidth = stream.info.channelCount
            guard width >= 6, rowWidth == RecordedImuMetrics.channels(metrics.kind).count else {
                throw ExitCode(failing: "\(path): '\(stream.info.name)' has \(rowWidth) channels; this stance computes "
                               + "\(RecordedImuMetrics.channels(metrics.kind).count)")
            }
            var row: [Double] = []
            var rows = 0
            for sample in 0..<source.sampleCount where rows < stream.sampleCount {
                let at = sample * width
                guard metrics.push(acceleration: SIMD3(values[at], values[at + 1], values[at + 2]),
                                   angularVelocity: SIMD3(values[at + 3], values[at + 4], values[at + 5]), into: &row) else { continue }
                if source.timestamps[sample].bitPattern != stream.timestamps[rows].bitPattern {
                    throw ExitCode(differs: "'\(stream.info.name)' row \(rows) is stamped \(stream.timestamps[rows]) s; the replay's "
                                   + "sample \(sample) is at \(source.timestamps[sample]) s")
                }
                for channel in 0..<rowWidth {
                    let mine = row[channel], theirs = recorded[rows * rowWidth + channel]
                    guard mine.bitPattern != theirs.bitPattern, !(mine.isNaN && theirs.isNaN) else { continue }
                    let label = RecordedImuMetrics.channels(metrics.kind)[channel]
                    throw ExitCode(differs: "'\(stream.info.name)' row \(rows), \(label.label): recorded \(theirs) \(label.unit), "
                                   + "replayed \(mine) \(label.unit)")
                }
                row.removeAll(keepingCapacity: true)
                rows += 1
            }
            guard rows == stream.sampleCount else {
                throw ExitCode(differs: "'\(stream.info.name)' holds \(stream.sampleCount) rows; the replay made \(rows)")
            }
            print("\(path): '\(stream.info.name)': \(rows) rows × \(rowWidth) channels from \(source.sampleCount) IMU samples: "
                  + "bit-identical to the recorded stream")
            checked += 1
        }
        return checked
    }
}

extension ExitCode {
    /// Exit 2 after `stance replay: MESSAGE` on standard error.
    init(failing message: String) {
        self.init(2, command: "replay", message)
    }

    /// Exit 1 after `stance replay: differs: MESSAGE` on standard error.
    init(differs message: String) {
        self.init(1, command: "replay", "differs: \(message)")
    }
}
