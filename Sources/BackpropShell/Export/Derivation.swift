import Backprop

/// The lecture's forward and backward pass over the current sample as LaTeX math: every
/// equation, then the same with its matrices and numbers substituted, then the result.
/// `export latex` and `export markdown` both write it.
struct Derivation {
    /// One displayed equation: its lines, each `lhs &= rhs` or `&= rhs` (for align).
    struct Equation {
        var lines: [String]
    }

    struct Section {
        var title: String
        /// A sentence before the equations (plain text).
        var text: String
        var equations: [Equation]
    }

    var title: String
    /// What the network is, in words (plain text).
    var summary: [String]
    var sections: [Section]

    /// The most rows or columns of a matrix written out; larger ones show their first
    /// rows and columns, dots and the last.
    static let largest = 8

    // MARK: numbers and matrices

    /// A number in LaTeX at the shell's precision: 1.5e-05 → 1.5 \times 10^{-5}.
    static func number(_ x: Double, _ format: NumberFormat) -> String {
        let text = format.format(x)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = String(text[..<e])
        var exponent = String(text[text.index(after: e)...])
        if exponent.hasPrefix("+") { exponent.removeFirst() }
        while exponent.hasPrefix("0") || exponent.hasPrefix("-0") {
            exponent = exponent.hasPrefix("-") ? "-" + exponent.dropFirst(2) : String(exponent.dropFirst())
        }
        return "\(mantissa) \\times 10^{\(exponent)}"
    }

    /// The indices written for `count` rows or columns: all, or the first ones, nil
    /// (dots) and the last.
    static func shown(_ count: Int) -> [Int?] {
        if count <= largest { return Array(0..<count) }
        return Array(0..<(largest - 2)) + [nil, count - 1]
    }

    /// A matrix as a bmatrix, elided when large.
    static func bmatrix(_ rows: [[Double]], _ format: NumberFormat) -> String {
        let rowCount = rows.count, colCount = rows.first?.count ?? 0
        let body = shown(rowCount).map { r -> String in
            shown(colCount).map { c -> String in
                switch (r, c) {
                case let (r?, c?): return number(rows[r][c], format)
                case (nil, nil): return "\\ddots"
                case (nil, _): return "\\vdots"
                case (_, nil): return "\\cdots"
                }
            }.joined(separator: " & ")
        }.joined(separator: " \\\\ ")
        return "\\begin{bmatrix} \(body) \\end{bmatrix}"
    }

    static func column(_ values: [Double], _ format: NumberFormat) -> String {
        bmatrix(values.map { [$0] }, format)
    }

    static func matrix(_ m: Matrix, _ format: NumberFormat) -> String {
        bmatrix((0..<m.rows).map(m.row), format)
    }

    // MARK: symbols

    static func sym(_ name: String, _ l: Int) -> String { "\(name)^{(\(l))}" }
    static func theta(_ l: Int) -> String { "\\Theta^{(\(l))}" }
    static func delta(_ l: Int) -> String { "\\delta^{(\(l))}" }
    static func partial(_ x: String) -> String { "\\frac{\\partial J}{\\partial \(x)}" }
    static let transpose = "^{\\mathsf{T}}"

    /// g(z) in LaTeX.
    static func formula(_ g: Activation, _ z: String) -> String {
        switch g {
        case .sigmoid: return "\\frac{1}{1 + e^{-\(z)}}"
        case .tanh: return "\\tanh(\(z))"
        case .relu: return "\\max(0, \(z))"
        case .identity: return z
        }
    }

    /// g′(z) in the lecture's form.
    static func derivative(_ g: Activation, z: String, a: String) -> String {
        switch g {
        case .sigmoid: return "\(a) \\odot (1 - \(a))"
        case .tanh: return "1 - \(a) \\odot \(a)"
        case .relu: return "[\(z) > 0]"
        case .identity: return "1"
        }
    }

    // MARK: building

