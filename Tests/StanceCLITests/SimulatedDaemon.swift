import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `stance simulate` (one or more) with its device links in a fresh temporary directory, and
/// `stanced` reading them with its socket there too; `stop()` ends them and removes the directory.
final class SimulatedDaemon {
    let directory: URL
    let socketPath: String
    private let simulators: [Process]
    private let daemon = Process()
    private let daemonLog = Pipe()
    /// What the daemon logged so far: read as it comes, so that a daemon that logs more than a
    /// pipe holds (64 kB) never blocks on its stderr.
    private let logged = LogBuffer()

    /// - Parameters:
    ///   - simulate: `stance simulate` arguments (the link directory is added).
    ///   - link: the device link to wait for before the daemon starts.
    ///   - daemonArguments: `stanced` arguments but `--socket`, given the directory (write a
    ///     configuration file there first if the test needs one).
    convenience init(simulate: [String], waitingFor link: String, daemonArguments: (URL) throws -> [String]) throws {
        try self.init(simulators: [simulate], waitingFor: [link], daemonArguments: daemonArguments)
    }

    /// - Parameters:
    ///   - simulators: one `stance simulate` per element, all with links in the one directory.
    ///   - links: the device links to wait for before the daemon starts.
    init(simulators arguments: [[String]], waitingFor links: [String], daemonArguments: (URL) throws -> [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stance-process-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("stance.sock").path
        simulators = arguments.map { _ in Process() }
        for (simulator, simulate) in zip(simulators, arguments) {
            simulator.executableURL = stanceExecutable
            simulator.arguments = ["simulate"] + simulate + ["--link-dir", directory.path]
            simulator.standardOutput = Pipe()
            try simulator.run()
        }
        for link in links { Self.wait(forFile: path(link)) }
        daemon.executableURL = stancedExecutable
        daemon.arguments = try daemonArguments(directory) + ["--socket", socketPath]
        daemon.standardError = daemonLog
        let logged = logged
        daemonLog.fileHandleForReading.readabilityHandler = { handle in logged.append(handle.availableData) }
        try daemon.run()
        Self.wait(forFile: socketPath)
    }

    private static func wait(forFile path: String) {
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: path), Date() < deadline { usleep(20_000) }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    var processIdentifier: Int32 { daemon.processIdentifier }

    /// A `stance` command against this daemon's socket.
    func stance(_ arguments: [String]) throws -> ProcessResult {
        try runStance(arguments + ["--socket", socketPath])
    }

    /// `stance status --json`, parsed.
    func status() throws -> [String: Any] {
        let status = try stance(["status", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
    }

    /// Stops the daemon (SIGTERM) and returns what it logged.
    func stopDaemon() -> String {
        if daemon.isRunning { daemon.terminate() }
        daemon.waitUntilExit()
        daemonLog.fileHandleForReading.readabilityHandler = nil
        logged.append(daemonLog.fileHandleForReading.readDataToEndOfFile())
        return String(decoding: logged.data, as: UTF8.self)
    }

    func stop() {
        _ = stopDaemon()
        for simulator in simulators where simulator.isRunning { simulator.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Bytes appended from the pipe's reading thread, read by the test's.
private final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()

    func append(_ data: Data) {
        lock.withLock { bytes.append(data) }
    }

    var data: Data { lock.withLock { bytes } }
}
