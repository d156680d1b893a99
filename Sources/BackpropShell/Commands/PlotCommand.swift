import Foundation

/// plot: J (and accuracy) per epoch of the training runs, in the terminal or as SVG.
enum PlotCommand {
    static let plot = Command(
        name: "plot",
        usage: "plot [file=loss.svg] [scale=linear|log]",
        summary: "draw J per epoch of the training so far (and accuracy), or write it as SVG",
        details: """
        In the terminal: braille dots (or * in ASCII notation), J on the left axis with its
        lowest and highest values, the epochs below; the accuracy per epoch on a 0 … 100%
        axis on the right (● training, over the epoch like J; ○ test, at the end of epochs;
        the last epoch of each run measured again with its final weights). file=NAME.svg writes the same curve
        as an SVG picture for slides instead. scale=log puts J on a logarithmic axis.
        The curve starts again when a new data set is chosen.
        """,
        example: "plot file=loss.svg",
        options: ["file", "scale"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "plot [file=loss.svg] [scale=linear|log]")
            try args.expectNoAssignment(usage: "plot [file=loss.svg]")
            let logScale = try args.choice("scale", ["linear", "log"]) == "log"
            let curve: LossCurve
            do throws(LossCurve.Problem) { curve = try LossCurve(state.trainingLog, logScale: logScale) } catch {
                switch error {
                case .empty:
                    throw ShellError("nothing to plot yet: train first (e.g. data xor, net 2 2 1, init seed=1, train epochs=2000 alpha=2)")
                case .nonPositive:
                    throw ShellError("scale=log needs J above 0 in every epoch; use scale=linear")
                }
            }
            let r = ctx.render
            guard let token = args.options["file"] else {
                var chart = TerminalChart(curve: curve, unicode: r.n.unicode)
                chart.paint = { r.value($0) }
                return chart.lines().joined(separator: "\n")
            }
            let path = token.text
            guard path.lowercased().hasSuffix(".svg") else {
                throw ShellError("plot writes SVG pictures: give a file name ending in .svg")
            }
            var title = "J per epoch"
            if let data = state.data { title += " — \(data.name), \(state.network.sizes.map(String.init).joined(separator: "-"))" }
            let svg = SVGChart(curve: curve, title: title).document()
            try PlainText.errors(r) { () throws(ShellError) in
                try AtomicFile.write(Data(svg.utf8), to: path, verb: "write", mayReplace: { head in
                    isReplaceableSVG(head) ? nil : "the file exists and is not an SVG picture; choose another name or remove it first"
                })
            }
            let epochs = curve.count == 1 ? "1 epoch" : "\(curve.count) epochs"
            return "wrote \(path): J per epoch over \(epochs)\(curve.hasAccuracy ? " and accuracy" : ""), an SVG of 720 × 420 (\(svg.utf8.count) bytes)"
        },
        complete: { _, given, partial in
            if partial.hasPrefix("file=") {
                return Complete.paths(String(partial.dropFirst(5))).map { "file=" + $0 }
            }
            return Complete.options(["file": [], "scale": ["linear", "log"]], given: given, partial)
        }
    )

    /// Whether an existing file looks like an SVG (or is empty): only those are replaced.
    static func isReplaceableSVG(_ head: Data) -> Bool {
        var text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty || trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<svg") || trimmed.hasPrefix("<!--")
    }
}
