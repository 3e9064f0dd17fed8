/// Why `Catalogue.updated(directory:)` could not use `catalogue.sqlite` itself, and what it used.
public struct CatalogueFallback: Sendable, Equatable, CustomStringConvertible {
    /// `.memoryCopy` (the file could be read) or `.memory` (it could not be read either).
    public var storage: CatalogueStorage
    /// `catalogue.sqlite`.
    public var path: String
    /// SQLite's reason (and the directory's, when it is not writable).
    public var reason: String

    public init(storage: CatalogueStorage, path: String, reason: String) {
        self.storage = storage
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch storage {
        case .memoryCopy:
            return "\(path): cannot update it (\(reason)); using a copy in memory brought up to date from the session files "
                + "(the file itself may be stale)"
        case .file, .memory:
            return "\(path): cannot use it (\(reason)); indexed the session files in memory instead (nothing saved)"
        }
    }
}

extension Catalogue {
    /// The catalogue of `directory`, brought up to date for reading, by whoever can read the
    /// directory: `catalogue.sqlite` when it can be written (fallback nil); else its rows copied
    /// into memory and updated there; else, when it is missing or cannot be read either, every
    /// session file indexed in memory. The rows are the same in all three.
    public static func updated(directory: String) throws(CatalogueError)
        -> (catalogue: Catalogue, update: CatalogueUpdate, fallback: CatalogueFallback?) {
        let cannotWrite: String
        do {
            let catalogue = try Catalogue(directory: directory)
            return (catalogue, try catalogue.update(), nil)
        } catch {
            guard case .database(_, let reason) = error else { throw error }
            cannotWrite = reason
        }
        let cannotRead: String
        do {
            let copy = try Catalogue(directory: directory, storage: .memoryCopy)
            let update = try copy.update()
            return (copy, update, CatalogueFallback(storage: .memoryCopy, path: copy.databasePath, reason: cannotWrite))
        } catch {
            guard case .database(_, let reason) = error else { throw error }
            cannotRead = reason
        }
        let memory = try Catalogue(directory: directory, storage: .memory)
        let update = try memory.update()
        let reason = cannotRead == cannotWrite ? cannotWrite : "\(cannotWrite); reading it: \(cannotRead)"
        return (memory, update, CatalogueFallback(storage: .memory, path: memory.databasePath, reason: reason))
    }
}
