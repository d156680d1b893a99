import Testing
import Backprop

/// The engine against the independent Python reference (Reference/reference.py): every
/// z, a, J, δ, ∂J/∂Θ, ∂J/∂b, the output layer's chain-rule factors, and Θ, b and J after
/// one gradient-descent step, for each case in Fixtures/.
@Suite("Worked examples against the Python reference")
struct WorkedExampleTests {
    /// The fixture, its network, and one forward + backward pass over its batch.
    struct Pass {
        let fixture: PassFixture
        let network: Network
        let trace: Trace
    }

    static func pass(_ name: String) throws -> Pass {
        let fixture: PassFixture = try Fixtures.load(name + ".json")
        let network = try fixture.network()
        var trace = try Trace.forward(network, x: try fixture.xMatrix(), y: try fixture.yMatrix(),
                                      objective: try fixture.objective())
        trace.backward(network)
        return Pass(fixture: fixture, network: network, trace: trace)
    }

    @Test("forward: z⁽ˡ⁾ and a⁽ˡ⁾ of every layer and sample", arguments: Fixtures.caseNames)
    func forward(_ name: String) throws {
        let p = try Self.pass(name)
        #expect(p.trace.L == p.fixture.L)
        #expect(p.trace.batchSize == p.fixture.x.first?.count)
        for l in 0...p.fixture.L {
            expectClose(p.trace.a[l], p.fixture.expected.a[l], "\(name): a⁽\(l)⁾")
        }
        for l in 1...p.fixture.L {
            expectClose(p.trace.z[l], p.fixture.expected.z[l - 1], "\(name): z⁽\(l)⁾")
        }
    }

    @Test("cost J (data term, reduction and λ/2 Σθ²)", arguments: Fixtures.caseNames)
    func cost(_ name: String) throws {
        let p = try Self.pass(name)
        expectClose(p.trace.J, p.fixture.expected.J, "\(name): J")
    }

    @Test("backward: δ⁽ˡ⁾ of every layer and sample", arguments: Fixtures.caseNames)
    func delta(_ name: String) throws {
        let p = try Self.pass(name)
        for l in 1...p.fixture.L {
            expectClose(p.trace.delta[l], p.fixture.expected.delta[l - 1], "\(name): δ⁽\(l)⁾")
        }
    }

    @Test("gradients ∂J/∂Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾", arguments: Fixtures.caseNames)
    func gradients(_ name: String) throws {
        let p = try Self.pass(name)
        for l in 1...p.fixture.L {
            expectClose(p.trace.gradTheta[l], p.fixture.expected.gradTheta[l - 1], "\(name): ∂J/∂Θ⁽\(l)⁾")
        }
        if let gradB = p.fixture.expected.gradB {
            for l in 1...p.fixture.L {
                expectClose(p.trace.gradB[l], gradB[l - 1], "\(name): ∂J/∂b⁽\(l)⁾")
            }
        } else {
            #expect(!p.network.hasBias)
        }
    }

    /// Trace.gradB's doc comment: "∂J/∂b⁽ˡ⁾ at indices 1 … L, empty without bias".
    @Test("without bias there is no ∂J/∂b", arguments: Fixtures.caseNames.filter { $0.contains("nobias") })
    func noBiasGradient(_ name: String) throws {
        let p = try Self.pass(name)
        #expect(!p.network.hasBias)
        for l in 1...p.fixture.L {
            #expect(p.trace.gradB[l].isEmpty, "\(name): ∂J/∂b⁽\(l)⁾ = \(p.trace.gradB[l]) on a network without bias")
        }
    }

