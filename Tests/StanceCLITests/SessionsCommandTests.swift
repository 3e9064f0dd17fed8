import Foundation
import StanceRecording
import Testing

@Suite("stance sessions (the real binary)")
struct SessionsCommandTests {
    /// A sessions directory with sessions `ann-1` (subject ann) and `bob-1` (subject bob), 200
    /// samples each at 100 Hz, and a `junk` directory whose session.xdf is not XDF.
    private func sessionsDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sessions-\(UUID().uuidString.prefix(8))")
        try addSession("ann-1", subject: "ann", day: "2026-11-24", to: directory)
        try addSession("bob-1", subject: "bob", day: "2026-11-25", to: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("junk"), withIntermediateDirectories: true)
        try Data("XDF:garbage".utf8).write(to: directory.appendingPathComponent("junk/session.xdf"))
        return directory
    }

    /// Writes session `id` (exercise quiet, started `day` 08:30 UTC) into `directory`.
    private func addSession(_ id: String, subject: String, day: String, to directory: URL) throws {
        var writer = XDFWriter(headerInfo: [XMLTag("session", children: [
            XMLTag("id", id), XMLTag("started_utc", "\(day)T08:30:00Z"), XMLTag("subject", subject), XMLTag("exercise", "quiet"),
        ])])
        for (stream, newtons) in [(UInt32(1), Float(80)), (2, 95)] {
            try writer.addStream(stream, XDFStreamInfo(name: stream == 1 ? "left plate" : "right plate", type: "Force", channelCount: 4,
                                                       nominalRateHz: 100, format: .float32, createdAtSeconds: 5))
            let values = (0..<200).flatMap { n in [newtons + sin(Float(n) / 20), newtons, newtons - sin(Float(n) / 20), newtons] }
            try writer.appendSamples(stream, float32: values, timestamps: .each((0..<200).map { 10 + Double($0) / 100 }))
        }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(id), withIntermediateDirectories: true)
        try Data(writer.bytes).write(to: directory.appendingPathComponent("\(id)/session.xdf"))
    }

    @Test("list --json: the catalogue rows with units in their keys; the unreadable file is reported on stderr")
    func listJSON() throws {
        let directory = try sessionsDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runStance(["sessions", "list", "--dir", directory.path, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == ["ann-1", "bob-1"])
        let ann = try #require(rows.first)
        #expect(ann["subject"] as? String == "ann" && ann["samples"] as? Int == 200 && abs((ann["duration_s"] as? Double ?? 0) - 1.99) < 1e-9)
        #expect(abs((ann["mean_left_pct"] as? Double ?? 0) - 100 * 320 / 700) < 0.01, "\(ann)")
        #expect(ann["force_dominant"] as? String == "right" && ann["path"] as? String == directory.path + "/ann-1/session.xdf")
        #expect(result.standardError.contains("skipped \(directory.path)/junk/session.xdf: "), "\(result.standardError)")

        let filtered = try runStance(["sessions", "list", "--dir", directory.path, "--json", "--since", "2026-11-25"])
        #expect(filtered.standardOutput.contains("\"bob-1\"") && !filtered.standardOutput.contains("\"ann-1\""))
        let bySubject = try runStance(["sessions", "list", "--dir", directory.path, "--subject", "ann"])
        #expect(bySubject.status == 0 && bySubject.standardOutput.contains("ann-1") && !bySubject.standardOutput.contains("bob-1"))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/catalogue.sqlite"))
    }

    @Test("show: per-leg means, asymmetry and sway with units; an unknown id or directory exits 2 naming it")
    func show() throws {
        let directory = try sessionsDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runStance(["sessions", "show", "bob-1", "--dir", directory.path])
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["mean force left", " N (45.7 %)", "force asymmetry", "% (right larger)", "sway path (combined COP)", " mm²"] {
            #expect(result.standardOutput.contains(text), "\(text) in \(result.standardOutput)")
        }
        #expect(!result.standardOutput.contains("shank ROM") && !result.standardOutput.contains("single-leg"),
                "a session without IMUs has no IMU rows: \(result.standardOutput)")
        let unknown = try runStance(["sessions", "show", "nobody", "--dir", directory.path])
        #expect(unknown.status == 2 && unknown.standardError.contains("no session 'nobody' in \(directory.path)"), "\(unknown.standardError)")
        let missing = try runStance(["sessions", "list", "--dir", "/nonexistent/sessions"])
        #expect(missing.status == 2 && missing.standardError.contains("/nonexistent/sessions: no such sessions directory"),
                "\(missing.standardError)")
        let reindex = try runStance(["sessions", "reindex", "--dir", directory.path])
        #expect(reindex.status == 0 && reindex.standardOutput.contains("2 sessions indexed, 1 files skipped"), "\(reindex.standardOutput)")
    }

    @Test("--since that is not a day of the calendar: exit status 2 naming the option and the value")
    func sinceNotADate() throws {
        let directory = try sessionsDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for day in ["2026-13-01", "2026-02-30", "2026-04-31", "2026-11-5"] {
            let result = try runStance(["sessions", "list", "--dir", directory.path, "--since", day])
            #expect(result.status == 2, "\(day): \(result.status) \(result.standardError)")
            #expect(result.standardError == "stance sessions list: --since: '\(day)' is not a date (YYYY-MM-DD)\n", "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        let leap = try runStance(["sessions", "list", "--dir", directory.path, "--since", "2024-02-29", "--json"])
        #expect(leap.status == 0 && leap.standardOutput.contains("\"ann-1\""), "\(leap.standardError)")
    }

    @Test("catalogue.sqlite that cannot be opened (a directory, which stops root too): list and show index in memory; reindex exits 2 naming it")
    func catalogueCannotBeOpened() throws {
        let directory = try sessionsDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = try runStance(["sessions", "list", "--dir", directory.path, "--json"])
        #expect(expected.status == 0, "\(expected.standardError)")
        let database = directory.path + "/catalogue.sqlite"
        try FileManager.default.removeItem(atPath: database)
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: false)

        let list = try runStance(["sessions", "list", "--dir", directory.path, "--json"])
        #expect(list.status == 0, "\(list.standardError)")
        #expect(list.standardOutput == expected.standardOutput)
        #expect(list.standardError.components(separatedBy: "\(database): cannot use it (").count == 2, "said once: \(list.standardError)")
        let show = try runStance(["sessions", "show", "bob-1", "--dir", directory.path])
        #expect(show.status == 0 && show.standardOutput.contains("force asymmetry"), "\(show.standardError)")
        let reindex = try runStance(["sessions", "reindex", "--dir", directory.path])
        #expect(reindex.status == 2 && reindex.standardError.contains("stance sessions reindex: \(database): "), "\(reindex.standardError)")
    }

    // chmod 0555 does not stop root: as root the reader is the user nobody, through setpriv.
    @Test("a sessions directory the user can read but not write: list and show print what its owner sees; reindex exits 2 naming it",
          .enabled(if: geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnlyDirectory() throws {
        let directory = try sessionsDirectory()
        defer {
            chmod(directory.path, 0o755)
            try? FileManager.default.removeItem(at: directory)
        }
        let reader = geteuid() == 0
        let database = directory.path + "/catalogue.sqlite"
        #expect(try runStance(["sessions", "reindex", "--dir", directory.path]).status == 0)
        // A session recorded after the catalogue was last written: the reader must see it too.
        try addSession("cat-1", subject: "cat", day: "2026-11-26", to: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        #expect(chmod(directory.path, 0o555) == 0)

        let list = try runStance(["sessions", "list", "--dir", directory.path, "--json"], asNobody: reader)
        #expect(list.status == 0, "\(list.standardError)")
        #expect(list.standardError.components(separatedBy: "\(database): cannot update it (").count == 2, "said once: \(list.standardError)")
        #expect(list.standardError.contains("not writable") && list.standardError.contains("may be stale"), "\(list.standardError)")
        let show = try runStance(["sessions", "show", "cat-1", "--dir", directory.path], asNobody: reader)
        #expect(show.status == 0 && show.standardOutput.contains("cat"), "\(show.standardError)")
        let reindex = try runStance(["sessions", "reindex", "--dir", directory.path], asNobody: reader)
        #expect(reindex.status == 2, "\(reindex.standardError)")
        #expect(reindex.standardError.contains("stance sessions reindex: \(database): ") && reindex.standardError.contains("not writable"),
                "\(reindex.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "the reader never writes catalogue.sqlite")

        // No catalogue at all: every file indexed in memory, the same rows again.
        #expect(chmod(directory.path, 0o755) == 0)
        try FileManager.default.removeItem(atPath: database)
        #expect(chmod(directory.path, 0o555) == 0)
        let fresh = try runStance(["sessions", "list", "--dir", directory.path, "--json"], asNobody: reader)
        #expect(fresh.status == 0 && fresh.standardError.contains("\(database): cannot use it ("), "\(fresh.standardError)")

        #expect(chmod(directory.path, 0o755) == 0)
        let owner = try runStance(["sessions", "list", "--dir", directory.path, "--json"])
        #expect(owner.status == 0 && !owner.standardError.contains("cannot"), "\(owner.standardError)")
        #expect(owner.standardOutput.contains("\"cat-1\""))
        #expect(list.standardOutput == owner.standardOutput && fresh.standardOutput == owner.standardOutput)
    }
}
