#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import StanceRecording

/// The text of one row of each session CSV file (`SessionRecorder` says what the files hold).
/// Numbers are Swift's shortest round-trip form, so reading them back gives the same Doubles.
enum SessionCSV {
    static func sampleLine(_ row: SessionRecorder.Row) -> String {
        CellForceCSV.row(timeSeconds: row.deviceSeconds, cellsNewtons: row.cellsNewtons)
    }

    static func metricsLine(_ row: SessionRecorder.Row) -> String {
        let sequence = row.sequence >= 0 ? String(row.sequence) : ""
        return [number(row.deviceSeconds), number(row.hostSeconds), sequence, number(row.leftNewtons), number(row.rightNewtons),
                number(row.leftPercent), number(row.copMillimetres.x), number(row.copMillimetres.y)].joined(separator: ",") + "\n"
    }

    static func eventLine(_ note: SessionRecorder.Note) -> String {
        [number(note.deviceSeconds), number(note.hostSeconds), field(note.event), field(note.detail)].joined(separator: ",") + "\n"
    }

    /// Empty for NaN (no value), so readers see a missing field rather than a string.
    private static func number(_ value: Double) -> String { value.isFinite ? value.description : "" }

    /// Quoted (RFC 4180) when it holds a comma, quote or line break.
    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
