import Testing
import Backprop

/// Backpropagation against central finite differences on random networks at least three
/// layers deep: every activation (hidden and output), both costs, bias on and off,
/// λ = 0 and λ > 0, sum and mean.
@Suite("Gradient checks")
struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let activations: [Activation]
        let bias: Bool
        let cost: Cost
        let reduction: Reduction
        let lambda: Double
        let seed: UInt64

        var objective: Objective { Objective(cost: cost, reduction: reduction, lambda: lambda) }
        var testDescription: String {
            "\(sizes.map(String.init).joined(separator: "-")) "
                + "[\(activations.map(\.rawValue).joined(separator: ","))] "
                + "bias=\(bias ? "on" : "off") \(cost.rawValue) \(reduction.rawValue) λ=\(lambda)"
        }
    }

    static let shapes: [[Int]] = [[3, 4, 3, 2], [2, 5, 4, 3, 1], [4, 3, 3, 3], [2, 3, 4, 3, 2, 2]]

    /// 4 shapes × 2 costs × bias on/off × λ ∈ {0, 0.1}; hidden activations rotate through
    /// all four, the squared-error output through all four, cross-entropy's is sigmoid.
    static let cases: [Case] = {
        var cases: [Case] = []
        let all = Activation.allCases
        var counter = 0
        for (s, sizes) in shapes.enumerated() {
            for cost in Cost.allCases {
                for bias in [true, false] {
                    for lambda in [0.0, 0.1] {
                        let L = sizes.count - 1
                        var activations = (1..<L).map { all[(counter + s + $0) % all.count] }
                        activations.append(cost == .crossEntropy ? .sigmoid : all[(counter / 2 + s) % all.count])
                        cases.append(Case(sizes: sizes, activations: activations, bias: bias, cost: cost,
                                          reduction: counter % 3 == 0 ? .mean : .sum, lambda: lambda,
                                          seed: UInt64(100 * counter + 7)))
                        counter += 1
                    }
                }
            }
        }
        return cases
    }()

    /// A random problem for the case (trying successive seeds) that finite differences can
    /// judge to 1e-7:
    /// - every ReLU unit stays at least 0.01 away from its kink z = 0 on every sample, so
    ///   no ±ε step crosses it;
    /// - every gradient is exactly 0 (a dead ReLU: then the difference is exactly 0 too) or
    ///   at least 1e-3 · J: the central difference's rounding error is about ulp(J)/ε, so a
    ///   gradient much smaller than J cannot be measured to 1e-7 relative with ε = 1e-5
    ///   whatever backprop does. (Measured with ε = 1e-5 the worst difference over all the
    ///   cases is then about 5e-9.)
    static func problem(_ c: Case) throws -> RandomProblem {
        for attempt in 0..<200 {
            let p = try RandomProblem(sizes: c.sizes, activations: c.activations, bias: c.bias,
                                      objective: c.objective, batchSize: 3, seed: c.seed + UInt64(attempt))
            guard try p.reluMargin() > 0.01 else { continue }
            var trace = try Trace.forward(p.network, x: p.x, y: p.y, objective: p.objective)
            trace.backward(p.network)
            let gradients = trace.gradTheta.flatMap(\.elements) + trace.gradB.flatMap { $0 }
            let floor = 1e-3 * max(trace.J, 1e-3)
            if gradients.allSatisfy({ $0 == 0 || abs($0) >= floor }) { return p }
        }
        Issue.record("no seed gives a problem finite differences can judge")
        throw FixtureError.unknown("seed")
    }

    @Test("the cases cover every activation, both costs, bias on/off, λ = 0 and λ > 0, sum and mean")
    func coverage() {
        for g in Activation.allCases {
            #expect(Self.cases.contains { $0.activations.dropLast().contains(g) }, "hidden \(g)")
            #expect(Self.cases.contains { $0.cost == .squared && $0.activations.last == g }, "output \(g)")
        }
        for cost in Cost.allCases { #expect(Self.cases.contains { $0.cost == cost }) }
        for reduction in Reduction.allCases { #expect(Self.cases.contains { $0.reduction == reduction }) }
        #expect(Self.cases.contains { $0.bias } && Self.cases.contains { !$0.bias })
        #expect(Self.cases.contains { $0.lambda == 0 } && Self.cases.contains { $0.lambda > 0 })
        #expect(Self.cases.allSatisfy { $0.sizes.count >= 4 }, "at least 3 layers after the input")
    }

    @Test("engine's gradientCheck: every layer's worst relative difference < 1e-7", arguments: cases)
    func engineCheck(_ c: Case) throws {
        let p = try Self.problem(c)
        let report = try p.network.gradientCheck(x: p.x, y: p.y, objective: p.objective, epsilon: 1e-5)
        #expect(report.map(\.layer) == Array(1...p.network.L))
        for layer in report {
            #expect(layer.worst < 1e-7, "layer \(layer.layer): θ \(layer.thetaRelativeDifference), b \(String(describing: layer.biasRelativeDifference))")
            #expect((layer.biasRelativeDifference != nil) == c.bias)
        }
    }

    /// The same comparison written here with the public API only (perturb with setTheta /
    /// setBias, J from Trace.forward), so a fault in `gradientCheck` itself cannot hide one
    /// in `backward`.
    @Test("independent central differences agree with ∂J/∂Θ and ∂J/∂b to 1e-7", arguments: cases)
    func independentCheck(_ c: Case) throws {
        let p = try Self.problem(c)
        var trace = try Trace.forward(p.network, x: p.x, y: p.y, objective: p.objective)
        trace.backward(p.network)
        let epsilon = 1e-5
        func J(_ network: Network) throws -> Double {
            try Trace.forward(network, x: p.x, y: p.y, objective: p.objective).J
        }
        func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(a) + abs(b), 1e-12) }
        for l in 1...p.network.L {
            let theta = p.network.theta(l)
            for i in 0..<theta.rows {
                for j in 0..<theta.cols {
                    var plus = p.network, minus = p.network
                    var t = theta
                    t[i, j] = theta[i, j] + epsilon
                    try plus.setTheta(l, t)
                    t[i, j] = theta[i, j] - epsilon
                    try minus.setTheta(l, t)
                    let numeric = (try J(plus) - J(minus)) / (2 * epsilon)
                    let r = relative(trace.gradTheta[l][i, j], numeric)
                    #expect(r < 1e-7, "∂J/∂θ\(i + 1)\(j + 1)⁽\(l)⁾: backprop \(trace.gradTheta[l][i, j]), numeric \(numeric)")
                }
            }
            if let b = p.network.b(l) {
                for i in b.indices {
                    var plus = p.network, minus = p.network
                    var v = b
                    v[i] = b[i] + epsilon
                    try plus.setBias(l, v)
                    v[i] = b[i] - epsilon
                    try minus.setBias(l, v)
                    let numeric = (try J(plus) - J(minus)) / (2 * epsilon)
                    #expect(relative(trace.gradB[l][i], numeric) < 1e-7,
                            "∂J/∂b\(i + 1)⁽\(l)⁾: backprop \(trace.gradB[l][i]), numeric \(numeric)")
                }
            }
        }
    }

    /// The check is not vacuous: a ReLU unit sitting exactly on its kink (z = 0, where the
    /// engine takes g′ = 0 but the central difference sees slope ½) is reported.
    @Test("a ReLU exactly at its kink is caught")
    func catchesKink() throws {
        var network = try Network(sizes: [1, 1, 1, 1], activation: .relu, bias: false)
        try network.setTheta(1, try Matrix([[0.0]]))   // z⁽¹⁾ = 0 · x = 0
        try network.setTheta(2, try Matrix([[1.0]]))
        try network.setTheta(3, try Matrix([[1.0]]))
        try network.setActivation(3, .identity)
        let report = try network.gradientCheck(x: try Matrix([[1.0]]), y: try Matrix([[1.0]]),
                                               objective: Objective(), epsilon: 1e-4)
        #expect(report[0].worst > 0.5, "layer 1 at the kink: \(report[0].worst)")
    }

    @Test("a cancelled check stops early")
    func cancelled() throws {
        let p = try RandomProblem(sizes: [2, 3, 2], activations: [.sigmoid, .sigmoid], bias: true,
                                  objective: Objective(), batchSize: 2, seed: 3)
        let report = try p.network.gradientCheck(x: p.x, y: p.y, objective: p.objective, isCancelled: { true })
        #expect(report.isEmpty)
    }
}
