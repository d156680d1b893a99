import Backprop

/// What a command may use besides the session state: the renderer and the Ctrl-C flag.
struct Context {
    let render: Renderer
    /// The Ctrl-C flag.
    let cancel: CancellationFlag
    var isCancelled: () -> Bool { { [cancel] in cancel.isSet } }
    /// Shows a progress line of long work in place (nil when nobody watches).
    var progress: ((String) -> Void)?
}

/// One command of the shell's language: its name, its help, how it parses and runs,
/// and how its words complete. `help`, parsing and Tab completion all come from
/// `CommandTable.all`; nothing lists the commands twice.
struct Command: Sendable {
    let name: String
    /// One line: the command's form, e.g. "net N0 N1 … NL [act=sigmoid] [bias=on|off]".
    let usage: String
    /// One line: what it does.
    let summary: String
    /// More lines for `help NAME`.
    let details: String
    /// An example line.
    let example: String
    /// The option names (`name=value`) it accepts.
    var options: [String] = []
    /// Runs on a copy of the state; the copy replaces the session's state only on success.
    let run: @Sendable (inout SessionState, Arguments, Context) throws(ShellError) -> String
    /// Completions for the word being typed, given the words before it (after the name).
    var complete: @Sendable (SessionState, [String], String) -> [String] = { _, _, _ in [] }
}

/// Completion helpers shared by the commands' `complete` functions.
enum Complete {
    /// The choices that start with `partial`.
    static func matching(_ choices: [String], _ partial: String) -> [String] {
        choices.filter { $0.hasPrefix(partial) }
    }

    /// Layer numbers 1 … L.
    static func layers(_ state: SessionState, _ partial: String, from first: Int = 1) -> [String] {
        matching((first...max(state.network.L, first)).map(String.init), partial)
    }

    /// `name=` for each option not given yet, plus values after `name=`.
    static func options(_ options: [String: [String]], given: [String], _ partial: String) -> [String] {
        if let eq = partial.firstIndex(of: "=") {
            let name = String(partial[..<eq])
            let value = String(partial[partial.index(after: eq)...])
            return (options[name] ?? []).filter { $0.hasPrefix(value) }.map { name + "=" + $0 }
        }
        let used = Set(given.compactMap { $0.split(separator: "=").first.map(String.init) })
        return options.keys.sorted().filter { !used.contains($0) }.map { $0 + "=" }.filter { $0.hasPrefix(partial) }
    }
}
