import Backprop

/// What one executed line produced.
public struct Output: Sendable, Equatable {
    /// The text to show, without a trailing newline (may be empty).
    public var text: String
    /// True when the line failed; scripts stop at the first failure.
    public var isError: Bool
    /// True after `quit`.
    public var quit: Bool

    public init(text: String, isError: Bool = false, quit: Bool = false) {
        self.text = text
        self.isError = isError
        self.quit = quit
    }
}

/// How output is drawn.
public struct Style: Sendable, Equatable {
    public var unicode: Bool
    public var color: Bool
    public var precision: Int

    public init(unicode: Bool = true, color: Bool = false, precision: Int = 9) {
        self.unicode = unicode
        self.color = color
        self.precision = precision
    }
}

/// One learner's session: the network, the sample, the settings. `execute` runs one
/// line and returns its text; nothing here touches a terminal.
public final class Session {
    /// Set by the front end's Ctrl-C handler; long commands poll it.
    public let cancel = CancellationFlag()
    public var style: Style

    public init(style: Style = Style()) {
        self.style = style
    }

    /// The prompt to show before each line.
    public var prompt: String { "backprop> " }

    /// The welcome line of an interactive session.
    public var welcome: String { "Backprop \(BackpropVersion.string) — type help" }

    /// Runs one line.
    public func execute(_ line: String) -> Output {
        Output(text: "not yet: \(line)", isError: true)
    }

    /// Completions of the last word of `lineBeforeCursor` (each a whole replacement
    /// for that word).
    public func completions(for lineBeforeCursor: String) -> [String] {
        []
    }

    /// Lines entered so far (for `history`).
    public var enteredLines: [String] = []
}
