import Foundation
import Testing
import Backprop

/// The numbers stay finite at the extremes (issue 6): every activation and its
/// derivative at z = ±1000 and beyond, the costs when the output saturates, and the
/// cross-entropy at a = 0 or 1 (where ln 0 would be −∞).
@Suite("Stability at the extremes")
struct StabilityTests {
    static let extremes: [Double] = [-1e308, -1e6, -1000, -745, -709, -40, -1e-300, -0.0, 0, 5e-324, 40, 709, 745, 1000, 1e6, 1e308]

    @Test(arguments: Activation.allCases)
    func activationsAreFiniteAndInRange(_ g: Activation) {
        for z in Self.extremes {
            let a = g.g(z)
            let gp = g.gPrime(z: z, a: a)
            #expect(a.isFinite && gp.isFinite, "\(g) at z = \(z): a = \(a), g′ = \(gp)")
            switch g {
            case .sigmoid:
                #expect(a >= 0 && a <= 1 && gp >= 0 && gp <= 0.25, "sigmoid at \(z): \(a), \(gp)")
            case .tanh:
                #expect(a >= -1 && a <= 1 && gp >= 0 && gp <= 1, "tanh at \(z): \(a), \(gp)")
            case .relu:
                #expect(a >= 0 && (gp == 0 || gp == 1))
            case .identity:
                #expect(a == z && gp == 1)
            }
        }
        #expect(Activation.sigmoid(1000) == 1 && Activation.sigmoid(-1000) == 0)
        #expect(Activation.sigmoid(-1000).sign == .plus)
    }

    /// A 1-1 network whose single weight puts z⁽¹⁾ at `z` for x = 1.
    static func saturated(_ z: Double, _ g: Activation, bias: Bool = false) throws -> Network {
        var network = try Network(sizes: [1, 1], activation: g, bias: bias)
        try network.setTheta(1, Matrix([[z]]))
        return network
    }

    /// Forward, cost and backward at z = ±1000 for every activation, cost and target:
    /// J, δ and every gradient finite.
    @Test(arguments: [Cost.squared, Cost.crossEntropy], [-1000.0, 1000.0])
    func passIsFiniteWhenSaturated(_ cost: Cost, _ z: Double) throws {
        for g in Activation.allCases where cost == .squared || g == .sigmoid {
            for y in [0.0, 1.0, 0.5] {
                for lambda in [0.0, 1e-3] {
                    let network = try Self.saturated(z, g)
                    let objective = Objective(cost: cost, reduction: .sum, lambda: lambda)
                    var trace = try Trace.forward(network, x: .column([1]), y: .column([y]), objective: objective)
                    trace.backward(network)
                    let what = "\(g), \(cost), z = \(z), y = \(y), λ = \(lambda)"
                    #expect(trace.J.isFinite, "J: \(what)")
                    #expect(trace.delta[1].isFinite, "δ: \(what)")
                    #expect(trace.gradTheta[1].isFinite, "∂J/∂Θ: \(what)")
                }
            }
        }
    }

    /// Cross-entropy where a rounds to exactly 0 or 1: J is finite and equals what the
    /// limit says, J ≈ |z| for the wrong class and 0 for the right one; δ = a − y.
    @Test func crossEntropyAtAZeroOrOne() throws {
        let objective = Objective(cost: .crossEntropy)
        for (z, y, expectedJ) in [(1000.0, 0.0, 1000.0), (-1000.0, 1.0, 1000.0), (1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0),
                                  (40.0, 0.0, 40.0), (-745.5, 1.0, 745.5)] {
            let network = try Self.saturated(z, .sigmoid)
            var trace = try Trace.forward(network, x: .column([1]), y: .column([y]), objective: objective)
            let a = trace.a(1, 1)
            #expect(a == 0 || a == 1 || abs(z) < 100, "a rounds to 0 or 1 at z = \(z): \(a)")
            #expect(trace.J.isFinite)
            #expect(abs(trace.J - expectedJ) <= 1e-9 * max(1, expectedJ), "J at z = \(z), y = \(y): \(trace.J)")
            trace.backward(network)
            #expect(trace.delta(1, 1) == a - y)
            #expect(Cost.crossEntropy.unitCost(z: z, a: a, y: y).isFinite)
        }
    }

    @Test func squaredCostAtTheExtremes() {
        for (a, y) in [(0.0, 1.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)] {
            #expect(Cost.squared.unitCost(z: a == 1 ? 1000 : -1000, a: a, y: y) == 0.5 * (y - a) * (y - a))
        }
    }

    /// Training a saturated network with the cross-entropy goes on with finite weights
    /// (the gradient a − y does not vanish), and a saturated sigmoid under the squared
    /// error simply learns slowly: finite either way.
    @Test(arguments: [Cost.squared, Cost.crossEntropy])
    func trainingFromSaturationStaysFinite(_ cost: Cost) throws {
        var network = try Network(sizes: [2, 3, 1])
        for l in 1...2 {
            let t = network.theta(l)
            try network.setTheta(l, Matrix(rows: t.rows, cols: t.cols, elements: (0..<t.elements.count).map { $0 % 2 == 0 ? 1000 : -1000 }))
        }
        let x = try Matrix([[0, 0, 1, 1], [0, 1, 0, 1]])
        let data = try Dataset(x: x, y: Matrix([[0, 1, 1, 0]]))
        let options = TrainingOptions(epochs: 20, alpha: 0.5, batch: .full, objective: Objective(cost: cost), shuffle: false)
        let result = try network.train(on: data, options: options)
        #expect(network.isFinite)
        #expect(result.history.allSatisfy { $0.isFinite }, "\(result.history)")
    }
}
