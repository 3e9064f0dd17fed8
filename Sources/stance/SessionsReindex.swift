import ArgumentParser
import StanceCatalogue

extension Sessions {
    /// `stance sessions reindex`: the catalogue rebuilt from every session file.
    struct Reindex: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the catalogue from every */session.xdf of the sessions directory.")

        @OptionGroup var options: SessionsDirectoryOptions

        func run() throws {
            let (catalogue, update) = try options.rebuiltCatalogue(command: "reindex")
            print("\(catalogue.databasePath): \(update.indexed.count) sessions indexed, \(update.problems.count) files skipped")
        }
    }
}
