import Foundation
import StanceCatalogue
import StanceDSP
import Testing

@Suite("session catalogue (catalogue.sqlite from the session.xdf files)")
struct CatalogueTests {
    @Test("list by subject, exercise and since-day; oldest first")
    func queries() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann", exercise: "quiet")
        try fixture.addSession("b", startedUTC: "2026-11-24T23:59:59Z", subject: "bob", exercise: "quiet")
        try fixture.addSession("c", startedUTC: "2026-11-25T00:00:00Z", subject: "ann", exercise: "squat")
        let catalogue = try Catalogue(directory: fixture.directory)
        let update = try catalogue.update()
        #expect(update.indexed.count == 3 && update.problems.isEmpty)
        #expect(try catalogue.entries().map(\.id) == ["a", "b", "c"])
        #expect(try catalogue.entries(CatalogueFilter(subject: "ann")).map(\.id) == ["a", "c"])
        #expect(try catalogue.entries(CatalogueFilter(exercise: "quiet")).map(\.id) == ["a", "b"])
        #expect(try catalogue.entries(CatalogueFilter(sinceDay: "2026-11-25")).map(\.id) == ["c"])
        #expect(try catalogue.entries(CatalogueFilter(subject: "ann", exercise: "quiet", sinceDay: "2026-11-20")).map(\.id) == ["a"])
        #expect(try catalogue.entries(CatalogueFilter(subject: "nobody")).isEmpty)
        #expect(FileManager.default.fileExists(atPath: fixture.directory + "/catalogue.sqlite"))
        // The same directory named relatively: the rows keep their absolute paths, nothing is read again.
        let relative = try Catalogue(directory: fixture.directory + "/a/..")
        #expect(relative.directory == fixture.directory)
        #expect(try relative.update().unchanged == 3)
    }

    @Test("the row: metadata of the header, times of the plate streams, and TrialAnalysis's summary of the same cells")
    func summary() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        let frames = try fixture.addSession("s1", startedUTC: "2026-11-25T10:00:00Z", subject: "ann", exercise: "quiet",
                                            samples: 300, leftShare: 0.4)
        let catalogue = try Catalogue(directory: fixture.directory)
        try catalogue.update()
        let entry = try #require(try catalogue.entry(id: "s1"))
        let report = try TrialAnalysis.analyse(cellsNewtons: frames.map { SIMD8<Double>($0) }, rateHz: 100)

        #expect(entry.subject == "ann" && entry.exercise == "quiet" && entry.bodyMassKilograms == 72.5)
        #expect(entry.devices == "/dev/ttyUSB0 (sim)" && entry.path == fixture.path("s1") && !entry.truncated)
        #expect(entry.samples == 300 && entry.rateHz == 100)
        #expect(entry.firstSampleSeconds == 1000 && abs(entry.durationSeconds - 2.99) < 1e-9)
        #expect(entry.startedUTC == "2026-11-25T10:00:00Z" && entry.stoppedUTC == "2026-11-25T10:00:03Z")
        #expect(entry.meanLeftNewtons == report.left.meanForceNewtons && entry.meanRightNewtons == report.right.meanForceNewtons)
        #expect(entry.meanLeftPercent == report.weightDistribution.leftPercent)
        #expect(entry.meanRightPercent == report.weightDistribution.rightPercent)
        #expect(abs((entry.meanLeftPercent ?? 0) - 40) < 0.01, "40 % on the left, got \(String(describing: entry.meanLeftPercent))")
        #expect(entry.forceAsymmetryPercent == report.asymmetry.force.asymmetryPercent && entry.forceDominant == "right")
        #expect(entry.swayPathAsymmetryPercent == report.asymmetry.swayPath?.asymmetryPercent)
        #expect(entry.swayPathDominant == report.asymmetry.swayPath?.dominant.rawValue)
        #expect(entry.swayAreaAsymmetryPercent == report.asymmetry.swayArea?.asymmetryPercent)
        #expect(entry.swayPathMillimetres == report.combined.sway?.pathLengthMillimetres)
        #expect(entry.swayEllipseAreaSquareMillimetres == report.combined.sway?.ellipse95AreaSquareMillimetres)
        #expect((entry.swayPathMillimetres ?? 0) > 0 && (entry.swayPathAsymmetryPercent ?? 0) > 0)
    }

    @Test("reindex after deleting catalogue.sqlite gives the same rows")
    func reindexAfterDelete() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann")
        try fixture.addSession("b", startedUTC: "2026-11-21T09:00:00Z", subject: "bob")
        let before = try { let c = try Catalogue(directory: fixture.directory); try c.update(); return try c.entries() }()
        try FileManager.default.removeItem(atPath: fixture.directory + "/catalogue.sqlite")
        let catalogue = try Catalogue(directory: fixture.directory)
        #expect(try catalogue.entries().isEmpty)
        let update = try catalogue.reindex()
        #expect(update.indexed.count == 2 && update.unchanged == 0)
        #expect(try catalogue.entries() == before)
    }

    @Test("a corrupt file is skipped and reported with its path; the others are indexed")
    func corruptFile() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("good", startedUTC: "2026-11-20T09:00:00Z")
        try FileManager.default.createDirectory(atPath: fixture.directory + "/bad", withIntermediateDirectories: true)
        try Data("not an XDF file at all".utf8).write(to: URL(fileURLWithPath: fixture.path("bad")))
        let catalogue = try Catalogue(directory: fixture.directory)
        let update = try catalogue.reindex()
        #expect(update.indexed == [fixture.path("good")])
        #expect(update.problems.count == 1 && update.problems.first?.path == fixture.path("bad"), "\(update.problems)")
        #expect(try catalogue.entries().map(\.id) == ["good"])
        // Reported again on the next update (it is not in the catalogue to compare with).
        #expect(try catalogue.update().problems.map(\.path) == [fixture.path("bad")])
    }

    @Test("update reads only changed files: a rewritten file is re-indexed, a deleted one dropped")
    func changedFile() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann")
        try fixture.addSession("b", startedUTC: "2026-11-21T09:00:00Z", subject: "bob")
        let catalogue = try Catalogue(directory: fixture.directory)
        #expect(try catalogue.update().indexed.count == 2)
        let second = try catalogue.update()
        #expect(second.indexed.isEmpty && second.unchanged == 2)

        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann", samples: 500, leftShare: 0.6)
        let third = try catalogue.update()
        #expect(third.indexed == [fixture.path("a")] && third.unchanged == 1)
        let entry = try #require(try catalogue.entry(id: "a"))
        #expect(entry.samples == 500 && entry.forceDominant == "left")

        try FileManager.default.removeItem(atPath: fixture.directory + "/b")
        let fourth = try catalogue.update()
        #expect(fourth.removed == [fixture.path("b")] && fourth.indexed.isEmpty)
        #expect(try catalogue.entries().map(\.id) == ["a"])
    }

    @Test("two files with one session id: the first keeps it, the second is reported")
    func duplicateID() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z")
        try fixture.addSession("b", startedUTC: "2026-11-21T09:00:00Z")
        try FileManager.default.moveItem(atPath: fixture.directory + "/b", toPath: fixture.directory + "/c")
        try FileManager.default.copyItem(atPath: fixture.directory + "/a", toPath: fixture.directory + "/b")
        let catalogue = try Catalogue(directory: fixture.directory)
        let update = try catalogue.reindex()
        #expect(update.indexed == [fixture.path("a"), fixture.path("c")])
        #expect(update.problems == [CatalogueProblem(path: fixture.path("b"), reason: "session id 'a' is also \(fixture.path("a"))'s")])
        #expect(try catalogue.entries().map(\.path) == [fixture.path("a"), fixture.path("c")])
    }

    @Test("a missing sessions directory is an error naming it")
    func missingDirectory() {
        #expect(throws: CatalogueError.noDirectory(path: "/nonexistent/sessions")) {
            try Catalogue(directory: "/nonexistent/sessions")
        }
        #expect(CatalogueError.noDirectory(path: "/x").description == "/x: no such sessions directory")
    }

    @Test("--since days: YYYY-MM-DD of the calendar only (days of the month, leap years)")
    func days() {
        for text in ["2026-11-25", "2026-01-31", "2026-12-31", "2024-02-29", "2000-02-29", "2026-04-30"] {
            #expect(CatalogueFilter.isDay(text), "\(text)")
        }
        for text in ["2026-13-01", "2026-00-10", "2026-11-00", "2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31",
                     "2026-11-31", "2026-1-01", "20261125", "2026-11-25T00:00", "yesterday", ""] {
            #expect(!CatalogueFilter.isDay(text), "\(text)")
        }
    }
}
