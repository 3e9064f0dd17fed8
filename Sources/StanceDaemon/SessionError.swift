/// Why a session could not start or lost data: the message names the path and the reason.
public struct SessionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
