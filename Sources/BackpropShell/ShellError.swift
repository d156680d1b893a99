/// A command that cannot run: one line naming the problem. `near` is the offending
/// token, quoted in the message when known.
public struct ShellError: Error, Equatable, Sendable {
    public let message: String
    public let near: String?

    public init(_ message: String, near: String? = nil) {
        self.message = message
        self.near = near
    }
}
