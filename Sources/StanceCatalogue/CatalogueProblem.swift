/// A session file the catalogue skipped, and why: it is reported, never fatal.
public struct CatalogueProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `session.xdf` that could not be indexed.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Why the catalogue itself could not be used: the message names the directory or the database.
public enum CatalogueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sessions directory does not exist or is not a directory.
    case noDirectory(path: String)
    /// SQLite failed on the database file (cannot create it, read-only, corrupt…).
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .noDirectory(let path): return "\(path): no such sessions directory"
        case .database(let path, let reason): return "\(path): \(reason)"
        }
    }
}
