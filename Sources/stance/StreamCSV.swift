import StanceRecording

/// A recorded numeric stream as CSV, its columns named from the stream's own `<desc><channels>`:
/// `time_s` (seconds from `origin`), then `LABEL_UNIT` per channel ("/" written "_", LABEL alone
/// for a dimensionless one); NaN is an empty field. For the IMU streams and their metrics (`stance export --format csv`).
enum StreamCSV {
    /// Nil for a stream that is not float32 or double64, or whose `<desc>` does not name every
    /// channel with a label.
    static func text(_ stream: XDFRecordedStream, origin: Double) -> (text: String, rows: Int)? {
        guard let channels = stream.info.channelLabels else { return nil }
        let names = channels.map { channel in
            // A dimensionless channel (unit "1", a quaternion's) is named by its label alone.
            channel.label + (channel.unit.flatMap { $0 == "1" || $0.isEmpty ? nil : "_" + $0.replacingOccurrences(of: "/", with: "_") } ?? "")
        }
        let width = stream.info.channelCount
        let values: [Double]
        switch stream.values {
        case .float32(let floats): values = floats.map(Double.init)
        case .double64(let doubles): values = doubles
        default: return nil
        }
        var text = (["time_s"] + names).joined(separator: ",") + "\n"
        for row in 0..<stream.sampleCount {
            text += MetricsCSV.row(timeSeconds: stream.timestamps[row] - origin, values: values[(row * width)..<((row + 1) * width)])
        }
        return (text, stream.sampleCount)
    }

    /// The file name part for a stream: `imu-left-shank metrics` → `imu-left-shank-metrics`.
    static func fileStem(_ stream: XDFRecordedStream) -> String {
        stream.info.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.reduce(into: "") { $0.append($1) }
    }
}
