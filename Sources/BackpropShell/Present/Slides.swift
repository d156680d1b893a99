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
            var equation = StepCommand.text(stage, state, trace, r)
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
}
