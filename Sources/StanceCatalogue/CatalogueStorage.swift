/// Where a `Catalogue` keeps its rows.
public enum CatalogueStorage: Sendable, Equatable {
    /// `catalogue.sqlite` in the sessions directory, read and written.
    case file
    /// The rows of `catalogue.sqlite`, read through a read-only connection into memory, where
    /// `update()` brings them up to date; the file is never written.
    case memoryCopy
    /// Memory only, empty at first: `update()` indexes every session file.
    case memory
}
