import Foundation
import Backprop

/// What one executed line produced.
public struct Output: Sendable, Equatable {
    /// The text to show, without a trailing newline (may be empty).
    public var text: String
    /// True when the line failed; scripts stop at the first failure.
    public var isError: Bool
    /// True after `quit`.
    public var quit: Bool
    /// True after `clear`: a terminal front end clears the screen (a script ignores it).
    public var clearScreen: Bool

    public init(text: String, isError: Bool = false, quit: Bool = false, clearScreen: Bool = false) {
        self.text = text
        self.isError = isError
        self.quit = quit
        self.clearScreen = clearScreen
    }
}

/// How output is drawn.
public struct Style: Sendable, Equatable {
    public var unicode: Bool
    public var color: Bool
    /// Significant digits, 1 … 17.
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
    public let cancel: CancellationFlag
    var state: SessionState
    /// Called with a one-line status during long commands (train); the front end draws
    /// it in place. Nil: no progress is shown.
    public var progressHandler: ((String) -> Void)?
    /// Lines entered so far (for `history`): the last `historyLimit` or a few more.
    public private(set) var enteredLines: [String] = []
    /// How many lines were entered before `enteredLines[0]`.
    private(set) var forgottenLines = 0
    /// How many lines `history` keeps, as the line editor keeps 1000: a session that
    /// runs for days (or a soak test of 100 000 commands) does not grow without end.
    static let historyLimit = 1000

    /// A session with the classic example loaded; `cancel` is the Ctrl-C flag its long
    /// commands poll (a lesson's scratch session shares the running command's).
    public init(style: Style = Style(), cancel: CancellationFlag = CancellationFlag()) {
        self.cancel = cancel
        state = SessionState.example(style: style)
    }

    public var style: Style {
        get { state.style }
        set { state.style = newValue }
    }

    /// The prompt to show before each line.
    public var prompt: String { "backprop> " }

    /// The welcome line of an interactive session.
    public var welcome: String {
        "Backprop \(BackpropVersion.string) \(state.style.unicode ? "—" : "-") the classic 2-2-2 example is loaded: "
            + "type forward, backward, step or help"
    }

    /// Runs one line. A failing line changes nothing and returns one line of error.
    public func execute(_ line: String) -> Output {
        var output = run(line)
        output.text = TerminalSafe.text(output.text, colour: state.style.color, oneLine: output.isError,
                                        unicode: state.style.unicode)
        state.recorder?.record(line, output, session: ObjectIdentifier(self))  // `record FILE` … `record stop`
        return output
    }

    private func run(_ line: String) -> Output {
        // A lesson follows what the learner types, whether or not a front end shows
        // its suggestions.
        state.lesson.observe(enteredLines)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty && !trimmed.hasPrefix("#") { remember(line) }
        let render = state.render
        do throws(ShellError) {
            let tokens = try Lexer.tokens(line)
            guard let first = tokens.first else { return Output(text: "") }
            guard first.kind == .word else {
                throw ShellError("a line starts with a command; type help for the list", near: first.raw)
            }
            let name = first.text.lowercased()
            guard let command = CommandTable.command(named: name) else {
                throw ShellError(CommandTable.unknown(first.text), near: first.text)
            }
            if command.name == "quit" { return Output(text: "", quit: true) }
            if command.name == "history" {
                return Output(text: historyText())
            }
            let arguments = try Arguments(command: command.name, tokens: Array(tokens.dropFirst()),
                                          allowedOptions: command.options)
            var copy = state
            let context = Context(render: render, cancel: cancel,
                                  progress: progressHandler)
            let text = try command.run(&copy, arguments, context)
            state = copy
            if command.name == "clear" { return Output(text: "", clearScreen: true) }
            return Output(text: Session.trimmed(copy.style.unicode ? text : Transliterate.ascii(text)))
        } catch {
            let text = render.error(message(error))
            return Output(text: state.style.unicode ? text : Transliterate.ascii(text), isError: true)
        }
    }

    /// Output lines without trailing spaces.
    static func trimmed(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var line = Substring(line)
                while line.last == " " { line.removeLast() }
                return String(line)
            }
            .joined(separator: "\n")
    }

    private func message(_ error: ShellError) -> String {
        guard let near = error.near, !near.isEmpty, !error.message.contains("'\(near)'") else {
            return error.message
        }
        let shown = near.count > 40 ? String(near.prefix(40)) + "…" : near
        return "\(error.message) (at '\(shown)')"
    }

    private func historyText() -> String {
        let kept = enteredLines.suffix(Session.historyLimit)
        let first = forgottenLines + enteredLines.count - kept.count
        let width = String(forgottenLines + enteredLines.count).count
        return kept.enumerated().map { pad(left: String(first + $0.offset + 1), to: width) + "  " + $0.element }
            .joined(separator: "\n")
    }

    /// Adds a line to the history, forgetting the oldest in batches (the lesson's count
    /// of lines since its offer moves with them).
    private func remember(_ line: String) {
        enteredLines.append(line)
        guard enteredLines.count >= 2 * Session.historyLimit else { return }
        let dropped = enteredLines.count - Session.historyLimit
        enteredLines.removeFirst(dropped)
        forgottenLines += dropped
        state.lesson.linesAtOffer = max(0, state.lesson.linesAtOffer - dropped)
    }

    /// Completions of the word being typed at the end of `lineBeforeCursor`; each is a
    /// whole replacement for that word.
    public func completions(for lineBeforeCursor: String) -> [String] {
        let endsWithSpace = lineBeforeCursor.last == " "
        var words = lineBeforeCursor.split(separator: " ").map(String.init)
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        if words.isEmpty {
            return CommandTable.names.filter { $0.hasPrefix(partial.lowercased()) }
        }
        guard let command = CommandTable.command(named: words[0].lowercased()) else { return [] }
        return command.complete(state, Array(words.dropFirst()), partial)
    }
}
