import ArgumentParser
import Foundation
import StanceRecording

/// Reads the session a command names (its directory or its `session.xdf`); on failure prints
/// `stance COMMAND: reason` (the reason names the file) and exits 2.
func readSessionFile(_ session: String, command: String) throws -> (path: String, recording: XDFRecording, plates: SessionPlates) {
    let path = SessionPlates.filePath(session: session)
    do {
        let (recording, plates) = try SessionPlates.read(contentsOf: path)
        return (path, recording, plates)
    } catch {
        throw ExitCode(2, command: command, "\(error)")
    }
}

/// Reads the session a command names, with or without plates (a session of IMUs only has none);
/// on failure prints `stance COMMAND: reason` and exits 2.
func readSessionRecording(_ session: String, command: String) throws -> (path: String, recording: XDFRecording, plates: SessionPlates?) {
    let path = SessionPlates.filePath(session: session)
    do {
        let recording = try SessionPlates.readRecording(contentsOf: path)
        let hasImus = recording.streams.contains { $0.info.type == "IMU" }
        if hasImus, !recording.streams.contains(where: { $0.info.name == "left plate" }) { return (path, recording, nil) }
        return (path, recording, try SessionPlates(recording: recording, path: path))
    } catch {
        throw ExitCode(2, command: command, "\(error)")
    }
}
