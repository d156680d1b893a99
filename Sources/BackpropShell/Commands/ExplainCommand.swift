import Backprop

/// explain z|a|delta|grad|cost L [i [j]]: one number, as equation, symbols, numbers.
enum ExplainCommand {
    static let things = ["z", "a", "delta", "grad", "cost"]

    static let explain = Command(
        name: "explain",
        usage: "explain z|a|delta|grad L i [j]  |  explain cost",
        summary: "derive one number: the equation, its symbols, then its numbers",
        details: """
        explain grad L i j shows ∂J/∂θᵢⱼ⁽ᴸ⁾ as its chain-rule factors (j = 0: the bias bᵢ⁽ᴸ⁾);
        explain delta L i shows δᵢ⁽ᴸ⁾ as the sum over every path through layer L+1;
        explain z, explain a and explain cost show the forward pass one number at a time.
        """,
        example: "explain grad 2 1 1",
        run: { state, args, ctx throws(ShellError) in
            try args.expectNoAssignment(usage: "explain WHAT L i [j]")
            guard let word = args.word(0)?.lowercased() else {
                throw ShellError("explain what? usage: explain z|a|delta|grad L i [j] or explain cost")
            }
            let what = word == "j" ? "cost" : word  // the lecture's name for the cost
            guard things.contains(what) else {
                throw ShellError("explain what? choose \(things.joined(separator: ", "))", near: args.positional[0].text)
            }
            if what == "cost" {
                try args.expectPositional(1...1, usage: "explain cost")
                let (trace, note) = try state.forward()
                return join(note.map(ctx.render.dim), cost(state, trace, ctx.render))
            }
            let arity = what == "grad" ? 4 : 3
            let usage = what == "grad" ? "explain grad L i j" : "explain \(what) L i"
            try args.expectPositional(arity...arity, usage: usage)
            let l = try NetworkCommands.layerNumber(args.positional[1], state)
            let i = try Values.integer(args.positional[2].text, what: "unit i of layer \(l)",
                                       in: 1...state.network.sizes[l])
            var j = 0
            if what == "grad" {
                let lowest = state.network.hasBias ? 0 : 1
                j = try Values.integer(args.positional[3].text,
                                       what: "unit j of layer \(l - 1)" + (lowest == 0 ? " (0 for the bias)" : ""),
                                       in: lowest...state.network.sizes[l - 1])
            }
            let needsBackward = what == "delta" || what == "grad"
            let (trace, note) = needsBackward ? try state.backward() : try state.forward()
            let r = ctx.render
            let text: String
            switch what {
            case "z": text = z(state, trace, l, i, r)
            case "a": text = a(state, trace, l, i, r)
            case "delta": text = delta(state, trace, l, i, r).joined(separator: "\n")
            default: text = gradient(state, trace, l, i, j, r)
            }
            return join(note.map(r.dim), text)
        },
        complete: { state, given, partial in
            if given.isEmpty { return Complete.matching(things, partial) }
            if given.count == 1 && given[0] != "cost" { return Complete.layers(state, partial) }
            if given.count == 2, let l = Int(given[1]), l >= 1, l <= state.network.L {
                return Complete.matching((1...state.network.sizes[l]).map(String.init), partial)
            }
            if given.count == 3, given[0] == "grad", let l = Int(given[1]), l >= 1, l <= state.network.L {
                let low = state.network.hasBias ? 0 : 1
                return Complete.matching((low...state.network.sizes[l - 1]).map(String.init), partial)
            }
            return []
        }
    )

    /// Lines aligned under the first "=": "lhs = a", "    = b", ….
    static func chain(_ lhs: String, _ steps: [String]) -> String {
        let indent = String(repeating: " ", count: lhs.visibleWidth)
        return steps.enumerated().map { index, step in
            (index == 0 ? lhs : indent) + " = " + step
        }.joined(separator: "\n")
    }

    static func z(_ state: SessionState, _ trace: Trace, _ l: Int, _ i: Int, _ r: Renderer) -> String {
        let n = r.n
        let net = state.network
        let cols = net.sizes[l - 1]
        let theta = net.theta(l)
        let shown = min(cols, 6)
        var symbols = (1...shown).map { j in "\(n.sym("θ", l, [i, j])) \(n.sym("a", l - 1, [j]))" }
        var numbers = (1...shown).map { j in "\(r.factor(theta[i - 1, j - 1])) \(n.times) \(r.factor(trace.a(l - 1, j)))" }
        if cols > shown {
            symbols.append(n.ellipsis)
            numbers.append("\(n.ellipsis) (\(cols - shown) more terms)")
        }
        var equation = "\(n.sum)\(n.units(["j"])) \(n.sym("θ", l, letters: [String(i), "j"])) \(n.sym("a", l - 1, letters: ["j"]))"
        if let b = net.b(l) {
            symbols.append(n.sym("b", l, [i]))
            numbers.append(r.factor(b[i - 1]))
            equation += " + \(n.sym("b", l, [i]))"
        }
        return chain(r.heading(n.sym("z", l, [i])), [
            equation,
            symbols.joined(separator: " + "),
            numbers.joined(separator: " + "),
            r.value(r.num(trace.z(l, i))),
        ])
    }

