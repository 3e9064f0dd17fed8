import Foundation
import StanceCatalogue
import Testing

@Suite("the catalogue for a user who cannot write catalogue.sqlite (rows in memory, the same rows)")
struct CatalogueFallbackTests {
    /// Sessions a and b catalogued in `catalogue.sqlite`, then c recorded: the file is one session behind.
    private func staleCatalogue() throws -> SessionsFixture {
        let fixture = try SessionsFixture()
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann")
        try fixture.addSession("b", startedUTC: "2026-11-21T09:00:00Z", subject: "bob")
        try Catalogue(directory: fixture.directory).update()
        try fixture.addSession("c", startedUTC: "2026-11-22T09:00:00Z", subject: "cat")
        return fixture
    }

    /// The rows a writer of the directory gets (it brings `catalogue.sqlite` up to date).
    private func writersRows(_ fixture: SessionsFixture) throws -> [CatalogueEntry] {
        let catalogue = try Catalogue(directory: fixture.directory)
        try catalogue.update()
        return try catalogue.entries()
    }

    @Test("a memory copy reads catalogue.sqlite through a read-only connection, updates only what changed, and never writes the file")
    func memoryCopy() throws {
        let fixture = try staleCatalogue()
        defer { fixture.remove() }
        let database = fixture.directory + "/" + Catalogue.fileName
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let copy = try Catalogue(directory: fixture.directory, storage: .memoryCopy)
        #expect(copy.storage == .memoryCopy && copy.databasePath == database)
        let update = try copy.update()
        #expect(update.unchanged == 2 && update.indexed == [fixture.path("c")], "a and b came from the file: \(update)")
        #expect(try copy.reindex().indexed.count == 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(try copy.entries() == (try writersRows(fixture)))
    }

    @Test("catalogue.sqlite that cannot be opened (a directory, which stops root too): every file indexed in memory")
    func cannotOpen() throws {
        let fixture = try staleCatalogue()
        defer { fixture.remove() }
        let expected = try writersRows(fixture)
        let database = fixture.directory + "/" + Catalogue.fileName
        try FileManager.default.removeItem(atPath: database)
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: false)

        let (catalogue, update, fallback) = try Catalogue.updated(directory: fixture.directory)
        #expect(catalogue.storage == .memory && update.indexed.count == 3)
        #expect(fallback?.storage == .memory && fallback?.path == database)
        #expect(fallback?.description.hasPrefix("\(database): cannot use it (") == true, "\(String(describing: fallback))")
        #expect(try catalogue.entries() == expected)
        #expect(throws: CatalogueError.self) { try Catalogue(directory: fixture.directory).reindex() }
    }

    @Test("a writable directory: the file itself, no fallback")
    func writable() throws {
        let fixture = try staleCatalogue()
        defer { fixture.remove() }
        let (catalogue, update, fallback) = try Catalogue.updated(directory: fixture.directory)
        #expect(fallback == nil && catalogue.storage == .file && update.indexed == [fixture.path("c")])
        #expect(throws: CatalogueError.noDirectory(path: "/nonexistent/sessions")) {
            try Catalogue.updated(directory: "/nonexistent/sessions")
        }
    }

    // chmod 0555 does not stop root; as root, SessionsCommandTests runs this case as the user nobody.
    @Test("a directory this user cannot write (chmod 0555): the rows of catalogue.sqlite, brought up to date in memory",
          .enabled(if: geteuid() != 0, "root ignores chmod 0555 (covered as nobody in SessionsCommandTests.readOnlyDirectory)"))
    func readOnlyDirectory() throws {
        let fixture = try staleCatalogue()
        defer {
            chmod(fixture.directory, 0o755)
            fixture.remove()
        }
        let database = fixture.directory + "/" + Catalogue.fileName
        #expect(chmod(fixture.directory, 0o555) == 0)

        let (catalogue, update, fallback) = try Catalogue.updated(directory: fixture.directory)
        #expect(catalogue.storage == .memoryCopy && update.indexed == [fixture.path("c")] && update.unchanged == 2)
        #expect(fallback?.storage == .memoryCopy && fallback?.reason.contains("not writable by this user") == true,
                "\(String(describing: fallback))")
        do {
            try Catalogue(directory: fixture.directory).reindex()
            Issue.record("reindex wrote a read-only directory")
        } catch {
            guard case .database(let path, let reason) = error else { throw error }
            #expect(path == database && reason.contains("not writable by this user"), "\(reason)")
        }
        #expect(chmod(fixture.directory, 0o755) == 0)
        #expect(try catalogue.entries() == (try writersRows(fixture)))
    }
}
