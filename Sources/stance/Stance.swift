import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `stance`: the command-line client of the Stance force-plate daemon.
@main
struct Stance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance",
        abstract: "Per-leg force, weight shift, sway and left/right asymmetry from dual force plates.",
        version: "0.1.0",
        subcommands: [Analyze.self, Simulate.self, Ahrs.self, Devices.self, Status.self, Watch.self, Tare.self, Session.self, Mark.self, Export.self, Replay.self, Sessions.self]
    )

    /// `stance --socket PATH COMMAND …` works as `stance COMMAND --socket PATH …` does: a leading
    /// `--socket` becomes `$STANCE_SOCKET` for the command (a `--socket` after it still wins).
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--socket", arguments.count >= 2 {
            setenv("STANCE_SOCKET", arguments[1], 1)
            arguments.removeFirst(2)
        } else if let first = arguments.first, first.hasPrefix("--socket=") {
            setenv("STANCE_SOCKET", String(first.dropFirst("--socket=".count)), 1)
            arguments.removeFirst()
        }
        main(arguments)
    }
}