    @Test("chain-rule factors ∂J/∂a · ∂a/∂z · ∂z/∂θ of every output weight", arguments: Fixtures.caseNames)
    func outputFactors(_ name: String) throws {
        let p = try Self.pass(name)
        #expect(p.fixture.expected.outputFactors.count
                == p.trace.batchSize * p.fixture.sizes[p.fixture.L] * p.fixture.sizes[p.fixture.L - 1])
        for f in p.fixture.expected.outputFactors {
            let got = p.trace.outputFactors(p.network, i: f.i, j: f.j, sample: f.sample)
            let label = "\(name): sample \(f.sample), θ\(f.i)\(f.j)⁽ᴸ⁾"
            expectClose(got.dJda, f.dJda, "\(label) ∂J/∂a")
            expectClose(got.dadz, f.dadz, "\(label) ∂a/∂z")
            expectClose(got.dzdtheta, f.dzdtheta, "\(label) ∂z/∂θ")
            expectClose(got.product, f.dJda * f.dadz * f.dzdtheta, "\(label) product")
        }
    }

    @Test("one step Θ ← Θ − α∂J/∂Θ, b ← b − α∂J/∂b, and J after it", arguments: Fixtures.caseNames)
    func update(_ name: String) throws {
        let p = try Self.pass(name)
        var network = p.network
        network.descend(along: p.trace, alpha: p.fixture.alpha)
        for l in 1...p.fixture.L {
            expectClose(network.theta(l), p.fixture.expected.thetaAfter[l - 1], "\(name): Θ⁽\(l)⁾ after")
            if let bAfter = p.fixture.expected.bAfter {
                expectClose(network.b(l) ?? [], bAfter[l - 1], "\(name): b⁽\(l)⁾ after")
            } else {
                #expect(network.b(l) == nil)
            }
        }
        let after = try Trace.forward(network, x: try p.fixture.xMatrix(), y: try p.fixture.yMatrix(),
                                      objective: try p.fixture.objective())
        expectClose(after.J, p.fixture.expected.JAfter, "\(name): J after the step")
        #expect(after.J < p.trace.J, "one small step downhill lowers J")
    }

    /// The numbers Matt Mazur's "A Step by Step Backpropagation Example" publishes
    /// (9 significant digits), typed in from the post, independent of any code here.
    @Test("Mazur's published numbers")
    func mazurPublished() throws {
        let p = try Self.pass("mazur-2-2-2")
        let t = p.trace
        let published: [(Double, Double, String)] = [
            (t.z(1, 1), 0.3775, "net_h1 = z₁⁽¹⁾"),
            (t.a(1, 1), 0.593269992, "out_h1 = a₁⁽¹⁾"),
            (t.a(1, 2), 0.596884378, "out_h2 = a₂⁽¹⁾"),
            (t.z(2, 1), 1.105905967, "net_o1 = z₁⁽²⁾"),
            (t.a(2, 1), 0.75136507, "out_o1 = a₁⁽²⁾"),
            (t.a(2, 2), 0.772928465, "out_o2 = a₂⁽²⁾"),
            (t.J, 0.298371109, "E_total = J"),
            (t.gradient(layer: 2, i: 1, j: 1), 0.082167041, "∂E/∂w5 = ∂J/∂θ₁₁⁽²⁾"),
            (t.gradient(layer: 1, i: 1, j: 1), 0.000438568, "∂E/∂w1 = ∂J/∂θ₁₁⁽¹⁾"),
        ]
        for (got, want, what) in published {
            #expect(abs(got - want) < 6e-9, "\(what): \(got) vs published \(want)")
        }
        let f = t.outputFactors(p.network, i: 1, j: 1)
        #expect(abs(f.dJda - 0.741365070) < 1e-9)
        #expect(abs(f.dadz - 0.186815602) < 1e-9)
        #expect(abs(f.dzdtheta - 0.593269992) < 1e-9)
        var network = p.network
        network.descend(along: t, alpha: 0.5)
        let updated: [(Double, Double, String)] = [
            (network.theta(2)[0, 0], 0.35891648, "w5⁺"), (network.theta(2)[0, 1], 0.408666186, "w6⁺"),
            (network.theta(2)[1, 0], 0.511301270, "w7⁺"), (network.theta(2)[1, 1], 0.561370121, "w8⁺"),
            (network.theta(1)[0, 0], 0.149780716, "w1⁺"), (network.theta(1)[0, 1], 0.19956143, "w2⁺"),
            (network.theta(1)[1, 0], 0.24975114, "w3⁺"), (network.theta(1)[1, 1], 0.29950229, "w4⁺"),
        ]
        for (got, want, what) in updated {
            #expect(abs(got - want) < 6e-9, "\(what): \(got) vs published \(want)")
        }
    }
}
