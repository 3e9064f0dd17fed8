import ArgumentParser
import Foundation

/// `--socket`, shared by the commands that talk to stanced.
struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's socket (default: $STANCE_SOCKET, else /run/stance/stance.sock).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment["STANCE_SOCKET"] ?? "/run/stance/stance.sock"

    /// Connects, or prints why not (naming the socket and what to do) and exits with status 1.
    func connect(for command: String) throws -> DaemonConnection {
        do {
            return try DaemonConnection(socketPath: socket)
        } catch let failure as DaemonConnection.Failure {
            throw fail(command, failure.description)
        }
    }

    /// Sends one request and returns its reply of class `expected`; an ERROR or a broken
    /// connection is printed and exits with status 1.
    func request(_ command: String, _ request: String, expecting expected: String) throws -> (line: String, object: [String: Any]) {
        let connection = try connect(for: command)
        do {
            return try connection.request(request, expecting: expected)
        } catch let failure as DaemonConnection.Failure {
            throw fail(command, failure.description)
        }
    }

    func fail(_ command: String, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("stance \(command): \(message)\n".utf8))
        return ExitCode(1)
    }
}

/// A JSON string literal for a request (quotes, backslashes and control characters escaped).
func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}
