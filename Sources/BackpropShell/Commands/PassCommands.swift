import Backprop

/// forward and backward: every z, a, J; every δ and gradient.
enum PassCommands {
    static let forward = Command(
        name: "forward",
        usage: "forward",
        summary: "push x through the network: z⁽ˡ⁾ and a⁽ˡ⁾ for every layer, then J",
        details: "z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = g(z⁽ˡ⁾), and J = ½‖y − a⁽ᴸ⁾‖².",
        example: "forward",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "forward")
            try args.expectNoAssignment(usage: "forward")
            let (trace, note) = try state.forward()
            return join(note.map { ctx.render.dim($0) }, forwardText(state, trace, ctx.render))
        }
    )

    static let backward = Command(
        name: "backward",
        usage: "backward",
        summary: "backpropagate: δ⁽ˡ⁾ for every layer, then ∂J/∂Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾",
        details: """
        δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) ⊙ g′(z⁽ᴸ⁾), δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾),
        ∂J/∂Θ⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λΘ⁽ˡ⁾, ∂J/∂b⁽ˡ⁾ = δ⁽ˡ⁾. Runs forward first when needed.
        """,
        example: "backward",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "backward")
            try args.expectNoAssignment(usage: "backward")
            let (trace, note) = try state.backward()
            return join(note.map { ctx.render.dim($0) }, backwardText(state, trace, ctx.render))
        }
    )

    /// The most units listed per layer before the rest is summarised.
    static let maximumRows = 12

    static func forwardText(_ state: SessionState, _ trace: Trace, _ r: Renderer) -> String {
        let n = r.n
        let net = state.network
        var lines: [String] = []
        lines.append(r.heading("\(n.sym("a", 0)) = x") + " = " + r.matrix([state.x]).joined())
        for l in 1...net.L {
            let g = net.layer(l).activation
            let zHead = "\(n.sym("z", l)) = \(n.sym("Θ", l)) \(n.sym("a", l - 1))" + (net.hasBias ? " + \(n.sym("b", l))" : "")
            let aHead = "\(n.sym("a", l)) = g(\(n.sym("z", l)))   \(Describe.activation(g))"
            let count = min(net.sizes[l], maximumRows)
            let zs = r.aligned((1...count).map { trace.z(l, $0) })
            let as_ = r.aligned((1...count).map { trace.a(l, $0) })
            var rows = [[r.heading(zHead), r.heading(aHead)]]
            for i in 1...count {
                rows.append(["  \(n.sym("z", l, [i])) = \(zs[i - 1])", "  \(n.sym("a", l, [i])) = \(r.value(as_[i - 1]))"])
            }
            lines += r.table(rows.map { [$0[0] + "  ", $0[1]] })
            if net.sizes[l] > count {
                lines.append(r.dim("  \(n.ellipsis) \(net.sizes[l] - count) more units: show z \(l), show a \(l)"))
            }
        }
        lines.append(r.heading(costEquation(state, r)) + " = " + r.value(r.num(trace.J)))
        return lines.joined(separator: "\n")
    }

    /// "J = ½‖y − a⁽ᴸ⁾‖²" (with the λ term and the cost in use).
    static func costEquation(_ state: SessionState, _ r: Renderer) -> String {
        let n = r.n
        let L = state.network.L
        var text: String
        switch state.objective.cost {
        case .squared:
            text = "J = \(n.half)\(n.norm.0)y \(n.minus) \(n.sym("a", L))\(n.norm.1)"
        case .crossEntropy:
            text = "J = \(n.minus)\(n.sum) [y ln \(n.sym("a", L)) + (1 \(n.minus) y) ln(1 \(n.minus) \(n.sym("a", L)))]"
        }
        if state.objective.lambda != 0 {
            text += " + \(n.symbolName("λ"))/2 \(n.sum)\(n.unicode ? "" : " ")\(n.symbolName("θ"))\(n.unicode ? "²" : "^2")"
        }
        return text
    }

    static func backwardText(_ state: SessionState, _ trace: Trace, _ r: Renderer) -> String {
        let n = r.n
        let net = state.network
        let L = net.L
        var lines: [String] = []
        for l in stride(from: L, through: 1, by: -1) {
            let head: String
            if l == L {
                head = state.objective.cost == .squared
                    ? "\(n.sym("δ", L)) = (\(n.sym("a", L)) \(n.minus) y) \(n.hadamard) \(n.gPrime)(\(n.sym("z", L)))"
                    : "\(n.sym("δ", L)) = \(n.sym("a", L)) \(n.minus) y"
            } else {
                head = "\(n.sym("δ", l)) = ((\(n.sym("Θ", l + 1)))\(n.transpose) \(n.sym("δ", l + 1))) \(n.hadamard) \(n.gPrime)(\(n.sym("z", l)))"
            }
            lines.append(r.heading(head))
            let count = min(net.sizes[l], maximumRows)
            let ds = r.aligned((1...count).map { trace.delta(l, $0) })
            for i in 1...count { lines.append("  \(n.sym("δ", l, [i])) = \(r.value(ds[i - 1]))") }
            if net.sizes[l] > count {
                lines.append(r.dim("  \(n.ellipsis) \(net.sizes[l] - count) more units: show delta \(l)"))
            }
        }
        for l in stride(from: L, through: 1, by: -1) {
            lines += gradientLines(state, trace, l, r)
        }
        return lines.joined(separator: "\n")
    }

    /// ∂J/∂Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾ as matrices.
    /// Matrices with more rows or columns than `shownRows` are summarised (`show grad`
    /// shows them whole, within its own limit).
    static func gradientLines(_ state: SessionState, _ trace: Trace, _ l: Int, _ r: Renderer,
                              shownRows: Int = maximumRows) -> [String] {
        let n = r.n
        var lines: [String] = []
        let lambda = state.objective.lambda
        let g = trace.gradTheta[l]
        let head = "\(n.derivative(n.sym("Θ", l))) = \(n.sym("δ", l)) (\(n.sym("a", l - 1)))\(n.transpose)"
            + (lambda != 0 ? " + \(n.symbolName("λ")) \(n.sym("Θ", l))" : "")
        lines.append(r.heading(head))
        if g.rows <= shownRows && g.cols <= shownRows {
            lines += r.matrix((0..<g.rows).map(g.row), label: "  ")
        } else {
            lines.append(r.dim("  a \(g.rows) × \(g.cols) matrix: show grad \(l)"))
        }
        if state.network.hasBias {
            lines.append(r.heading("\(n.derivative(n.sym("b", l))) = \(n.sym("δ", l))"))
            let b = trace.gradB[l]
            if b.count <= shownRows {
                lines.append("  " + r.matrix([b]).joined())
            } else {
                lines.append(r.dim("  \(b.count) entries: show grad \(l)"))
            }
        }
        return lines
    }
}

/// Lines joined by newlines, skipping nils.
func join(_ parts: String?...) -> String {
    parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
}
