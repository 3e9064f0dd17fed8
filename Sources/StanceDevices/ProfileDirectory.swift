import Foundation

extension ProfileSet {
    /// Where the user's profiles live; each `*.toml` file holds one profile.
    public static let userDirectory = "/etc/stance/devices.d"

    /// The built-in profiles overridden by the `*.toml` files of `directory` (read in name order);
    /// a missing directory is no problem, an unreadable file is recorded in `problems`.
    public static func loading(directory: String = userDirectory) -> ProfileSet {
        var set = ProfileSet()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return set }
        for name in names.sorted() where name.hasSuffix(".toml") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                set.add(text: try String(contentsOfFile: path, encoding: .utf8), path: path)
            } catch {
                set.recordProblem("\(path): cannot read: \(error.localizedDescription)")
            }
        }
        return set
    }
}
