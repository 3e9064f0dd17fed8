import ArgumentParser
import Foundation
import StanceCatalogue

extension Sessions {
    /// `stance sessions show ID`: one session's metadata and summary.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one session: metadata, per-leg means, asymmetry and sway.")

        @Argument(help: "The session's id (as `stance sessions list` prints it).") var id: String
        @OptionGroup var options: SessionsDirectoryOptions
        @Flag(help: "Print the catalogue row as JSON (keys with units).") var json = false

        func run() throws {
            let catalogue = try options.updatedCatalogue(command: "show")
            let found: CatalogueEntry?
            do {
                found = try catalogue.entry(id: id)
            } catch {
                throw sessionsFailure("show", "\(error)")
            }
            guard let entry = found else {
                throw sessionsFailure("show", "no session '\(id)' in \(options.directory)")
            }
            print(json ? try sessionsJSON(entry) : Self.text(entry), terminator: json ? "\n" : "")
        }

        static func text(_ entry: CatalogueEntry) -> String {
            func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "-" }
            func asymmetry(_ percent: Double?, _ dominant: String?) -> String {
                zip(percent, dominant).map { String(format: "%.1f %%", $0) + " (\($1) larger)" } ?? "-"
            }
            let rows: [(String, String)] = [
                ("session", entry.id),
                ("subject", entry.subject ?? "-"),
                ("exercise", entry.exercise ?? "-"),
                ("body mass", number(entry.bodyMassKilograms, "%.1f kg")),
                ("notes", entry.notes ?? "-"),
                ("started (UTC)", entry.startedUTC ?? "-"),
                ("stopped (UTC)", entry.stoppedUTC ?? "-"),
                ("duration", String(format: "%.2f s, %d samples at %g Hz", entry.durationSeconds, entry.samples, entry.rateHz)
                    + (entry.truncated ? " (the recording was cut short)" : "")),
                ("devices", entry.devices.isEmpty ? "-" : entry.devices),
                ("file", "\(entry.path) (\(entry.fileSizeBytes) bytes)"),
                ("mean force left", number(entry.meanLeftNewtons, "%.1f N") + (entry.meanLeftPercent.map { String(format: " (%.1f %%)", $0) } ?? "")),
                ("mean force right", number(entry.meanRightNewtons, "%.1f N") + (entry.meanRightPercent.map { String(format: " (%.1f %%)", $0) } ?? "")),
                ("force asymmetry", asymmetry(entry.forceAsymmetryPercent, entry.forceDominant)),
                ("sway path asymmetry", asymmetry(entry.swayPathAsymmetryPercent, entry.swayPathDominant)),
                ("sway area asymmetry", asymmetry(entry.swayAreaAsymmetryPercent, entry.swayAreaDominant)),
                ("sway path (combined COP)", number(entry.swayPathMillimetres, "%.1f mm")),
                ("95 % ellipse (combined COP)", number(entry.swayEllipseAreaSquareMillimetres, "%.1f mm²")),
            ]
            // The IMUs' rows, for a session with shank or trunk IMUs.
            let hasImuSummary = entry.shankROMLeftDegrees != nil || entry.shankROMRightDegrees != nil || entry.singleLegSegment != nil
            let imuRows: [(String, String)] = !hasImuSummary ? [] : [
                ("shank ROM left / right", number(entry.shankROMLeftDegrees, "%.1f°") + " / " + number(entry.shankROMRightDegrees, "%.1f°")),
                ("shank ROM asymmetry", asymmetry(entry.shankROMAsymmetryPercent, entry.shankROMDominant)),
                ("single-leg stance", entry.singleLegSegment.map { segment in
                    "\(segment) sway: " + number(entry.singleLegLeftSeconds, "%.1f s") + " on the left, "
                        + number(entry.singleLegRightSeconds, "%.1f s") + " on the right"
                } ?? "-"),
                ("single-leg sway path asymmetry", asymmetry(entry.singleLegSwayPathAsymmetryPercent, entry.singleLegSwayPathDominant)),
            ]
            let shown = rows + imuRows
            let width = shown.map(\.0.count).max() ?? 0
            return shown.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined()
        }
    }
}
