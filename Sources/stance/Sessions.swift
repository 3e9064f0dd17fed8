import ArgumentParser
import Foundation
import StanceCatalogue

/// `stance sessions list|show|reindex`: the catalogue of recorded sessions (`docs/recording.md`,
/// "Session catalogue"), read from the sessions directory without the daemon.
struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and reindex the recorded sessions (the catalogue of the sessions directory).",
        discussion: """
        The catalogue is catalogue.sqlite in the sessions directory, a cache of the session.xdf
        files: list and show first index the files that are new or changed and drop the rows of
        files that are gone; reindex rebuilds it from every file. A file that cannot be read is
        reported on standard error (path and reason) and skipped. Exit status 2 when the
        directory or the catalogue cannot be used, the session is not found, or --since is not
        a date.
        """,
        subcommands: [List.self, Show.self, Reindex.self]
    )
}

/// The sessions directory option every `stance sessions` command takes.
struct SessionsDirectoryOptions: ParsableArguments {
    static let defaultDirectory = "/var/lib/stance/sessions"

    @Option(name: .customLong("dir"),
            help: ArgumentHelp("The sessions directory (default \(defaultDirectory), stanced's default).", valueName: "dir"))
    var directory: String = defaultDirectory

    /// The catalogue of the directory, brought up to date (or rebuilt); skipped files are reported.
    func catalogue(command: String, rebuild: Bool = false) throws -> (Catalogue, CatalogueUpdate) {
        do {
            let catalogue = try Catalogue(directory: directory)
            let update = rebuild ? try catalogue.reindex() : try catalogue.update()
            for problem in update.problems {
                FileHandle.standardError.write(Data("stance sessions \(command): skipped \(problem)\n".utf8))
            }
            return (catalogue, update)
        } catch {
            throw sessionsFailure(command, "\(error)")
        }
    }
}

/// Prints the message to standard error and ends with exit status 2.
func sessionsFailure(_ command: String, _ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("stance sessions \(command): \(message)\n".utf8))
    return ExitCode(2)
}

/// JSON with sorted keys, as `stance analyze --json` prints it.
func sessionsJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
