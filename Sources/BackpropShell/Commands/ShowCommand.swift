import Backprop

/// show z|a|delta|theta|b|grad|cost|net [L].
enum ShowCommand {
    static let things = ["z", "a", "delta", "theta", "b", "grad", "cost", "net", "x", "y"]

    static let show = Command(
        name: "show",
        usage: "show z|a|delta|theta|b|grad|cost|x|y [L]  |  show net [z|delta]",
        summary: "show one quantity, for every layer or for layer L",
        details: """
        z, a and delta come from the pass over the current sample (run when needed);
        grad shows ∂J/∂Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾; cost (or J) shows J. net draws the network:
        each unit with its a (show net z: z and a; show net delta: δ), and between two
        layers the rows of Θ⁽ˡ⁾ and b⁽ˡ⁾ that feed each unit (shaded when the numbers do
        not fit 80 columns).
        """,
        example: "show delta 1",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...2, usage: "show z|a|delta|theta|b|grad|cost|net [L]")
            try args.expectNoAssignment(usage: "show WHAT [L]")
            let word = args.positional[0].text.lowercased()
            let what = word == "j" ? "cost" : word  // the lecture's name for the cost
            guard things.contains(what) else {
                throw ShellError("show what? choose \(things.joined(separator: ", "))", near: args.positional[0].text)
            }
            let r = ctx.render
            let n = r.n
            var layers = Array(1...state.network.L)
            if what == "net" {
                let values = try args.word(1).map { word throws(ShellError) -> SessionDiagram.Values in
                    switch word.lowercased() {
                    case "z": return .zAndA
                    case "a": return .a
                    case "delta": return .delta
                    default: throw ShellError("show net shows a, z or delta: show net [z|delta]", near: word)
                    }
                } ?? .a
                return try drawing(&state, values, r)
            }
            if args.positional.count == 2 {
                if ["cost", "x", "y"].contains(what) {
                    throw ShellError("show \(what) takes no layer", near: args.positional[1].text)
                }
                if what == "a", args.positional[1].text == "0" {
                    layers = [0]
                } else {
                    layers = [try NetworkCommands.layerNumber(args.positional[1], state)]
                }
            }
            switch what {
            case "x":
                return "x = " + r.matrix([state.x]).joined()
            case "y":
                return "y = " + r.matrix([state.y]).joined()
            case "theta":
                return layers.flatMap { l in
                    let t = state.network.theta(l)
                    if let summary = tooLarge(n.sym("Θ", l), t.rows, t.cols, t.elements, r) { return [summary] }
                    return r.matrix((0..<t.rows).map(t.row), label: "\(n.sym("Θ", l)) = ")
                }.joined(separator: "\n")
            case "b":
                guard state.network.hasBias else { throw ShellError("this network has no bias units") }
                return layers.map { "\(n.sym("b", $0)) = " + r.matrix([state.network.b($0)!]).joined() }
                    .joined(separator: "\n")
            case "cost":
                let (trace, note) = try state.forward()
                return join(note.map(r.dim), r.heading(PassCommands.costEquation(state, r)) + " = " + r.value(r.num(trace.J)))
            case "grad":
                let (trace, note) = try state.backward()
                return join(note.map(r.dim), layers.flatMap { l in
                    let g = trace.gradTheta[l]
                    if let summary = tooLarge(n.derivative(n.sym("Θ", l)), g.rows, g.cols, g.elements, r) { return [summary] }
                    return PassCommands.gradientLines(state, trace, l, r, shownRows: maximumShown)
                }.joined(separator: "\n"))
            default:
                let needsBackward = what == "delta"
                let (trace, note) = needsBackward ? try state.backward() : try state.forward()
                let symbol = what == "delta" ? "δ" : what
                let lines = layers.map { l in
                    let values = (1...state.network.sizes[l]).map { i in
                        what == "z" ? trace.z(l, i) : what == "a" ? trace.a(l, i) : trace.delta(l, i)
                    }
                    return vectorText(n.sym(symbol, l), values, r)
                }
                return join(note.map(r.dim), lines.joined(separator: "\n"))
            }
        },
        complete: { state, given, partial in
            if given.isEmpty { return Complete.matching(things, partial) }
            if given == ["net"] { return Complete.matching(["z", "delta"], partial) }
            if given.count == 1 && !["cost", "net", "x", "y"].contains(given[0]) {
                return Complete.layers(state, partial, from: given[0] == "a" ? 0 : 1)
            }
            return []
        }
    )

    /// The most numbers `show` prints of one matrix: more take long to format and
    /// scroll for minutes (Θ of net 7000 7000 has 49 million), with no Ctrl-C.
    static let maximumShown = 10_000

    /// One line in place of a matrix too large to print: its shape and range.
    static func tooLarge(_ symbol: String, _ rows: Int, _ cols: Int, _ values: [Double], _ r: Renderer) -> String? {
        guard rows * cols > maximumShown else { return nil }
        return "\(symbol) is \(rows) × \(cols): \(rows * cols) numbers, more than show prints (\(maximumShown)); "
            + "they range from \(r.num(values.min() ?? 0)) to \(r.num(values.max() ?? 0))"
    }

    /// A vector as a column: symbol = ⎡…⎤; long vectors as rows of 8.
    static func vectorText(_ symbol: String, _ values: [Double], _ r: Renderer) -> String {
        if values.count <= 16 {
            return r.matrix(values.map { [$0] }, label: "\(symbol) = ").joined(separator: "\n")
        }
        let texts = r.aligned(values)
        var lines = ["\(symbol) (\(values.count) units):"]
        for start in stride(from: 0, to: texts.count, by: 8) {
            let end = min(start + 8, texts.count)
            lines.append("  \(pad(left: String(start + 1), to: 4)): " + texts[start..<end].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// The network's layers, sizes, activations and cost, with a drawing of its units.
    static func describeNetwork(_ state: SessionState, _ r: Renderer) -> String {
        (describeLines(state, r) + [""] + drawing(state.network, r)).joined(separator: "\n")
    }

    /// The network's layers, sizes, activations and cost.
    static func describeLines(_ state: SessionState, _ r: Renderer) -> [String] {
        let n = r.n
        let net = state.network
        let shape = net.sizes.map(String.init).joined(separator: "-")
        let objective = state.objective
        var head = "network \(shape), bias \(net.hasBias ? "on" : "off"), cost "
        head += objective.cost == .squared ? "\(n.half)\(n.norm.0)y \(n.minus) a\(n.norm.1)" : "cross-entropy"
        head += ", \(objective.reduction == .sum ? "sum" : "mean") over samples"
        if objective.lambda != 0 { head += ", \(n.symbolName("λ")) = \(r.num(objective.lambda))" }
        var rows: [[String]] = [["layer", "units", "g", "weights"]]
        for l in 0...net.L {
            if l == 0 {
                rows.append(["0", String(net.sizes[0]), "input x", ""])
            } else {
                let weights = "\(n.sym("Θ", l)) \(net.sizes[l]) × \(net.sizes[l - 1])" + (net.hasBias ? ", \(n.sym("b", l))" : "")
                rows.append([String(l), String(net.sizes[l]), Describe.activation(net.layer(l).activation)
                             + (l == net.L ? " (output)" : ""), weights])
            }
        }
        return [r.heading(head)] + r.table(rows).map { "  " + $0 }
    }

    /// `show net`: the description, then the network with its weights and the values of
    /// the pass over the current sample.
    static func drawing(_ state: inout SessionState, _ values: SessionDiagram.Values, _ r: Renderer) throws(ShellError) -> String {
        let (trace, _) = values == .delta ? try state.backward() : try state.forward()
        let diagram = SessionDiagram.values(state, trace, values, r)
        var lines = describeLines(state, r)
        lines.append("")
        lines += diagram.lines()
        lines.append("")
        lines += SessionDiagram.footer(state, trace, diagram, r).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// The network's shape: every unit of a layer joined to every unit of the next.
    static func drawing(_ net: Network, _ r: Renderer) -> [String] {
        SessionDiagram.shape(net, r)
    }
}
