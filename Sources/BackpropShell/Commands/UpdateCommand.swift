import Backprop

/// update: one step of gradient descent on the current sample.
enum UpdateCommand {
    static let update = Command(
        name: "update",
        usage: "update [alpha=0.5] [lambda=0]",
        summary: "one gradient-descent step Θ ← Θ − α ∂J/∂Θ, shown before → after",
        details: """
        Uses the gradient of the current sample (backward runs first when needed).
        lambda= sets λ for this step and from now on (as set lambda does).
        """,
        example: "update alpha=0.5",
        options: ["alpha", "lambda"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "update [alpha=…] [lambda=…]")
            try args.expectNoAssignment(usage: "update")
            let alpha = try args.number("alpha", default: 0.5)
            guard alpha > 0 else { throw ShellError("alpha= must be greater than 0", near: args.options["alpha"]?.raw) }
            if args.options["lambda"] != nil {
                let lambda = try args.number("lambda", default: 0)
                guard lambda >= 0 else { throw ShellError("lambda= must be 0 or more", near: args.options["lambda"]?.raw) }
                if lambda != state.objective.lambda {
                    state.objective.lambda = lambda
                    state.changed("\(ctx.render.n.symbolName("λ")) changed")
                }
            }
            let r = ctx.render
            let n = r.n
            let (trace, _) = try state.backward()
            let before = state.network
            let jBefore = trace.J
            var after = before
            after.descend(along: trace, alpha: alpha)
            guard after.isFinite else {
                throw ShellError("the step would make a weight infinite: try a smaller alpha")
            }
            state.network = after
            state.changed("the weights were updated")
            var lines = [r.heading("\(n.sym("Θ", nil)) \(n.arrow) \(n.sym("Θ", nil)) \(n.minus) \(n.symbolName("α")) \(n.derivative(n.sym("Θ", nil))),   \(n.symbolName("α")) = \(r.num(alpha))")]
            for l in 1...before.L {
                let t0 = before.theta(l), t1 = after.theta(l)
                if t0.rows <= 8 && t0.cols <= 8 {
                    lines += r.beside([r.block(t0), r.block(t1)], [" \(n.to) "]).enumerated().map { index, line in
                        (index == (t0.rows - 1) / 2 ? n.sym("Θ", l) + ": " : String(repeating: " ", count: n.sym("Θ", l).count + 2)) + line
                    }
                } else {
                    lines.append("\(n.sym("Θ", l)): \(t0.rows) × \(t0.cols) updated")
                }
                if let b0 = before.b(l), let b1 = after.b(l), b0.count <= 8 {
                    lines.append("\(n.sym("b", l)): " + r.beside([r.matrix([b0]), r.matrix([b1])], [" \(n.to) "]).joined())
                }
            }
            let (newTrace, _) = try state.forward()
            lines.append("J: \(r.num(jBefore)) \(n.to) \(r.value(r.num(newTrace.J)))")
            return lines.joined(separator: "\n")
        },
        complete: { _, given, partial in Complete.options(["alpha": [], "lambda": []], given: given, partial) }
    )
}
