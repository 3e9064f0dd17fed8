#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch

extension ProfileSet {
    /// Where the user's profiles live; each `*.toml` file holds one profile.
    public static let userDirectory = "/etc/stance/devices.d"

    /// The built-in profiles overridden by the `*.toml` files of `directory` (read in name order);
    /// a missing directory is no problem, an unreadable file is recorded in `problems`.
    public static func loading(directory: String = userDirectory) -> ProfileSet {
        var set = ProfileSet()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return set }
        for name in names.sorted() where name.hasSuffix(".toml") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let bytes = FileManager.default.contents(atPath: path) else {
                set.recordProblem("\(path): cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                set.recordProblem("\(path): not UTF-8 text")
                continue
            }
            set.add(text: text, path: path)
        }
        return set
    }
}
