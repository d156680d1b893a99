import Backprop

/// The diagrams of the session's network: its shape (`net`), and its weights with the
/// values of a pass flowing through it (`show net`, `present`).
enum SessionDiagram {
    /// What the units of the diagram show.
    enum Values: Equatable {
        /// Only the units' names: the shape.
        case none
        /// a⁽ˡ⁾ (x for layer 0).
        case a
        /// z⁽ˡ⁾ and a⁽ˡ⁾.
        case zAndA
        /// δ⁽ˡ⁾ (x for layer 0).
        case delta
    }

    /// The diagram's precision: at most 4 significant digits, so that it fits.
    static func numberFormat(_ r: Renderer) -> NumberFormat {
        NumberFormat(precision: min(r.style.precision, 4))
    }

    /// The shape: units named x₁ … and aᵢ⁽ˡ⁾, every layer joined to the next.
    static func shape(_ net: Network, _ r: Renderer) -> [String] {
        let n = r.n
        let unit = n.unicode ? "○" : "o"
        var columns: [NetworkDiagram.Column] = []
        for l in 0...net.L {
            columns.append(NetworkDiagram.Column(title: "", size: net.sizes[l], cell: { i, _ in
                l == 0 ? [n.sym("x", nil, [i])] : [unit, n.sym("a", l, [i])]
            }, name: { i in l == 0 ? n.sym("x", nil, [i]) : "\(unit) \(n.sym("a", l, [i]))" }))
        }
        let diagram = NetworkDiagram(columns: columns, weights: Array(repeating: nil, count: net.L + 1),
                                     render: r, number: numberFormat(r))
        return diagram.lines()
    }

    /// The network with its weights and the values of `trace` in every unit.
    /// `known(l)` says which layers' values are drawn (the others show their names
    /// only: present mode's forward pass); `highlight(l)` which are painted.
    static func values(_ state: SessionState, _ trace: Trace, _ values: Values, _ r: Renderer,
                       known: @escaping (Int) -> Bool = { _ in true },
                       highlight: @escaping (Int) -> Bool = { _ in false },
                       width: Int = 80) -> NetworkDiagram {
        let n = r.n
        let net = state.network
        let format = numberFormat(r)
        var columns: [NetworkDiagram.Column] = []
        columns.append(NetworkDiagram.Column(title: "x", size: net.sizes[0], cell: { i, format in
            [n.sym("x", nil, [i]), format.format(state.x[i - 1])]
        }, name: { i in n.sym("x", nil, [i]) }, highlight: { _ in highlight(0) }))
        for l in 1...net.L {
            let title: String
            switch values {
            case .none, .a: title = n.sym("a", l)
            case .zAndA: title = "\(n.sym("z", l)) \(n.sym("a", l))"
            case .delta: title = n.sym("δ", l)
            }
            columns.append(NetworkDiagram.Column(title: title, shortTitle: values == .delta ? nil : n.sym("a", l),
                                                 size: net.sizes[l], cell: { i, format in
                guard known(l) else {
                    return values == .delta ? [n.sym("δ", nil, [i]), "?"] : [n.sym("a", nil, [i]), "?"]
                }
                switch values {
                case .none: return [n.sym("a", nil, [i])]
                case .a: return [n.sym("a", nil, [i]), format.format(trace.a(l, i))]
                case .zAndA: return [n.sym("z", nil, [i]), format.format(trace.z(l, i)),
                                     n.sym("a", nil, [i]), format.format(trace.a(l, i))]
                case .delta: return [n.sym("δ", nil, [i]), format.format(trace.delta(l, i))]
                }
            }, name: { i in values == .delta ? n.sym("δ", nil, [i]) : n.sym("a", nil, [i]) },
            highlight: { _ in highlight(l) }))
        }
        let weights: [NetworkDiagram.Weights?] = [nil] + (1...net.L).map {
            NetworkDiagram.Weights(theta: net.theta($0), b: net.b($0))
        }
        var diagram = NetworkDiagram(columns: columns, weights: weights, render: r, number: format)
        diagram.width = width
        return diagram.fitted
    }

    /// What one layer's units show in present mode's diagrams.
    enum Content: Equatable {
        /// Not computed yet: the names only.
        case hidden
        case a, z, zAndA, delta
    }