    static func a(_ state: SessionState, _ trace: Trace, _ l: Int, _ i: Int, _ r: Renderer) -> String {
        let n = r.n
        let g = state.network.layer(l).activation
        let zSym = n.sym("z", l, [i])
        let z = trace.z(l, i)
        return chain(r.heading(n.sym("a", l, [i])), [
            "g(\(zSym))   \(Describe.activation(g))",
            Describe.formula(g, zSym, r),
            Describe.formula(g, z < 0 ? "(\(r.num(z)))" : r.num(z), r),
            r.value(r.num(trace.a(l, i))),
        ])
    }

    /// δᵢ⁽ˡ⁾: at the output (aᵢ − yᵢ) g′(zᵢ); inside, the sum over every path, then g′.
    static func delta(_ state: SessionState, _ trace: Trace, _ l: Int, _ i: Int, _ r: Renderer) -> [String] {
        let n = r.n
        let net = state.network
        let g = net.layer(l).activation
        let dSym = n.sym("δ", l, [i])
        let gp = trace.gPrime(net, l, i)
        let gLine = "\(n.gPrime)(\(n.sym("z", l, [i]))) = "
            + Describe.derivativeFormula(g, z: n.sym("z", l, [i]), a: n.sym("a", l, [i]), r)
            + " = " + Describe.derivativeNumbers(g, z: trace.z(l, i), a: trace.a(l, i), r) + " = " + r.num(gp)
        if l == net.L {
            let a = trace.a(l, i), y = trace.y[i - 1, 0]
            if state.objective.cost == .crossEntropy {
                return [chain(r.heading(dSym), [
                    "\(n.sym("a", l, [i])) \(n.minus) y\(n.units([i]))   (cross-entropy with a sigmoid output: g′ cancels)",
                    "\(r.num(a)) \(n.minus) \(r.factor(y))",
                    r.value(r.num(trace.delta(l, i))),
                ])]
            }
            return [chain(r.heading(dSym), [
                "\(n.derivative(n.sym("a", l, [i]))) \(n.times) \(n.derivative(n.sym("a", l, [i]), n.sym("z", l, [i])))",
                "(\(n.sym("a", l, [i])) \(n.minus) y\(n.units([i]))) \(n.times) \(n.gPrime)(\(n.sym("z", l, [i])))",
                "(\(r.num(a)) \(n.minus) \(r.factor(y))) \(n.times) \(r.factor(gp))",
                r.value(r.num(trace.delta(l, i))),
            ]), "  " + r.dim(gLine)]
        }
        let terms = trace.pathTerms(net, layer: l, i: i)
        let sum = terms.reduce(0) { $0 + $1.product }
        var lines = [r.heading(dSym) + " = (\(n.sum)\(n.units(["j"])) \(n.sym("θ", l + 1, letters: ["j", String(i)])) \(n.sym("δ", l + 1, letters: ["j"]))) \(n.times) \(n.gPrime)(\(n.sym("z", l, [i])))"]
        lines.append("  one term per path through unit j of layer \(l + 1):")
        let shown = terms.count <= 12 ? terms : Array(terms.prefix(10))
        let thetas = r.aligned(shown.map(\.theta))
        let deltas = r.aligned(shown.map(\.delta))
        let sumAndProducts = r.aligned(shown.map(\.product) + [sum])
        let products = Array(sumAndProducts.dropLast())
        var rows: [[String]] = []
        for (index, term) in shown.enumerated() {
            rows.append(["    j = \(term.j):", "\(n.sym("θ", l + 1, [term.j, i])) \(n.sym("δ", l + 1, [term.j]))",
                         "= \(thetas[index]) \(n.times) \(deltas[index])", "= \(products[index])"])
        }
        if terms.count > shown.count {
            rows.append(["    \(n.ellipsis)", "\(terms.count - shown.count) more paths", "", ""])
        }
        rows.append(["    sum", "", "", "= \(sumAndProducts.last!)"])
        lines += r.table(rows)
        lines.append("  " + gLine)
        lines.append(chain(r.heading(dSym), ["\(r.factor(sum)) \(n.times) \(r.factor(gp))", r.value(r.num(trace.delta(l, i)))]))
        return lines
    }

