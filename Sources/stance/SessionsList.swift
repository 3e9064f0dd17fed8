import ArgumentParser
import Foundation
import StanceCatalogue

extension Sessions {
    /// `stance sessions list`: one line per session, oldest first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded sessions, oldest first.")

        @OptionGroup var options: SessionsDirectoryOptions
        @Option(help: "Only this subject (exact).") var subject: String?
        @Option(help: "Only this exercise (exact).") var exercise: String?
        @Option(help: ArgumentHelp("Only sessions started on this UTC day or later.", valueName: "YYYY-MM-DD")) var since: String?
        @Flag(help: "Print a JSON array of the catalogue rows (keys with units) instead of a table.") var json = false

        func validate() throws {
            // Exit status 2 naming the option, as for the sessions commands' other bad input.
            if let since, !CatalogueFilter.isDay(since) {
                throw sessionsFailure("list", "--since: '\(since)' is not a date (YYYY-MM-DD)")
            }
        }

        func run() throws {
            let catalogue = try options.updatedCatalogue(command: "list")
            let entries: [CatalogueEntry]
            do {
                entries = try catalogue.entries(CatalogueFilter(subject: subject, exercise: exercise, sinceDay: since))
            } catch {
                throw sessionsFailure("list", "\(error)")
            }
            if json {
                print(try sessionsJSON(entries))
                return
            }
            print(["id", "started (UTC)", "duration", "subject", "exercise", "left/right", "asymmetry"]
                .joined(separator: "\t"))
            for entry in entries {
                print(Self.line(entry))
            }
        }

        private static func line(_ entry: CatalogueEntry) -> String {
            let split = zip(entry.meanLeftPercent, entry.meanRightPercent)
                .map { String(format: "%.1f/%.1f %%", $0, $1) } ?? "-"
            let asymmetry = zip(entry.forceAsymmetryPercent, entry.forceDominant)
                .map { String(format: "%.1f %% ", $0) + $1 } ?? "-"
            return [entry.id, entry.startedUTC ?? "-", String(format: "%.1f s", entry.durationSeconds) + (entry.truncated ? " (cut short)" : ""),
                    entry.subject ?? "-", entry.exercise ?? "-", split, asymmetry].joined(separator: "\t")
        }
    }
}

/// Both values, or nil.
func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
