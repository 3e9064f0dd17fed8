import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `*/session.xdf` files of a sessions directory: one directory per session.
enum SessionsDirectory {
    /// The session files under `directory`, sorted by path.
    static func sessionFiles(in directory: String) throws(CatalogueError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .noDirectory(path: directory)
        }
        return names.sorted().compactMap { name in
            let path = (directory as NSString).appendingPathComponent(name) + "/session.xdf"
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
    }

    /// `directory` exists and is a directory.
    static func check(_ directory: String) throws(CatalogueError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noDirectory(path: directory)
        }
    }

    /// Why this user cannot create files in `directory` (`access(2)`'s errno, e.g. "Permission
    /// denied"), or nil when it can.
    static func writeProblem(_ directory: String) -> String? {
        access(directory, W_OK | X_OK) == 0 ? nil : String(cString: strerror(errno))
    }
}