    /// ∂J/∂θᵢⱼ⁽ˡ⁾ as its chain-rule factors (j = 0: ∂J/∂bᵢ⁽ˡ⁾).
    static func gradient(_ state: SessionState, _ trace: Trace, _ l: Int, _ i: Int, _ j: Int, _ r: Renderer) -> String {
        let n = r.n
        let net = state.network
        let L = net.L
        let isBias = j == 0
        let weight = isBias ? n.sym("b", l, [i]) : n.sym("θ", l, [i, j])
        let lhs = r.heading(n.derivative(weight))
        let input = isBias ? "1" : n.sym("a", l - 1, [j])
        let inputValue = isBias ? 1.0 : trace.a(l - 1, j)
        let gradient = isBias ? trace.gradB[l][i - 1] : trace.gradient(layer: l, i: i, j: j)
        let lambda = isBias ? 0 : state.objective.lambda
        let theta = isBias ? 0 : net.theta(l)[i - 1, j - 1]
        let lambdaSym = " + \(n.symbolName("λ")) \(weight)"
        let lambdaNum = " + \(r.num(lambda)) \(n.times) \(r.factor(theta))"
        var lines: [String]
        if l == L {
            let f = trace.outputFactors(net, i: i, j: max(j, 1))
            let aSym = n.sym("a", L, [i]), zSym = n.sym("z", L, [i])
            let dJda = state.objective.cost == .squared
                ? "(\(aSym) \(n.minus) y\(n.units([i])))"
                : "(\(aSym) \(n.minus) y\(n.units([i]))) / (\(aSym)(1 \(n.minus) \(aSym)))"
            let a = trace.a(L, i), y = trace.y[i - 1, 0]
            let dJdaNum = state.objective.cost == .squared
                ? "(\(r.num(a)) \(n.minus) \(r.factor(y)))"
                : "(\(r.num(a)) \(n.minus) \(r.factor(y))) / (\(r.num(a))(1 \(n.minus) \(r.num(a))))"
            lines = [chain(lhs, [
                "\(n.derivative(aSym)) \(n.times) \(n.derivative(aSym, zSym)) \(n.times) \(n.derivative(zSym, weight))"
                    + (lambda != 0 ? lambdaSym : ""),
                "\(dJda) \(n.times) \(n.gPrime)(\(zSym)) \(n.times) \(input)" + (lambda != 0 ? lambdaSym : ""),
                "\(dJdaNum) \(n.times) \(r.factor(f.dadz)) \(n.times) \(r.factor(inputValue))" + (lambda != 0 ? lambdaNum : ""),
                r.value(r.num(gradient)) + "  = \(n.sym("δ", L, [i])) \(n.times) \(input)" + (lambda != 0 ? lambdaSym : ""),
            ])]
        } else {
            let dSym = n.sym("δ", l, [i])
            lines = [chain(lhs, [
                "\(dSym) \(n.times) \(n.derivative(n.sym("z", l, [i]), weight))" + (lambda != 0 ? lambdaSym : ""),
                "\(dSym) \(n.times) \(input)" + (lambda != 0 ? lambdaSym : ""),
                "\(r.factor(trace.delta(l, i))) \(n.times) \(r.factor(inputValue))" + (lambda != 0 ? lambdaNum : ""),
                r.value(r.num(gradient)),
            ])]
            lines.append(r.dim("where \(dSym) comes from backpropagation:"))
            lines += delta(state, trace, l, i, r).flatMap { $0.split(separator: "\n").map { "  " + $0 } }
        }
        return lines.joined(separator: "\n")
    }

    static func cost(_ state: SessionState, _ trace: Trace, _ r: Renderer) -> String {
        let n = r.n
        let L = state.network.L
        let count = state.network.sizes[L]
        let shown = min(count, 6)
        var symbols: [String] = [], numbers: [String] = []
        for i in 1...shown {
            let a = trace.a(L, i), y = trace.y[i - 1, 0]
            if state.objective.cost == .squared {
                symbols.append("(y\(n.units([i])) \(n.minus) \(n.sym("a", L, [i])))²")
                numbers.append("(\(r.num(y)) \(n.minus) \(r.num(a)))²")
            } else {
                symbols.append("[y\(n.units([i])) ln \(n.sym("a", L, [i])) + (1 \(n.minus) y\(n.units([i]))) ln(1 \(n.minus) \(n.sym("a", L, [i])))]")
                numbers.append("[\(r.num(y)) ln \(r.num(a)) + \(r.factor(1 - y)) ln \(r.num(1 - a))]")
            }
        }
        if count > shown {
            symbols.append(n.ellipsis)
            numbers.append("\(n.ellipsis) (\(count - shown) more)")
        }
        let lambda = state.objective.lambda
        let reg = lambda != 0 ? " + \(n.symbolName("λ"))/2 \(n.sum)\(n.unicode ? "" : " ")\(n.symbolName("θ"))\(n.unicode ? "²" : "^2")" : ""
        let regNum = lambda != 0 ? " + \(r.num(lambda))/2 \(n.times) \(r.num(state.network.sumOfSquaredWeights))" : ""
        let prefix = state.objective.cost == .squared ? n.half : n.minus
        return chain(r.heading("J"), [
            PassCommands.costEquation(state, r).dropFirst(4).description,
            "\(prefix)(" + symbols.joined(separator: " + ") + ")" + reg,
            "\(prefix)(" + numbers.joined(separator: " + ") + ")" + regNum,
            r.value(r.num(trace.J)),
        ])
    }
}
