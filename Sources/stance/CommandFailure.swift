import ArgumentParser
import Foundation

extension ExitCode {
    /// Prints `stance COMMAND: MESSAGE` on standard error, and ends with `status`.
    init(_ status: Int32, command: String, _ message: String) {
        FileHandle.standardError.write(Data("stance \(command): \(message)\n".utf8))
        self = ExitCode(status)
    }
}
