import Foundation

/// stanced's UTC timestamps, `YYYY-MM-DDTHH:MM:SSZ`.
enum UTCTimestamp {
    /// `timestamp` plus `seconds`, rounded to the second; nil when `timestamp` is not of that form.
    static func adding(_ seconds: Double, to timestamp: String) -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        guard seconds.isFinite, let start = formatter.date(from: timestamp) else { return nil }
        return formatter.string(from: start.addingTimeInterval(seconds.rounded()))
    }
}
