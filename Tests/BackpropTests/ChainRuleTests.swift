import Testing
import Backprop

/// The trace's read-outs that explain single numbers must add up to what backward stored:
/// the three factors of an output gradient, the paths of a hidden δ, the per-sample
/// contributions of a batch gradient.
@Suite("Chain-rule read-outs")
struct ChainRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let activations: [Activation]
        let bias: Bool
        let cost: Cost
        let seed: UInt64
        var testDescription: String { "\(sizes) \(activations.map(\.rawValue)) bias=\(bias) \(cost.rawValue)" }
    }

    static let cases: [Case] = [
        Case(sizes: [2, 2, 2], activations: [.sigmoid, .sigmoid], bias: true, cost: .squared, seed: 1),
        Case(sizes: [3, 4, 3, 2], activations: [.tanh, .relu, .tanh], bias: true, cost: .squared, seed: 2),
        Case(sizes: [3, 3, 2, 2], activations: [.relu, .identity, .identity], bias: false, cost: .squared, seed: 3),
        Case(sizes: [2, 4, 2, 3], activations: [.sigmoid, .tanh, .relu], bias: false, cost: .squared, seed: 4),
        Case(sizes: [2, 3, 3, 1], activations: [.identity, .tanh, .sigmoid], bias: true, cost: .crossEntropy, seed: 5),
    ]

    static func trace(_ c: Case, objective: Objective, batchSize m: Int) throws -> (RandomProblem, Trace) {
        let p = try RandomProblem(sizes: c.sizes, activations: c.activations, bias: c.bias,
                                  objective: objective, batchSize: m, seed: c.seed)
        var t = try Trace.forward(p.network, x: p.x, y: p.y, objective: objective)
        t.backward(p.network)
        return (p, t)
    }

    @Test("single sample: ∂J/∂a · ∂a/∂z · ∂z/∂θ = ∂J/∂θᵢⱼ⁽ᴸ⁾ and ∂J/∂a · ∂a/∂z = δᵢ⁽ᴸ⁾", arguments: cases)
    func outputFactors(_ c: Case) throws {
        let (p, t) = try Self.trace(c, objective: Objective(cost: c.cost), batchSize: 1)
        let L = p.network.L
        for i in 1...c.sizes[L] {
            for j in 1...c.sizes[L - 1] {
                let f = t.outputFactors(p.network, i: i, j: j)
                expectClose(f.product, t.gradient(layer: L, i: i, j: j), rel: 1e-12, absolute: 1e-16,
                            "∂J/∂θ\(i)\(j)⁽ᴸ⁾")
                expectClose(f.dJda * f.dadz, f.delta, rel: 1e-12, absolute: 1e-16, "δ\(i)⁽ᴸ⁾")
                #expect(f.delta == t.delta(L, i))
                #expect(f.dzdtheta == t.a(L - 1, j))
                #expect(f.dadz == t.gPrime(p.network, L, i))
                // The factors themselves, from the lecture's formulas.
                let a = t.a(L, i), y = p.y[i - 1, 0]
                let dJda = c.cost == .squared ? a - y : (a - y) / (a * (1 - a))
                expectClose(f.dJda, dJda, rel: 1e-14, "∂J/∂a\(i)")
            }
        }
    }

    @Test("g′ from the lecture's forms: sigmoid a(1−a), tanh 1−a², ReLU [z>0], identity 1", arguments: cases)
    func gPrime(_ c: Case) throws {
        let (p, t) = try Self.trace(c, objective: Objective(cost: c.cost), batchSize: 3)
        for l in 1...p.network.L {
            for i in 1...c.sizes[l] {
                for k in 1...3 {
                    let z = t.z(l, i, sample: k), a = t.a(l, i, sample: k)
                    let want: Double
                    switch c.activations[l - 1] {
                    case .sigmoid: want = a * (1 - a)
                    case .tanh: want = 1 - a * a
                    case .relu: want = z > 0 ? 1 : 0
                    case .identity: want = 1
                    }
                    #expect(t.gPrime(p.network, l, i, sample: k) == want)
                }
            }
        }
    }

    @Test("every sample of a batch: (Σⱼ θⱼᵢ⁽ˡ⁺¹⁾ δⱼ⁽ˡ⁺¹⁾) · g′(zᵢ⁽ˡ⁾) = δᵢ⁽ˡ⁾", arguments: cases)
    func pathTerms(_ c: Case) throws {
        let (p, t) = try Self.trace(c, objective: Objective(cost: c.cost, reduction: .mean, lambda: 0.2),
                                    batchSize: 3)
        for l in 1..<p.network.L {
            for i in 1...c.sizes[l] {
                for k in 1...3 {
                    let terms = t.pathTerms(p.network, layer: l, i: i, sample: k)
                    #expect(terms.map(\.j) == Array(1...c.sizes[l + 1]))
                    for term in terms {
                        #expect(term.theta == p.network.theta(l + 1)[term.j - 1, i - 1])
                        #expect(term.delta == t.delta(l + 1, term.j, sample: k))
                        #expect(term.product == term.theta * term.delta)
                    }
                    let sum = terms.reduce(0) { $0 + $1.product }
                    expectClose(sum * t.gPrime(p.network, l, i, sample: k), t.delta(l, i, sample: k),
                                rel: 1e-12, absolute: 1e-16, "δ\(i)⁽\(l)⁾ sample \(k)")
                }
            }
        }
    }

    @Test("s Σ_k δᵢ⁽ᵏ⁾ aⱼ⁽ᵏ⁾ + λθᵢⱼ = ∂J/∂θᵢⱼ⁽ˡ⁾",
          arguments: cases, [Reduction.sum, .mean])
    func sampleContributions(_ c: Case, _ reduction: Reduction) throws {
        let lambda = 0.2, m = 4
        let (p, t) = try Self.trace(c, objective: Objective(cost: c.cost, reduction: reduction, lambda: lambda),
                                    batchSize: m)
        let s = reduction.scale(batchSize: m)
        #expect(s == (reduction == .sum ? 1 : 0.25))
        for l in 1...p.network.L {
            for i in 1...c.sizes[l] {
                for j in 1...c.sizes[l - 1] {
                    let parts = t.sampleContributions(layer: l, i: i, j: j)
                    #expect(parts.count == m)
                    for (k, part) in parts.enumerated() {
                        #expect(part == t.delta(l, i, sample: k + 1) * t.a(l - 1, j, sample: k + 1))
                    }
                    let want = s * parts.reduce(0, +) + lambda * p.network.theta(l)[i - 1, j - 1]
                    expectClose(t.gradient(layer: l, i: i, j: j), want, rel: 1e-12, absolute: 1e-16,
                                "∂J/∂θ\(i)\(j)⁽\(l)⁾")
                }
            }
        }
    }

    @Test("read-outs are the trace's matrices, 1-based")
    func readOuts() throws {
        let (p, t) = try Self.trace(Self.cases[1], objective: Objective(), batchSize: 2)
        for l in 1...p.network.L {
            for i in 1...p.network.sizes[l] {
                for k in 1...2 {
                    #expect(t.z(l, i, sample: k) == t.z[l][i - 1, k - 1])
                    #expect(t.a(l, i, sample: k) == t.a[l][i - 1, k - 1])
                    #expect(t.delta(l, i, sample: k) == t.delta[l][i - 1, k - 1])
                }
                for j in 1...p.network.sizes[l - 1] {
                    #expect(t.gradient(layer: l, i: i, j: j) == t.gradTheta[l][i - 1, j - 1])
                }
            }
        }
    }
}
