import ArgumentParser
import Foundation
import StanceRecording

/// Reads the session a command names, with or without plates (a session of IMUs only has none);
/// on failure prints `stance COMMAND: reason` and exits 2.
func readSessionRecording(_ session: String, command: String) throws -> (path: String, recording: XDFRecording, plates: SessionPlates?) {
    let path = SessionPlates.filePath(session: session)
    do {
        let (recording, plates) = try SessionPlates.readWithOptionalPlates(contentsOf: path)
        return (path, recording, plates)
    } catch {
        throw ExitCode(2, command: command, "\(error)")
    }
}
