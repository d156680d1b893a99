import Backprop

/// step: the forward pass, the cost and the backward pass, one equation at a time.
enum StepCommand {
    enum Stage: Equatable {
        case z(Int), a(Int), cost, delta(Int), gradient(Int)
    }

    static func stages(_ L: Int) -> [Stage] {
        (1...L).flatMap { [Stage.z($0), .a($0)] } + [.cost]
            + stride(from: L, through: 1, by: -1).map { .delta($0) }
            + stride(from: L, through: 1, by: -1).map { .gradient($0) }
    }

    static let step = Command(
        name: "step",
        usage: "step [restart]",
        summary: "the next single equation of forward, cost and backward, with its numbers",
        details: """
        Each step shows the equation, then the same with the numbers substituted, then the
        result, and says what comes next. A change to the network or the sample starts
        again from z⁽¹⁾; `step restart` does so at once.
        """,
        example: "step",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...1, usage: "step [restart]")
            try args.expectNoAssignment(usage: "step")
            var note: String?
            if let word = args.word(0) {
                guard word.lowercased() == "restart" else {
                    throw ShellError("step takes only the word restart", near: word)
                }
                state.stepIndex = 0
            }
            if state.stepVersion != state.version {
                if state.stepIndex > 0 { note = "(the network or the sample changed: stepping starts again)" }
                state.stepIndex = 0
                state.stepVersion = state.version
            }
            let (trace, _) = try state.backward()
            let all = stages(state.network.L)
            let index = state.stepIndex
            let r = ctx.render
            var lines: [String] = []
            if let note { lines.append(r.dim(note)) }
            lines.append(r.dim("step \(index + 1) of \(all.count): \(title(all[index], state.network.L))"))
            lines += text(all[index], state, trace, r)
            if index + 1 < all.count {
                lines.append(r.dim("next: \(title(all[index + 1], state.network.L))"))
                state.stepIndex = index + 1
            } else {
                lines.append(r.dim("backward pass complete: update applies \(r.n.sym("Θ", nil)) \(r.n.arrow) \(r.n.sym("Θ", nil)) \(r.n.minus) \(r.n.symbolName("α")) \(r.n.derivative(r.n.sym("Θ", nil))); step again starts over"))
                state.stepIndex = 0
            }
            return lines.joined(separator: "\n")
        },
        complete: { _, given, partial in given.isEmpty ? Complete.matching(["restart"], partial) : [] }
    )

    static func title(_ stage: Stage, _ L: Int) -> String {
        switch stage {
        case .z(let l): return "forward, layer \(l): z = Θ a" + " (weighted sums)"
        case .a(let l): return "forward, layer \(l): a = g(z)"
        case .cost: return "the cost J"
        case .delta(let l): return l == L ? "backward: the output error δ, layer \(l)" : "backward: the error δ of layer \(l)"
        case .gradient(let l): return "backward: the gradient of layer \(l)"
        }
    }

    /// Above this many units a step shows symbols and result but not every number.
    static let largest = 8

    static func text(_ stage: Stage, _ state: SessionState, _ trace: Trace, _ r: Renderer) -> [String] {
        let n = r.n
        let net = state.network
        let L = net.L
        func vector(_ m: Matrix) -> [Double] { m.column(0) }
        func small(_ sizes: Int...) -> Bool { sizes.allSatisfy { $0 <= largest } }
        func equation(_ lhs: String, _ symbolic: String, _ numeric: [String]?, _ result: [String]) -> [String] {
            let head = r.heading(lhs) + " = " + symbolic
            let indent = String(repeating: " ", count: lhs.visibleWidth)
            var lines = [head]
            if let numeric {
                lines += numeric.enumerated().map { index, line in
                    (index == (numeric.count - 1) / 2 ? indent + " = " : indent + "   ") + line
                }
            }
            lines += result.enumerated().map { index, line in
                (index == (result.count - 1) / 2 ? indent + " = " : indent + "   ") + r.value(line)
            }
            return lines
        }
        switch stage {
        case .z(let l):
            let symbolic = "\(n.sym("Θ", l)) \(n.sym("a", l - 1))" + (net.hasBias ? " + \(n.sym("b", l))" : "")
            var numeric: [String]?
            if small(net.sizes[l], net.sizes[l - 1]) {
                var blocks = [r.block(net.theta(l)), r.column(vector(trace.a[l - 1]))]
                var seps = [" "]
                if let b = net.b(l) { blocks.append(r.column(b)); seps.append(" + ") }
                numeric = r.beside(blocks, seps)
            }
            return equation(n.sym("z", l), symbolic, numeric, r.column(vector(trace.z[l])))
        case .a(let l):
            let g = net.layer(l).activation
            let symbolic = "g(\(n.sym("z", l))),   g(z) = \(Describe.formula(g, "z", r))"
            let numeric = small(net.sizes[l]) ? r.beside([["g("], r.column(vector(trace.z[l])), [")"]], ["", ""]) : nil
            return equation(n.sym("a", l), symbolic, numeric, r.column(vector(trace.a[l])))
        case .cost:
            let symbolic = String(PassCommands.costEquation(state, r).dropFirst(4))
            var numeric: [String]?
            if small(net.sizes[L]) && state.objective.cost == .squared && state.objective.lambda == 0 {
                numeric = r.beside([[n.half + n.norm.0], r.column(state.y), r.column(vector(trace.a[L])), [n.norm.1]],
                                   ["", " \(n.minus) ", ""])
            }
            return equation("J", symbolic, numeric, [r.num(trace.J)])
        case .delta(let l):
            let gprime = (1...net.sizes[l]).map { trace.gPrime(net, l, $0) }
            if l == L {
                if state.objective.cost == .crossEntropy {
                    let numeric = small(net.sizes[L]) ? r.beside([r.column(vector(trace.a[L])), r.column(state.y)], [" \(n.minus) "]) : nil
                    return equation(n.sym("δ", L), "\(n.sym("a", L)) \(n.minus) y   (cross-entropy: g′ cancels)",
                                    numeric, r.column(vector(trace.delta[L])))
                }
                let symbolic = "(\(n.sym("a", L)) \(n.minus) y) \(n.hadamard) \(n.gPrime)(\(n.sym("z", L)))"
                let numeric = small(net.sizes[L]) ? r.beside(
                    [["("], r.column(vector(trace.a[L])), r.column(state.y), [")"], r.column(gprime)],
                    ["", " \(n.minus) ", "", " \(n.hadamard) "]) : nil
                return equation(n.sym("δ", L), symbolic, numeric, r.column(vector(trace.delta[L])))
            }
            let symbolic = "(\(n.sym("Θ", l + 1)))\(n.transpose) \(n.sym("δ", l + 1)) \(n.hadamard) \(n.gPrime)(\(n.sym("z", l)))"
            let numeric = small(net.sizes[l], net.sizes[l + 1]) ? r.beside(
                [r.block(net.theta(l + 1).transposed), r.column(vector(trace.delta[l + 1])), r.column(gprime)],
                [" ", " \(n.hadamard) "]) : nil
            return equation(n.sym("δ", l), symbolic, numeric, r.column(vector(trace.delta[l])))
        case .gradient(let l):
            let lambda = state.objective.lambda
            let symbolic = "\(n.sym("δ", l)) (\(n.sym("a", l - 1)))\(n.transpose)" + (lambda != 0 ? " + \(n.symbolName("λ")) \(n.sym("Θ", l))" : "")
            var numeric: [String]?
            if small(net.sizes[l], net.sizes[l - 1]) {
                var blocks = [r.column(vector(trace.delta[l])), r.matrix([vector(trace.a[l - 1])])]
                var seps = [" "]
                if lambda != 0 { blocks += [[r.num(lambda)], r.block(net.theta(l))]; seps += [" + ", " "] }
                numeric = r.beside(blocks, seps)
            }
            var lines = equation(n.derivative(n.sym("Θ", l)), symbolic, numeric, r.block(trace.gradTheta[l]))
            if net.hasBias {
                lines.append(r.heading(n.derivative(n.sym("b", l))) + " = \(n.sym("δ", l)) = " + r.value(r.matrix([trace.gradB[l]]).joined()))
            }
            return lines
        }
    }
}
