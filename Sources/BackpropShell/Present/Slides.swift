import Backprop

/// The slides of the current network's pass: a title slide, then each step of `step`
/// (z and a of every layer, the cost, every δ, every gradient) with the diagram showing
/// what is known at that point — the activations flowing forward, then the errors
/// flowing back, then the gradients in place of the weights.
enum Slides {
    static func build(_ state: inout SessionState, width: Int) throws(ShellError) -> Presentation {
        let (trace, _) = try state.backward()
        let r = state.render
        let n = r.n
        let net = state.network
        let L = net.L
        let stages = StepCommand.stages(L)
        let diagramWidth = max(40, min(width - 2, 100))
        var slides: [Presentation.Slide] = []

        // The title slide: the network and the sample.
        let opening = SessionDiagram.stage(state, trace, r, width: diagramWidth, content: { _ in .hidden }, highlighted: 0)
        var intro = [r.heading("Backpropagation through the \(FileCommands.sizesText(net)) network"), ""]
        intro += ShowCommand.describeLines(state, r).dropFirst()
        intro += ["", "x = " + r.matrix([state.x]).joined() + "   y = " + r.matrix([state.y]).joined()]
        slides.append(Presentation.Slide(
            title: "the network and the sample", equation: intro, diagram: opening.lines(),
            next: r.dim("next: \(StepCommand.title(stages[0], L))")))

        for (index, stage) in stages.enumerated() {
            let content: (Int) -> SessionDiagram.Content
            var highlighted: Int?
            var gradientLayer: Int?
            switch stage {
            case .z(let l):
                content = { $0 < l ? .a : $0 == l ? .z : .hidden }
                highlighted = l
            case .a(let l):
                content = { $0 < l ? .a : $0 == l ? .zAndA : .hidden }
                highlighted = l
            case .cost:
                content = { _ in .a }
                highlighted = L
            case .delta(let l):
                content = { $0 < l ? .a : .delta }
                highlighted = l
            case .gradient(let l):
                content = { $0 < l ? .a : .delta }
                highlighted = l
                gradientLayer = l
            }
            let diagram = SessionDiagram.stage(state, trace, r, width: diagramWidth, content: content,
                                               highlighted: highlighted, gradientLayer: gradientLayer)
            var equation = shortened(StepCommand.text(stage, state, trace, r), n.unicode)
            if stage == .cost {
                equation.append("")
                equation.append(r.dim("y = " + r.matrix([state.y]).joined()))
            }
            let next = index + 1 < stages.count
                ? r.dim("next: \(StepCommand.title(stages[index + 1], L))")
                : r.dim("the backward pass is complete: gradient descent applies \(n.sym("Θ", nil)) \(n.arrow) \(n.sym("Θ", nil)) \(n.minus) \(n.symbolName("α")) \(n.derivative(n.sym("Θ", nil)))")
            slides.append(Presentation.Slide(
                title: "step \(index + 1) of \(stages.count): \(StepCommand.title(stage, L))",
                equation: equation, diagram: diagram.lines(), next: next))
        }
        return Presentation(slides: slides, shape: FileCommands.sizesText(net), unicode: n.unicode)
    }

    /// The longest matrix drawn on a slide: longer ones keep their first rows, a ⋮ row
    /// and their last row, so that the equation and the diagram fit one screen.
    static let tallest = 12

    /// An equation's lines with every matrix taller than `tallest` shortened; the "="
    /// that stood on a removed middle row moves to the new middle row.
    static func shortened(_ lines: [String], _ unicode: Bool) -> [String] {
        // Where a matrix row starts: after spaces and an "=", possibly behind a colour escape.
        func bracket(_ line: String) -> String.Index? {
            let brackets: Set<Character> = unicode ? ["⎡", "⎢", "⎣"] : ["["]
            guard let index = line.firstIndex(where: { $0 != " " && $0 != "=" }) else { return nil }
            var rest = line[index...]
            if rest.hasPrefix("\u{1B}["), let end = rest.firstIndex(of: "m") { rest = rest[rest.index(after: end)...] }
            return rest.first.map(brackets.contains) == true ? index : nil
        }
        var out: [String] = []
        var i = 0
        while i < lines.count {
            guard let start = bracket(lines[i]) else { out.append(lines[i]); i += 1; continue }
            let column = lines[i].distance(from: lines[i].startIndex, to: start)
            var j = i
            while j < lines.count, let b = bracket(lines[j]), lines[j].distance(from: lines[j].startIndex, to: b) == column { j += 1 }
            let run = Array(lines[i..<j])
            i = j
            guard run.count > tallest else { out += run; continue }
            let marker = run.first { $0.prefix(column).contains("=") }
            let blank = String(repeating: " ", count: column)
            var kept = run.prefix(tallest - 4).map { blank + $0.dropFirst(column) }
            kept.append(blank + "  " + (unicode ? "⋮" : ":"))
            kept.append(blank + run[run.count - 1].dropFirst(column))
            if let marker {
                let middle = (kept.count - 1) / 2
                kept[middle] = String(marker.prefix(column)) + kept[middle].dropFirst(column)
            }
            out += kept
        }
        return out
    }
}
