import Foundation

/// A file's size and modification time: what tells the catalogue a session file changed.
struct SessionFileStamp: Equatable, Sendable {
    var sizeBytes: Int64
    /// Seconds since 1970, nanosecond resolution where the file system keeps it.
    var modifiedSeconds: Double

    init(sizeBytes: Int64, modifiedSeconds: Double) {
        self.sizeBytes = sizeBytes
        self.modifiedSeconds = modifiedSeconds
    }

    /// The stamp of `path`, nil when it is not a regular file.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        sizeBytes = Int64(status.st_size)
        modifiedSeconds = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    }
}
