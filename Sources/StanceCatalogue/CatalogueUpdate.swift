/// What bringing the catalogue up to date did.
public struct CatalogueUpdate: Sendable, Equatable {
    /// Session files read and (re)written to the catalogue, in path order.
    public var indexed: [String] = []
    /// Rows dropped because their file is gone (or now unreadable).
    public var removed: [String] = []
    /// Rows whose file had the same size and modification time: not read.
    public var unchanged = 0
    /// Files skipped, with the reason.
    public var problems: [CatalogueProblem] = []

    public init() {}
}
