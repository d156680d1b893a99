import Backprop

/// check: backprop against central differences.
enum CheckCommand {
    static let check = Command(
        name: "check",
        usage: "check [eps=1e-4]",
        summary: "compare backprop's gradient with central differences, layer by layer",
        details: """
        For every weight, (J(θ + ε) − J(θ − ε)) / 2ε is compared with ∂J/∂θ from backward.
        The relative difference |g_bp − g_num| / (|g_bp| + |g_num|) should be below 1e-7.
        Where the gradients are tiny (a trained network), the relative difference measures
        the central difference's own error; then an absolute difference below 1e-9 is ok.
        The differences are shown to 3 significant digits: the digits after that are
        rounding noise.
        """,
        example: "check eps=1e-5",
        options: ["eps"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "check [eps=…]")
            try args.expectNoAssignment(usage: "check")
            let eps = try args.number("eps", default: 1e-4)
            guard eps > 0 && eps < 1 else {
                throw ShellError("eps= must be between 0 and 1, e.g. 1e-4", near: args.options["eps"]?.raw)
            }
            let r = ctx.render
            let report: [LayerCheck]
            do throws(EngineError) {
                report = try state.network.gradientCheck(
                    x: .column(state.x), y: .column(state.y), objective: state.objective, epsilon: eps,
                    isCancelled: ctx.isCancelled)
            } catch { throw ShellError(Describe.engineError(error, r)) }
            if report.count < state.network.L {
                return r.dim("check interrupted after \(report.count) of \(state.network.L) layers")
            }
            var rows = [["layer", "largest relative difference", "largest absolute difference", "verdict"]]
            // The differences are rounding noise after their first digits: three are shown.
            let noise = NumberFormat(precision: 3)
            for layer in report {
                let worst = layer.worst
                let absolute = layer.absoluteDifference
                let verdict: String
                if worst < 1e-7 {
                    verdict = r.good("ok")
                } else if absolute < 1e-9 {
                    verdict = r.good("ok") + " (tiny gradients)"
                } else if worst < 1e-4 {
                    verdict = r.bad("suspicious")
                } else {
                    verdict = r.bad("wrong")
                }
                rows.append([String(layer.layer), noise.format(worst), noise.format(absolute), verdict])
            }
            return (["gradient check, \(r.n.symbolName("ε")) = \(r.num(eps)):"] + r.table(rows).map { "  " + $0 })
                .joined(separator: "\n")
        },
        complete: { _, given, partial in Complete.options(["eps": []], given: given, partial) }
    )
}
