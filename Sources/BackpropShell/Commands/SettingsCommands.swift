import Backprop

/// set, history, reset, clear, quit.
enum SettingsCommands {
    static let settings: [String: [String]] = [
        "precision": [], "notation": ["unicode", "ascii"], "color": ["on", "off"],
        "lambda": [], "cost": ["squared", "xent"], "reduction": ["sum", "mean"],
    ]

    static let set = Command(
        name: "set",
        usage: "set precision N | notation unicode|ascii | color on|off | lambda X | cost squared|xent | reduction sum|mean",
        summary: "change how numbers are shown, or the cost J",
        details: """
        precision: significant digits (1 to 17, 9 by default); notation: z₁⁽²⁾ or z^(2)_1;
        lambda: λ of the L2 term λ/2 Σθ²; cost: ½‖y − a‖² or cross-entropy;
        reduction: J summed over samples (the lecture) or their mean.
        """,
        example: "set precision 4",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(2...2, usage: "set NAME VALUE")
            try args.expectNoAssignment(usage: "set NAME VALUE")
            let name = args.positional[0].text.lowercased()
            let token = args.positional[1]
            let value = token.text.lowercased()
            func pick(_ choices: [String]) throws(ShellError) -> String {
                guard choices.contains(value) else {
                    throw ShellError("set \(name) takes \(choices.joined(separator: " or ")), not '\(token.text)'", near: token.text)
                }
                return value
            }
            switch name {
            case "precision":
                state.style.precision = try Values.integer(token.text, what: "precision", in: 1...17)
                return "precision: \(state.style.precision) significant digits"
            case "notation":
                state.style.unicode = try pick(["unicode", "ascii"]) == "unicode"
                return "notation: \(value)"
            case "color", "colour":
                state.style.color = try pick(["on", "off"]) == "on"
                return "color: \(value)"
            case "lambda":
                let lambda = try Values.number(token.text, what: "lambda")
                guard lambda >= 0 else { throw ShellError("lambda must be 0 or more", near: token.text) }
                state.objective.lambda = lambda
                state.changed("\(ctx.render.n.symbolName("λ")) changed")
                return "\(ctx.render.n.symbolName("λ")) = \(ctx.render.num(lambda))"
            case "cost":
                var objective = state.objective
                objective.cost = try pick(["squared", "xent"]) == "xent" ? .crossEntropy : .squared
                do throws(EngineError) { try state.network.validate(objective) } catch {
                    throw ShellError(Describe.engineError(error, ctx.render))
                }
                state.objective = objective
                state.changed("the cost changed")
                return "cost: " + PassCommands.costEquation(state, ctx.render)
            case "reduction":
                state.objective.reduction = try pick(["sum", "mean"]) == "sum" ? .sum : .mean
                state.changed("the reduction changed")
                return "J is the \(value) over samples"
            default:
                throw ShellError("nothing called '\(args.positional[0].text)' to set: choose \(settings.keys.sorted().joined(separator: ", "))",
                                 near: args.positional[0].text)
            }
        },
        complete: { _, given, partial in
            if given.isEmpty { return Complete.matching(settings.keys.sorted(), partial) }
            if given.count == 1 { return Complete.matching(settings[given[0]] ?? [], partial) }
            return []
        }
    )

    static let history = Command(
        name: "history",
        usage: "history",
        summary: "list the lines typed in this session",
        details: "Up and Down recall them at the prompt; they are kept across sessions.",
        example: "history",
        run: { _, _, _ throws(ShellError) in "" }
    )

    static let reset = Command(
        name: "reset",
        usage: "reset",
        summary: "start again from the classic 2-2-2 example (settings are kept)",
        details: "Network, weights, sample and λ go back to the example the shell starts with.",
        example: "reset",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "reset")
            var fresh = SessionState.example(style: state.style)
            fresh.lesson = state.lesson
            state = fresh
            return "back to the classic 2-2-2 example: x = [0.05 0.1], y = [0.01 0.99]"
        }
    )

    static let clear = Command(
        name: "clear",
        usage: "clear",
        summary: "clear the screen (Ctrl-L does too); the session is kept",
        details: "Only the terminal is cleared: network, weights, sample, data and history stay as they are.",
        example: "clear",
        run: { _, args, _ throws(ShellError) in
            try args.expectPositional(0...0, usage: "clear")
            return ""
        }
    )

    static let quit = Command(
        name: "quit",
        usage: "quit",
        summary: "leave the shell (Ctrl-D does too)",
        details: "The history is saved.",
        example: "quit",
        run: { _, _, _ throws(ShellError) in "" }
    )
}
