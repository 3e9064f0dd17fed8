import Foundation

/// The package's root directory (this file is Tests/StanceCLITests/StanceProcess.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `stance` executable built beside this test bundle.
let stanceExecutable = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("stance")

struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the real `stance` binary with `arguments` and waits for it; with `asNobody`, as the user
/// nobody (uid 65534) through setpriv, which only root may do.
func runStance(_ arguments: [String], asNobody: Bool = false) throws -> ProcessResult {
    let process = Process()
    if asNobody {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", stanceExecutable.path] + arguments
    } else {
        process.executableURL = stanceExecutable
        process.arguments = arguments
    }
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read before waiting, so a large output cannot fill the pipe and deadlock.
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self)
    )
}

/// Writes `text` to a new temporary file and returns its path.
func temporaryFile(named name: String, contents text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}
