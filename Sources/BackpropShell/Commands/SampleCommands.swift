import Backprop

/// x = [..], y = [..]: the current sample.
enum SampleCommands {
    static let x = vectorCommand(
        name: "x", symbol: "x", what: "the input sample x = a⁽⁰⁾ (n₀ entries)", example: "x = [0.05 0.10]",
        size: { $0.network.sizes[0] }, set: { $0.x = $1 })
    static let y = vectorCommand(
        name: "y", symbol: "y", what: "the target y of the sample (n_L entries)", example: "y = [0.01 0.99]",
        size: { $0.network.sizes.last! }, set: { $0.y = $1 })

    private static func vectorCommand(
        name: String, symbol: String, what: String, example: String,
        size: @escaping @Sendable (SessionState) -> Int, set: @escaping @Sendable (inout SessionState, [Double]) -> Void
    ) -> Command {
        Command(
            name: name,
            usage: "\(name) = [v1 v2 …]",
            summary: "set \(what)",
            details: "A row [a b] or a column [a; b]; `\(name)` alone shows it.",
            example: example,
            run: { state, args, ctx throws(ShellError) in
                try args.expectPositional(0...0, usage: "\(name) = [..]")
                guard let value = args.assigned else {
                    let v = name == "x" ? state.x : state.y
                    return "\(symbol) = " + ctx.render.matrix([v]).joined()
                }
                guard value.kind == .matrix else { throw ShellError("expected a vector in brackets [ ]", near: value.raw) }
                let v = try Values.vector(value.text)
                let n = size(state)
                guard v.count == n else {
                    throw ShellError("\(symbol) needs \(n) entr\(n == 1 ? "y" : "ies") for this network, got \(v.count)", near: value.raw)
                }
                set(&state, v)
                state.changed("\(symbol) changed")
                return "\(symbol) = " + ctx.render.matrix([v]).joined()
            }
        )
    }
}
