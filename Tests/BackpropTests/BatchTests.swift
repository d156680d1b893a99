import Testing
import Backprop

/// A batch of m samples is m single samples added up: the batched forward/backward must
/// equal the per-sample passes combined by the reduction (and plus λΘ for L2).
@Suite("Batches")
struct BatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let activations: [Activation]
        let bias: Bool
        let cost: Cost
        let seed: UInt64
        var testDescription: String {
            "\(sizes) \(activations.map(\.rawValue)) bias=\(bias) \(cost.rawValue)"
        }
    }

    static let cases: [Case] = [
        Case(sizes: [2, 3, 2], activations: [.sigmoid, .sigmoid], bias: true, cost: .squared, seed: 1),
        Case(sizes: [3, 4, 3, 2], activations: [.tanh, .relu, .identity], bias: true, cost: .squared, seed: 2),
        Case(sizes: [2, 4, 3, 1], activations: [.relu, .tanh, .sigmoid], bias: false, cost: .crossEntropy, seed: 3),
        Case(sizes: [4, 2, 3], activations: [.identity, .sigmoid], bias: false, cost: .squared, seed: 4),
    ]

    static let m = 5

    /// The batch pass and the m single-sample passes (each under sum, λ = 0).
    static func passes(_ c: Case, objective: Objective) throws -> (RandomProblem, Trace, [Trace]) {
        let p = try RandomProblem(sizes: c.sizes, activations: c.activations, bias: c.bias,
                                  objective: objective, batchSize: m, seed: c.seed)
        var batch = try Trace.forward(p.network, x: p.x, y: p.y, objective: objective)
        batch.backward(p.network)
        let singles: [Trace] = try (0..<m).map { k in
            var t = try Trace.forward(p.network, x: sampleColumn(p.x, k), y: sampleColumn(p.y, k),
                                      objective: Objective(cost: c.cost))
            t.backward(p.network)
            return t
        }
        return (p, batch, singles)
    }

    /// Σ_k of a per-sample matrix.
    static func sum(_ traces: [Trace], _ pick: (Trace) -> Matrix) -> Matrix {
        var total = pick(traces[0])
        for t in traces.dropFirst() {
            let m = pick(t)
            for i in total.elements.indices { total.elements[i] += m.elements[i] }
        }
        return total
    }

    static func rows(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { m.row($0) } }

    @Test("columns of z, a, δ are the single-sample passes", arguments: cases)
    func columns(_ c: Case) throws {
        let (p, batch, singles) = try Self.passes(c, objective: Objective(cost: c.cost))
        for k in 0..<Self.m {
            for l in 0...p.network.L {
                expectClose(batch.a[l].column(k), singles[k].a[l].column(0), rel: 1e-13, "a⁽\(l)⁾ sample \(k + 1)")
            }
            for l in 1...p.network.L {
                expectClose(batch.z[l].column(k), singles[k].z[l].column(0), rel: 1e-13, "z⁽\(l)⁾ sample \(k + 1)")
                expectClose(batch.delta[l].column(k), singles[k].delta[l].column(0), rel: 1e-13,
                            "δ⁽\(l)⁾ sample \(k + 1)")
            }
        }
    }

    @Test("sum: J and the gradients are the sums of the per-sample ones", arguments: cases)
    func sumReduction(_ c: Case) throws {
        let (p, batch, singles) = try Self.passes(c, objective: Objective(cost: c.cost, reduction: .sum))
        expectClose(batch.J, singles.map(\.J).reduce(0, +), rel: 1e-12, "J")
        for l in 1...p.network.L {
            expectClose(batch.gradTheta[l], Self.rows(Self.sum(singles) { $0.gradTheta[l] }), rel: 1e-12,
                        absolute: 1e-14, "∂J/∂Θ⁽\(l)⁾")
            if c.bias {
                let want = (0..<c.sizes[l]).map { i in singles.reduce(0) { $0 + $1.gradB[l][i] } }
                expectClose(batch.gradB[l], want, rel: 1e-12, absolute: 1e-14, "∂J/∂b⁽\(l)⁾")
            }
        }
    }

    @Test("mean: J and the gradients are the means of the per-sample ones", arguments: cases)
    func meanReduction(_ c: Case) throws {
        let (p, batch, singles) = try Self.passes(c, objective: Objective(cost: c.cost, reduction: .mean))
        let m = Double(Self.m)
        expectClose(batch.J, singles.map(\.J).reduce(0, +) / m, rel: 1e-12, "J")
        for l in 1...p.network.L {
            let sum = Self.sum(singles) { $0.gradTheta[l] }
            expectClose(batch.gradTheta[l], Self.rows(sum).map { $0.map { $0 / m } }, rel: 1e-12,
                        absolute: 1e-14, "∂J/∂Θ⁽\(l)⁾")
            if c.bias {
                let want = (0..<c.sizes[l]).map { i in singles.reduce(0) { $0 + $1.gradB[l][i] } / m }
                expectClose(batch.gradB[l], want, rel: 1e-12, absolute: 1e-14, "∂J/∂b⁽\(l)⁾")
            }
        }
    }

    @Test("λ > 0: + λΘ on the weights' gradients, + λ/2 Σθ² on J, nothing on the biases",
          arguments: cases, [Reduction.sum, .mean])
    func regularized(_ c: Case, _ reduction: Reduction) throws {
        let lambda = 0.3
        let (p, batch, singles) = try Self.passes(c, objective: Objective(cost: c.cost, reduction: reduction,
                                                                          lambda: lambda))
        let s = reduction == .sum ? 1.0 : 1.0 / Double(Self.m)
        let squares = (1...p.network.L).reduce(0.0) { total, l in
            total + p.network.theta(l).elements.reduce(0) { $0 + $1 * $1 }
        }
        expectClose(batch.J, s * singles.map(\.J).reduce(0, +) + lambda / 2 * squares, rel: 1e-12, "J")
        for l in 1...p.network.L {
            let sum = Self.sum(singles) { $0.gradTheta[l] }
            let theta = p.network.theta(l)
            let want = (0..<sum.rows).map { i in
                (0..<sum.cols).map { j in s * sum[i, j] + lambda * theta[i, j] }
            }
            expectClose(batch.gradTheta[l], want, rel: 1e-12, absolute: 1e-14, "∂J/∂Θ⁽\(l)⁾")
            if c.bias {
                let wantB = (0..<c.sizes[l]).map { i in s * singles.reduce(0) { $0 + $1.gradB[l][i] } }
                expectClose(batch.gradB[l], wantB, rel: 1e-12, absolute: 1e-14, "∂J/∂b⁽\(l)⁾ (not regularized)")
            }
        }
    }

    @Test("a batch of one under mean is the same as under sum")
    func batchOfOne() throws {
        let p = try RandomProblem(sizes: [2, 3, 1], activations: [.tanh, .sigmoid], bias: true,
                                  objective: Objective(), batchSize: 1, seed: 11)
        var sum = try Trace.forward(p.network, x: p.x, y: p.y, objective: Objective(reduction: .sum))
        var mean = try Trace.forward(p.network, x: p.x, y: p.y, objective: Objective(reduction: .mean))
        sum.backward(p.network)
        mean.backward(p.network)
        #expect(sum.J == mean.J)
        #expect(sum.gradTheta == mean.gradTheta)
        #expect(sum.gradB == mean.gradB)
    }

    @Test("Dataset.subset picks the given columns in order")
    func subset() throws {
        let data = try Dataset(x: try Matrix([[1, 2, 3, 4], [5, 6, 7, 8]]), y: try Matrix([[10, 20, 30, 40]]))
        #expect(data.count == 4)
        let s = data.subset([3, 0])
        #expect(s.x == (try Matrix([[4, 1], [8, 5]])))
        #expect(s.y == (try Matrix([[40, 10]])))
    }
}
