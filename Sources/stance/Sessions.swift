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
        reported on standard error (path and reason) and skipped. A user who can read the
        directory but not write catalogue.sqlite gets the same list in memory (said on standard
        error); reindex needs write access. Exit status 2 when the directory or the catalogue
        cannot be used, the session is not found, or --since is not a date.
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

    /// The catalogue of the directory, brought up to date, in memory when `catalogue.sqlite`
    /// cannot be written (said once); skipped files are reported.
    func updatedCatalogue(command: String) throws -> Catalogue {
        do {
            let (catalogue, update, fallback) = try Catalogue.updated(directory: directory)
            if let fallback { sessionsNote(command, "\(fallback)") }
            report(update, command: command)
            return catalogue
        } catch {
            throw sessionsFailure(command, "\(error)")
        }
    }

    /// The catalogue file of the directory, rebuilt from every session file.
    func rebuiltCatalogue(command: String) throws -> (Catalogue, CatalogueUpdate) {
        do {
            let catalogue = try Catalogue(directory: directory)
            let update = try catalogue.reindex()
            report(update, command: command)
            return (catalogue, update)
        } catch {
            throw sessionsFailure(command, "\(error)")
        }
    }

    private func report(_ update: CatalogueUpdate, command: String) {
        for problem in update.problems {
            sessionsNote(command, "skipped \(problem)")
        }
    }
}

/// Prints `stance sessions COMMAND: message` to standard error.
func sessionsNote(_ command: String, _ message: String) {
    FileHandle.standardError.write(Data("stance sessions \(command): \(message)\n".utf8))
}

/// Prints the message to standard error and ends with exit status 2.
func sessionsFailure(_ command: String, _ message: String) -> ExitCode {
    sessionsNote(command, message)
    return ExitCode(2)
}

/// JSON with sorted keys, as `stance analyze --json` prints it.
func sessionsJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
