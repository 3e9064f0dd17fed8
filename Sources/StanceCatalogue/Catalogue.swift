import Foundation
import GRDB

/// The session catalogue of a sessions directory: `catalogue.sqlite` beside the session
/// directories, a cache of what their `session.xdf` files say. `update()` reads only what is new
/// or changed; `reindex()` rebuilds it from every file.
public struct Catalogue: Sendable {
    public static let fileName = "catalogue.sqlite"

    /// The sessions directory, absolute: rows name their files the same from any working directory.
    public let directory: String
    /// `directory/catalogue.sqlite`.
    public let databasePath: String
    private let database: DatabaseQueue

    /// Opens (creating or migrating) the catalogue of `directory`.
    public init(directory: String) throws(CatalogueError) {
        try SessionsDirectory.check(directory)
        let directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.directory = directory
        databasePath = (directory as NSString).appendingPathComponent(Self.fileName)
        do {
            database = try DatabaseQueue(path: databasePath)
            try CatalogueSchema.migrator.migrate(database)
        } catch {
            throw .database(path: (directory as NSString).appendingPathComponent(Self.fileName), reason: Self.reason(error))
        }
    }

    /// Indexes the session files that are new or whose size or modification time changed, and
    /// drops the rows whose file is gone.
    @discardableResult
    public func update() throws(CatalogueError) -> CatalogueUpdate {
        try refresh(rebuild: false)
    }

    /// Empties the catalogue and indexes every session file again.
    @discardableResult
    public func reindex() throws(CatalogueError) -> CatalogueUpdate {
        try refresh(rebuild: true)
    }

    /// The sessions matching `filter`, oldest first (as the catalogue holds them: `update()` first).
    public func entries(_ filter: CatalogueFilter = CatalogueFilter()) throws(CatalogueError) -> [CatalogueEntry] {
        try access { db in try filter.request().fetchAll(db) }
    }

    /// The session with id `id`, nil when the catalogue has none.
    public func entry(id: String) throws(CatalogueError) -> CatalogueEntry? {
        try access { db in try CatalogueEntry.fetchOne(db, key: id) }
    }

    private func refresh(rebuild: Bool) throws(CatalogueError) -> CatalogueUpdate {
        let files = try SessionsDirectory.sessionFiles(in: directory)
        var update = CatalogueUpdate()
        let known: [String: SessionFileStamp] = rebuild ? [:] : try access { db in
            var stamps: [String: SessionFileStamp] = [:]
            for entry in try CatalogueEntry.fetchAll(db) {
                stamps[entry.path] = SessionFileStamp(sizeBytes: entry.fileSizeBytes, modifiedSeconds: entry.fileModifiedSeconds)
            }
            return stamps
        }
        // Files are read outside the write transaction; only the rows are written in it.
        var fresh: [CatalogueEntry] = []
        var unreadable: Set<String> = []
        for path in files {
            if let stamp = known[path], stamp == SessionFileStamp(path: path) {
                update.unchanged += 1
                continue
            }
            do {
                fresh.append(try SessionIndexer.entry(path: path))
                update.indexed.append(path)
            } catch {
                update.problems.append(error)
                unreadable.insert(path)
            }
        }
        let present = Set(files).subtracting(unreadable)
        update.removed = known.keys.filter { !present.contains($0) }.sorted()
        let removed = update.removed
        let entries = fresh
        let duplicates = try access { db in
            if rebuild { try CatalogueEntry.deleteAll(db) }
            for path in removed { try CatalogueEntry.filter(CatalogueEntry.Column.path == path).deleteAll(db) }
            var duplicates: [CatalogueProblem] = []
            for entry in entries {
                try CatalogueEntry.filter(CatalogueEntry.Column.path == entry.path).deleteAll(db)
                // Two files claiming one id: the first indexed keeps it, the other is reported.
                if let other = try CatalogueEntry.fetchOne(db, key: entry.id) {
                    duplicates.append(CatalogueProblem(path: entry.path, reason: "session id '\(entry.id)' is also \(other.path)'s"))
                } else {
                    try entry.insert(db)
                }
            }
            return duplicates
        }
        update.problems += duplicates
        update.indexed.removeAll { path in duplicates.contains { $0.path == path } }
        return update
    }

    /// Runs `body` in a write transaction, with SQLite's failures named after the database file.
    private func access<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogueError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw .database(path: databasePath, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as? DatabaseError).map { $0.message ?? "\($0.resultCode)" } ?? "\(error)"
    }
}
