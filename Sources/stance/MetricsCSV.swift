import StanceWire

/// The metrics stream as CSV (`stance export --format csv`, `stance replay --format csv`): a
/// `time_s` column (seconds from the session's first sample), then one column per METRICS number
/// named `LABEL_UNIT`; an absent number (NaN in the file) is an empty field.
enum MetricsCSV {
    static let header = (["time_s"] + MetricsChannels.list.map { "\($0.label)_\($0.unit.replacingOccurrences(of: "/", with: "_"))" })
        .joined(separator: ",") + "\n"

    /// One row: the time, then `values` (`MetricsChannels.list.count` of them here; `StreamCSV`
    /// writes its rows the same way).
    static func row(timeSeconds: Double, values: some Collection<Double>) -> String {
        ([timeSeconds] + values).map { $0.isNaN ? "" : "\($0)" }.joined(separator: ",") + "\n"
    }
}
