/// help [COMMAND], from the command table.
enum HelpCommand {
    static let help = Command(
        name: "help",
        usage: "help [COMMAND]",
        summary: "list the commands, or explain one with an example",
        details: "Tab completes command names, options, layer numbers and activations.",
        example: "help explain",
        run: { _, args, ctx throws(ShellError) in
            try args.expectPositional(0...1, usage: "help [COMMAND]")
            let r = ctx.render
            if let name = args.word(0) {
                guard let command = CommandTable.command(named: name.lowercased()) else {
                    throw ShellError(CommandTable.unknown(name), near: name)
                }
                return [r.heading(text(command.usage, r)), text(command.summary, r), "",
                        text(command.details, r), "", "example: " + command.example].joined(separator: "\n")
            }
            let width = CommandTable.names.map(\.count).max() ?? 0
            return (["commands (help COMMAND for more):"]
                    + CommandTable.all.map { "  " + pad($0.name, to: width) + "  " + text($0.summary, r) })
                .joined(separator: "\n")
        },
        complete: { _, given, partial in given.isEmpty ? Complete.matching(CommandTable.names, partial) : [] }
    )

    /// Help text in the session's notation: the Unicode symbols spelled out in ASCII mode.
    static func text(_ s: String, _ r: Renderer) -> String {
        guard !r.n.unicode else { return s }
        return Transliterate.ascii(s)
    }
}
