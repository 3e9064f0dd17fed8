import Foundation
import GRDB

/// The session catalogue of a sessions directory: `catalogue.sqlite` beside the session
/// directories, a cache of what their `session.xdf` files say. `update()` reads only what is new
/// or changed; `reindex()` rebuilds it from every file. A user who cannot write the directory
/// gets the same rows in memory (`Catalogue.updated(directory:)`).
public struct Catalogue: Sendable {
    public static let fileName = "catalogue.sqlite"

    /// The sessions directory, absolute: rows name their files the same from any working directory.
    public let directory: String
    /// `directory/catalogue.sqlite`.
    public let databasePath: String
    /// Where the rows live: the file, or memory (see `Catalogue.updated(directory:)`).
    public let storage: CatalogueStorage
    private let database: DatabaseQueue

    /// Opens the catalogue of `directory`. With `.file` (the default) `catalogue.sqlite` is created
    /// or migrated; `.memoryCopy` copies its rows into memory through a read-only connection;
    /// `.memory` starts empty. Only `.file` ever writes to the file.
    public init(directory: String, storage: CatalogueStorage = .file) throws(CatalogueError) {
        try SessionsDirectory.check(directory)
        let directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.directory = directory
        databasePath = path
        self.storage = storage
        do {
            switch storage {
            case .file:
                database = try DatabaseQueue(path: path)
            case .memoryCopy:
                var configuration = Configuration()
                configuration.readonly = true
                let file = try DatabaseQueue(path: path, configuration: configuration)
                database = try DatabaseQueue()
                try file.backup(to: database)
            case .memory:
                database = try DatabaseQueue()
            }
            try CatalogueSchema.migrator.migrate(database)
        } catch {
            throw .database(path: path, reason: Self.reason(error, directory: directory))
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
            throw .database(path: databasePath, reason: Self.reason(error, directory: directory))
        }
    }

    /// SQLite's message; when it could not open or write the file and the directory is not
    /// writable by this user, that too (SQLite does not say it).
    private static func reason(_ error: any Error, directory: String) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        let message = error.message ?? "\(error.resultCode)"
        guard [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(error.resultCode),
              let problem = SessionsDirectory.writeProblem(directory) else { return message }
        return "\(message); the sessions directory is not writable by this user: \(problem)"
    }
}
