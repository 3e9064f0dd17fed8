import ArgumentParser

/// `stance`: the command-line client of the Stance force-plate daemon.
@main
struct Stance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance",
        abstract: "Per-leg force, weight shift, sway and left/right asymmetry from dual force plates.",
        version: "0.1.0",
        subcommands: [Analyze.self, Simulate.self, Devices.self, Status.self, Watch.self, Tare.self, Session.self, Mark.self, Export.self, Sessions.self]
    )
}
