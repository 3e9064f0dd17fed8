#if canImport(Glibc)
import Glibc
#endif

/// Writes an encoded C3D file in one go: created new (`O_CREAT | O_EXCL`, an existing file is an
/// error and is never truncated), written, `fdatasync`ed and closed, with `XDFFile`'s plain POSIX
/// calls so that a failure names the path and the system's reason
/// (`/tmp/x.c3d: create failed: File exists`). A file that fails after it was created is removed.
public enum C3DFile {
    public static func write(_ recording: C3DRecording, to path: String) throws(C3DFileError) {
        let bytes: [UInt8]
        do { bytes = try recording.encoded() } catch { throw .encoding(error) }
        var file: XDFFile
        do { file = try XDFFile(creating: path) } catch { throw .system(error) }
        do {
            try file.append(bytes)
            try file.sync()
            try file.close()
        } catch {
            // A torn C3D file has no boundary to resume at: leave none behind.
            unlink(path)
            throw .system(error)
        }
    }
}

/// Why a C3D file was not written.
public enum C3DFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case encoding(C3DError)
    case system(XDFFile.Failure)

    public var description: String {
        switch self {
        case .encoding(let error): error.description
        case .system(let failure): failure.description
        }
    }
}
