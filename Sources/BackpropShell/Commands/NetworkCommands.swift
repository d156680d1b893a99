import Backprop

/// net, act, theta, b, init: define the network and its weights.
enum NetworkCommands {
    static let net = Command(
        name: "net",
        usage: "net N0 N1 … NL [act=sigmoid] [bias=on|off] [cost=squared|xent]",
        summary: "define a network with layer sizes N0 (inputs) … NL (outputs)",
        details: """
        All weights start at 0: set them with theta and b, or draw them with init.
        x and y are kept when their sizes still fit, otherwise set to zeros.
        act= is the activation of every layer (sigmoid, tanh, relu, linear);
        bias=off gives the lecture's network without b; cost=xent uses cross-entropy.
        """,
        example: "net 2 2 1 bias=off",
        options: ["act", "bias", "cost"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectNoAssignment(usage: "net N0 N1 … NL")
            guard args.positional.count >= 2 else {
                throw ShellError("net needs at least two layer sizes, e.g. net 2 2 1")
            }
            var sizes: [Int] = []
            for token in args.positional {
                sizes.append(try Values.integer(token.text, what: "a layer size", in: 1...100_000))
            }
            guard sizes.count <= 65 else { throw ShellError("at most 64 layers, got \(sizes.count - 1)") }
            var weights = 0
            for l in 1..<sizes.count {
                weights += sizes[l] * sizes[l - 1] + sizes[l]
            }
            let limit = 50_000_000
            if weights > limit {
                throw ShellError("a network of \(weights) weights needs about \(weights * 8 * 4 / 1_000_000) MB; the limit is \(limit) weights")
            }
            let g = try args.choice("act", Describe.activationNames + ["identity"]).map { name throws(ShellError) in
                try Describe.activation(named: name)
            } ?? .sigmoid
            let bias = try args.choice("bias", ["on", "off"]).map { $0 == "on" } ?? state.network.hasBias
            var objective = state.objective
            if let cost = try args.choice("cost", ["squared", "xent"]) {
                objective.cost = cost == "xent" ? .crossEntropy : .squared
            }
            let network: Network
            do throws(EngineError) {
                network = try Network(sizes: sizes, activation: g, bias: bias)
                try network.validate(objective)
            } catch {
                throw ShellError(Describe.engineError(error, ctx.render))
            }
            state.network = network
            state.objective = objective
            if state.x.count != sizes[0] { state.x = Array(repeating: 0, count: sizes[0]) }
            if state.y.count != sizes.last! { state.y = Array(repeating: 0, count: sizes.last!) }
            state.changed("the network was redefined")
            state.trainingLog = []
            return ShowCommand.describeNetwork(state, ctx.render)
                + "\n" + ctx.render.dim("all weights are 0: set them with theta and b, or type init seed=1")
        },
        complete: { _, given, partial in
            given.count < 2 ? [] : Complete.options(
                ["act": Describe.activationNames, "bias": ["on", "off"], "cost": ["squared", "xent"]],
                given: given, partial)
        }
    )