    /// The network as one step of the pass leaves it: each layer shows `content(l)`,
    /// layer `highlighted` is painted, and the transition into layer `gradientLayer`
    /// shows ∂J/∂Θ and ∂J/∂b instead of Θ and b.
    static func stage(_ state: SessionState, _ trace: Trace, _ r: Renderer, width: Int,
                      content: @escaping (Int) -> Content, highlighted: Int?, gradientLayer: Int? = nil) -> NetworkDiagram {
        let n = r.n
        let net = state.network
        var columns: [NetworkDiagram.Column] = []
        columns.append(NetworkDiagram.Column(title: "x", size: net.sizes[0], cell: { i, format in
            [n.sym("x", nil, [i]), format.format(state.x[i - 1])]
        }, name: { i in n.sym("x", nil, [i]) }, highlight: { _ in highlighted == 0 }))
        for l in 1...net.L {
            let shows = content(l)
            let title: String
            switch shows {
            case .hidden, .a: title = n.sym("a", l)
            case .z: title = n.sym("z", l)
            case .zAndA: title = "\(n.sym("z", l)) \(n.sym("a", l))"
            case .delta: title = n.sym("δ", l)
            }
            columns.append(NetworkDiagram.Column(title: title, shortTitle: shows == .delta ? nil : n.sym(shows == .z ? "z" : "a", l),
                                                 size: net.sizes[l], cell: { i, format in
                switch shows {
                case .hidden: return [n.sym(shows == .delta ? "δ" : "a", nil, [i]), "·"]
                case .a: return [n.sym("a", nil, [i]), format.format(trace.a(l, i))]
                case .z: return [n.sym("z", nil, [i]), format.format(trace.z(l, i))]
                case .zAndA: return [n.sym("z", nil, [i]), format.format(trace.z(l, i)),
                                     n.sym("a", nil, [i]), format.format(trace.a(l, i))]
                case .delta: return [n.sym("δ", nil, [i]), format.format(trace.delta(l, i))]
                }
            }, name: { i in n.sym(shows == .delta ? "δ" : shows == .z ? "z" : "a", nil, [i]) },
            highlight: { _ in highlighted == l }))
        }
        let weights: [NetworkDiagram.Weights?] = [nil] + (1...net.L).map { l in
            if l == gradientLayer {
                return NetworkDiagram.Weights(theta: trace.gradTheta[l], b: net.hasBias ? trace.gradB[l] : nil,
                                              title: n.derivative(n.sym("Θ", l)), biasTitle: n.derivative(n.sym("b", l)))
            }
            return NetworkDiagram.Weights(theta: net.theta(l), b: net.b(l))
        }
        var diagram = NetworkDiagram(columns: columns, weights: weights, render: r, number: numberFormat(r))
        diagram.width = width
        return diagram.fitted
    }

    /// The lines under a diagram: y and J, the reading of Θ's rows, and the shading's key.
    static func footer(_ state: SessionState, _ trace: Trace, _ diagram: NetworkDiagram, _ r: Renderer) -> [String] {
        let n = r.n
        let format = numberFormat(r)
        var lines: [String] = []
        if state.y.count <= 8 {
            lines.append("y = [ " + state.y.map(format.format).joined(separator: "  ") + " ]"
                         + "   J = " + format.format(trace.J))
        } else {
            lines.append("J = " + format.format(trace.J))
        }
        lines.append(r.dim("row i of \(n.sym("Θ", nil) + n.layer("l")): weights into unit i; column j: from unit j of layer l\(n.minus)1"))
        if diagram.isShaded {
            let glyphs = n.unicode ? ["█", "▓", "▒", "░", "·"] : ["#", "%", "+", ":", "."]
            let (q3, q2, q1) = n.unicode ? ("¾", "½", "¼") : ("3/4", "1/2", "1/4")
            lines.append(r.dim("shades: |\(n.symbolName("θ"))| against the largest entry of its \(n.sym("Θ", nil) + n.layer("l"))"))
            lines.append(r.dim("  \(glyphs[0]) >\(q3) \(glyphs[1]) >\(q2) \(glyphs[2]) >\(q1) \(glyphs[3]) >0 \(glyphs[4]) 0; \(n.minus) negative"))
        }
        return lines
    }
}