    /// The derivation of the current state's pass (forward, cost, backward).
    static func build(_ state: SessionState, _ trace: Trace) -> Derivation {
        let net = state.network
        let L = net.L
        let format = NumberFormat(precision: state.style.precision)
        func col(_ m: Matrix) -> [Double] { m.column(0) }
        let objective = state.objective
        let shape = net.sizes.map(String.init).joined(separator: "-")
        let activations = (1...L).map { Describe.activation(net.layer($0).activation) }
        var summary = [
            "Network \(shape): layers 0 to \(L) with \(net.sizes.map(String.init).joined(separator: ", ")) units, "
                + (net.hasBias ? "with bias units" : "without bias units") + "; "
                + "activations " + activations.joined(separator: ", ") + " (layers 1 to \(L)).",
            "Cost: " + (objective.cost == .squared ? "squared error" : "cross-entropy")
                + ", \(objective.reduction == .sum ? "summed" : "averaged") over the samples (one sample here)"
                + (objective.lambda != 0 ? ", with L2 regularization $\\lambda = \(number(objective.lambda, format))$." : "."),
            "Numbers at \(format.precision) significant digits.",
        ]
        if net.sizes.contains(where: { $0 > largest }) {
            summary.append("Layers of more than \(largest) units show their first units, dots and the last.")
        }

        // Forward.
        var forward: [Equation] = []
        forward.append(Equation(lines: ["a^{(0)} = x &= " + column(state.x, format)]))
        for l in 1...L {
            let g = net.layer(l).activation
            let zSymbolic = "\(theta(l)) \(sym("a", l - 1))" + (net.hasBias ? " + \(sym("b", l))" : "")
            var zNumbers = matrix(net.theta(l), format) + column(col(trace.a[l - 1]), format)
            if let b = net.b(l) { zNumbers += " + " + column(b, format) }
            forward.append(Equation(lines: [
                "\(sym("z", l)) &= \(zSymbolic)",
                "&= \(zNumbers)",
                "&= " + column(col(trace.z[l]), format),
            ]))
            forward.append(Equation(lines: [
                "\(sym("a", l)) &= g(\(sym("z", l))), \\qquad g(z) = \(formula(g, "z"))",
                "&= g\\left(" + column(col(trace.z[l]), format) + "\\right)",
                "&= " + column(col(trace.a[l]), format),
            ]))
        }

        // Cost.
        var costLines: [String]
        let aL = sym("a", L)
        let lambdaTerm = objective.lambda != 0
            ? " + \\frac{\\lambda}{2} \\sum_{l} \\sum_{i} \\sum_{j} \\left(\\theta_{ij}^{(l)}\\right)^2" : ""
        let lambdaNumbers = objective.lambda != 0
            ? " + \\frac{\(number(objective.lambda, format))}{2} \\cdot \(number(net.sumOfSquaredWeights, format))" : ""
        switch objective.cost {
        case .squared:
            costLines = [
                "J &= \\tfrac{1}{2} \\left\\lVert y - \(aL) \\right\\rVert^2" + lambdaTerm,
                "&= \\tfrac{1}{2} \\left\\lVert " + column(state.y, format) + " - " + column(col(trace.a[L]), format)
                    + " \\right\\rVert^2" + lambdaNumbers,
            ]
        case .crossEntropy:
            costLines = [
                "J &= -\\sum_{i} \\left[ y_i \\ln a_i^{(\(L))} + (1 - y_i) \\ln\\left(1 - a_i^{(\(L))}\\right) \\right]" + lambdaTerm,
                "&\\qquad \\text{with } y = " + column(state.y, format) + ", \\quad a^{(\(L))} = " + column(col(trace.a[L]), format)
                    + (objective.lambda != 0 ? ", \\quad \\frac{\\lambda}{2} \\sum \\theta^2 =" + lambdaNumbers.dropFirst(2) : ""),
            ]
        }
        costLines.append("&= " + number(trace.J, format))

        // Backward: δ.
        var errors: [Equation] = []
        for l in stride(from: L, through: 1, by: -1) {
            let g = net.layer(l).activation
            let gPrime = (1...net.sizes[l]).map { trace.gPrime(net, l, $0) }
            let gLine = "g'(\(sym("z", l))) &= \(derivative(g, z: sym("z", l), a: sym("a", l))) = " + column(gPrime, format)
            if l == L {
                if objective.cost == .crossEntropy {
                    errors.append(Equation(lines: [
                        "\(delta(L)) &= \(aL) - y \\qquad \\text{(cross-entropy with a sigmoid output: } g' \\text{ cancels)}",
                        "&= " + column(col(trace.a[L]), format) + " - " + column(state.y, format),
                        "&= " + column(col(trace.delta[L]), format),
                    ]))
                } else {
                    errors.append(Equation(lines: [gLine]))
                    errors.append(Equation(lines: [
                        "\(delta(L)) &= \\left(\(aL) - y\\right) \\odot g'(\(sym("z", L)))",
                        "&= \\left(" + column(col(trace.a[L]), format) + " - " + column(state.y, format) + "\\right) \\odot "
                            + column(gPrime, format),
                        "&= " + column(col(trace.delta[L]), format),
                    ]))
                }
            } else {
                errors.append(Equation(lines: [gLine]))
                errors.append(Equation(lines: [
                    "\(delta(l)) &= \\left(\\left(\(theta(l + 1))\\right)\(transpose) \(delta(l + 1))\\right) \\odot g'(\(sym("z", l)))",
                    "&= \\left(" + matrix(net.theta(l + 1).transposed, format) + column(col(trace.delta[l + 1]), format)
                        + "\\right) \\odot " + column(gPrime, format),
                    "&= " + column(col(trace.delta[l]), format),
                ]))
            }
        }

        // Backward: gradients.
        var gradients: [Equation] = []
        for l in stride(from: L, through: 1, by: -1) {
            let lambda = objective.lambda
            let scale = objective.reduction == .mean ? " \\tfrac{1}{m}" : ""
            var symbolic = "\(partial(theta(l))) &=\(scale) \(delta(l)) \\left(\(sym("a", l - 1))\\right)\(transpose)"
            var numbers = "&= " + column(col(trace.delta[l]), format) + bmatrix([col(trace.a[l - 1])], format)
            if lambda != 0 {
                symbolic += " + \\lambda \(theta(l))"
                numbers += " + \(number(lambda, format)) " + matrix(net.theta(l), format)
            }
            gradients.append(Equation(lines: [symbolic, numbers, "&= " + matrix(trace.gradTheta[l], format)]))
            if net.hasBias {
                gradients.append(Equation(lines: [
                    "\(partial(sym("b", l))) &=\(scale) \(delta(l)) = " + column(trace.gradB[l], format),
                ]))
            }
        }
        let update = Equation(lines: [
            "\\Theta^{(l)} &\\leftarrow \\Theta^{(l)} - \\alpha \\, \(partial("\\Theta^{(l)}"))"
                + (net.hasBias ? ", \\qquad b^{(l)} \\leftarrow b^{(l)} - \\alpha \\, \(partial("b^{(l)}"))" : ""),
        ])

        let sections = [
            Section(title: "Forward pass",
                    text: "Each layer weighs the activations of the layer before, then applies its activation $g$.",
                    equations: forward),
            Section(title: "Cost",
                    text: "How far the output is from the target $y$.",
                    equations: [Equation(lines: costLines)]),
            Section(title: "Backward pass: the errors",
                    text: "The output error, then each layer's error from the layer after it ($\\odot$ multiplies entry by entry).",
                    equations: errors),
            Section(title: "Backward pass: the gradients",
                    text: "Each weight's gradient is the error of the unit it feeds times the activation it carries.",
                    equations: gradients),
            Section(title: "Gradient descent",
                    text: "One step with learning rate $\\alpha$ moves every weight against its gradient.",
                    equations: [update]),
        ]
        return Derivation(title: "Backpropagation through the \(shape) network", summary: summary, sections: sections)
    }
}