    static let act = Command(
        name: "act",
        usage: "act L sigmoid|tanh|relu|linear",
        summary: "set the activation g of layer L",
        details: "Sigmoid is the lecture's g(z) = 1 / (1 + e^(−z)); tanh, relu and linear come later in the course.",
        example: "act 1 tanh",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(2...2, usage: "act L NAME")
            try args.expectNoAssignment(usage: "act L NAME")
            let l = try layerNumber(args.positional[0], state)
            let g = try Describe.activation(named: args.positional[1].text)
            var network = state.network
            do throws(EngineError) {
                try network.setActivation(l, g)
                try network.validate(state.objective)
            } catch { throw ShellError(Describe.engineError(error, ctx.render)) }
            state.network = network
            state.changed("the activation of layer \(l) changed")
            return "layer \(l): g = \(Describe.activation(g))"
        },
        complete: { state, given, partial in
            given.isEmpty ? Complete.layers(state, partial) : given.count == 1
                ? Complete.matching(Describe.activationNames, partial) : []
        }
    )

    static let theta = Command(
        name: "theta",
        usage: "theta L = [θ11 θ12 …; θ21 θ22 …]",
        summary: "set the weights Θ⁽ᴸ⁾ of layer L exactly (n_L rows × n_(L−1) columns)",
        details: "Row i holds the weights into unit i of layer L; column j the weights from unit j of layer L−1.",
        example: "theta 1 = [0.15 0.20; 0.25 0.30]",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...1, usage: "theta L = [..; ..]")
            let l = try layerNumber(args.positional[0], state)
            guard let value = args.assigned else {
                throw ShellError("theta needs '= [..]', e.g. theta \(l) = \(example(rows: state.network.sizes[l], cols: state.network.sizes[l - 1]))")
            }
            guard value.kind == .matrix else { throw ShellError("expected a matrix in brackets [ ]", near: value.raw) }
            let rows = try Values.matrix(value.text)
            let m = try! Matrix(rows)
            do throws(EngineError) { try state.network.setTheta(l, m) } catch {
                throw ShellError(Describe.engineError(error, ctx.render).replacingOccurrences(
                    of: "Θ must", with: "\(ctx.render.n.sym("Θ", l)) must"), near: value.raw)
            }
            state.changed("\(ctx.render.n.sym("Θ", l)) changed")
            return ctx.render.matrix(rows, label: "\(ctx.render.n.sym("Θ", l)) = ").joined(separator: "\n")
        },
        complete: { state, given, partial in given.isEmpty ? Complete.layers(state, partial) : [] }
    )

    static let bias = Command(
        name: "b",
        usage: "b L = [b1 b2 …]",
        summary: "set the bias vector b⁽ᴸ⁾ of layer L exactly (n_L entries)",
        details: "Only for networks with bias (net … bias=on, the default).",
        example: "b 1 = [0.35 0.35]",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...1, usage: "b L = [..]")
            let l = try layerNumber(args.positional[0], state)
            guard let value = args.assigned else { throw ShellError("b needs '= [..]', e.g. b \(l) = [0.1 0.2]") }
            guard value.kind == .matrix else { throw ShellError("expected a vector in brackets [ ]", near: value.raw) }
            let v = try Values.vector(value.text)
            do throws(EngineError) { try state.network.setBias(l, v) } catch {
                throw ShellError(Describe.engineError(error, ctx.render)
                    .replacingOccurrences(of: "b needs", with: "\(ctx.render.n.sym("b", l)) needs"), near: value.raw)
            }
            state.changed("\(ctx.render.n.sym("b", l)) changed")
            return "\(ctx.render.n.sym("b", l)) = " + ctx.render.matrix([v]).joined()
        },
        complete: { state, given, partial in given.isEmpty ? Complete.layers(state, partial) : [] }
    )

    static let initialize = Command(
        name: "init",
        usage: "init [seed=1] [scheme=uniform|normal|xavier|he] [eps=0.12]",
        summary: "draw random weights, reproducible from the seed; biases start at 0",
        details: """
        uniform: θ uniform in (−ε, ε), the lecture's symmetry breaking (ε = eps=, 0.12 by default);
        normal: θ ~ N(0, 1); xavier: uniform in ±√(6 / (n_in + n_out)); he: N(0, 1) · √(2 / n_in).
        The same seed gives the same weights on every machine.
        """,
        example: "init seed=42 scheme=xavier",
        options: ["seed", "scheme", "eps"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "init [seed=N] [scheme=…]")
            let seed = try args.integer("seed", default: 1, in: 0...Int.max)
            let eps = try args.number("eps", default: InitScheme.defaultEpsilon)
            guard eps > 0 else { throw ShellError("eps= must be greater than 0", near: args.options["eps"]?.raw) }
            let schemeName = try args.choice("scheme", ["uniform", "normal", "xavier", "he"]) ?? "uniform"
            if schemeName != "uniform" && args.options["eps"] != nil {
                throw ShellError("eps= only goes with scheme=uniform", near: args.options["eps"]?.raw)
            }
            let scheme: InitScheme
            switch schemeName {
            case "normal": scheme = .normal
            case "xavier": scheme = .xavier
            case "he": scheme = .he
            default: scheme = .uniform(epsilon: eps)
            }
            state.network.initialize(scheme: scheme, seed: UInt64(seed))
            state.changed("the weights were drawn again")
            state.trainingLog = []
            let count = state.network.parameterCount
            var lines = ["weights drawn from seed \(seed), scheme \(schemeName)"
                         + (schemeName == "uniform" ? " (ε = \(ctx.render.num(eps)))" : "")
                         + "; biases 0; \(count) parameters"]
            if count <= 64 {
                for l in 1...state.network.L {
                    let t = state.network.theta(l)
                    lines += ctx.render.matrix((0..<t.rows).map(t.row), label: "\(ctx.render.n.sym("Θ", l)) = ")
                }
            }
            return lines.joined(separator: "\n")
        },
        complete: { _, given, partial in
            Complete.options(["seed": [], "scheme": ["uniform", "normal", "xavier", "he"], "eps": []],
                             given: given, partial)
        }
    )

    /// A layer number 1 … L from a token.
    static func layerNumber(_ token: Token, _ state: SessionState) throws(ShellError) -> Int {
        let L = state.network.L
        guard let l = Int(token.text) else {
            throw ShellError("a layer number must be a whole number from 1 to \(L), not '\(token.text)'", near: token.text)
        }
        guard l >= 1 && l <= L else {
            if l == 0 {
                throw ShellError("layer 0 is the input x and has no weights: the layers are 1 to \(L)", near: token.text)
            }
            throw ShellError("layer \(l) does not exist: the layers are 1 to \(L)", near: token.text)
        }
        return l
    }

    /// "[0.1 0.2; 0.3 0.4]"-shaped hint.
    static func example(rows: Int, cols: Int) -> String {
        let row = (0..<min(cols, 3)).map { _ in "0.1" }.joined(separator: " ") + (cols > 3 ? " …" : "")
        return "[" + Array(repeating: row, count: min(rows, 3)).joined(separator: "; ") + (rows > 3 ? "; …" : "") + "]"
    }
}

import Foundation
