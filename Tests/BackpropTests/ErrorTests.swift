import Testing
import Backprop

/// What the engine refuses, as EngineError values, and that a refused change leaves the
/// network as it was.
@Suite("Errors")
struct ErrorTests {
    static func network(bias: Bool = true) throws -> Network {
        var network = try Network(sizes: [2, 3, 1], bias: bias)
        network.initialize(scheme: .xavier, seed: 1)
        return network
    }

    @Test("layer sizes: at least two layers, each with at least one unit")
    func layerSizes() {
        expectError(.invalidLayerSizes([2])) { try Network(sizes: [2]) }
        expectError(.invalidLayerSizes([])) { try Network(sizes: []) }
        expectError(.invalidLayerSizes([2, 0, 1])) { try Network(sizes: [2, 0, 1]) }
        expectError(.invalidLayerSizes([2, -1])) { try Network(sizes: [2, -1]) }
    }

    @Test("layer numbers outside 1 … L")
    func layerOutOfRange() throws {
        var network = try Self.network()
        let before = network
        for l in [0, 3, -1] {
            expectError(.layerOutOfRange(layer: l, layers: 2)) { try network.validate(layer: l) }
            expectError(.layerOutOfRange(layer: l, layers: 2)) {
                try network.setTheta(l, Matrix(rows: 3, cols: 2))
            }
            expectError(.layerOutOfRange(layer: l, layers: 2)) { try network.setBias(l, [0, 0, 0]) }
            expectError(.layerOutOfRange(layer: l, layers: 2)) { try network.setActivation(l, .tanh) }
        }
        #expect(network == before)
    }

    @Test("Θ and b of the wrong shape")
    func wrongShapes() throws {
        var network = try Self.network()
        let before = network
        expectError(.shapeMismatch(what: "Θ", expectedRows: 3, expectedCols: 2, rows: 2, cols: 3)) {
            try network.setTheta(1, Matrix(rows: 2, cols: 3))
        }
        expectError(.shapeMismatch(what: "Θ", expectedRows: 1, expectedCols: 3, rows: 1, cols: 2)) {
            try network.setTheta(2, Matrix(rows: 1, cols: 2))
        }
        expectError(.shapeMismatch(what: "b", expectedRows: 3, expectedCols: 1, rows: 2, cols: 1)) {
            try network.setBias(1, [0, 0])
        }
        #expect(network == before)
        expectError(.raggedRows(row: 2, expected: 2, found: 3)) { try Matrix([[1, 2], [3, 4, 5]]) }
    }

    @Test("NaN and ±∞ weights and biases are rejected", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteWeights(_ bad: Double) throws {
        var network = try Self.network()
        let before = network
        var theta = network.theta(1)
        theta[1, 0] = bad
        expectError(.nonFinite(what: "Θ")) { try network.setTheta(1, theta) }
        expectError(.nonFinite(what: "b")) { try network.setBias(2, [bad]) }
        #expect(network == before)
        #expect(network.isFinite)
    }

    @Test("b on a network without bias")
    func biasOff() throws {
        var network = try Self.network(bias: false)
        expectError(.biasOff) { try network.setBias(1, [0, 0, 0]) }
        #expect(!network.hasBias)
    }

    @Test("forward: x and y of the wrong shape, empty or not finite")
    func forwardInputs() throws {
        let network = try Self.network()
        let y = try Matrix([[1.0]])
        expectError(.shapeMismatch(what: "x", expectedRows: 2, expectedCols: 1, rows: 3, cols: 1)) {
            try Trace.forward(network, x: Matrix.column([1, 2, 3]), y: y)
        }
        expectError(.shapeMismatch(what: "y", expectedRows: 1, expectedCols: 1, rows: 2, cols: 1)) {
            try Trace.forward(network, x: Matrix.column([1, 2]), y: Matrix.column([1, 2]))
        }
        expectError(.shapeMismatch(what: "y", expectedRows: 1, expectedCols: 2, rows: 1, cols: 1)) {
            try Trace.forward(network, x: Matrix([[1, 2], [3, 4]]), y: y)
        }
        expectError(.emptyData) {
            try Trace.forward(network, x: Matrix(rows: 2, cols: 0), y: Matrix(rows: 1, cols: 0))
        }
        expectError(.nonFinite(what: "x")) { try Trace.forward(network, x: Matrix.column([.nan, 1]), y: y) }
        expectError(.nonFinite(what: "y")) {
            try Trace.forward(network, x: Matrix.column([0, 1]), y: Matrix.column([.infinity]))
        }
    }

    @Test("objective: cross-entropy needs a sigmoid output; λ ≥ 0 and finite")
    func objective() throws {
        var network = try Self.network()
        let x = Matrix.column([0.5, 0.5]), y = Matrix.column([1])
        _ = try Trace.forward(network, x: x, y: y, objective: Objective(cost: .crossEntropy))
        for g in [Activation.tanh, .relu, .identity] {
            try network.setActivation(2, g)
            expectError(.crossEntropyNeedsSigmoidOutput) {
                try Trace.forward(network, x: x, y: y, objective: Objective(cost: .crossEntropy))
            }
        }
        try network.setActivation(2, .sigmoid)
        try network.setActivation(1, .relu)  // hidden layers may be anything
        _ = try Trace.forward(network, x: x, y: y, objective: Objective(cost: .crossEntropy))
        expectError(.invalidParameter(name: "lambda", value: -0.1, requirement: "λ ≥ 0")) {
            try Trace.forward(network, x: x, y: y, objective: Objective(lambda: -0.1))
        }
        do {
            _ = try Trace.forward(network, x: x, y: y, objective: Objective(lambda: .nan))
            Issue.record("λ = NaN accepted")
        } catch {
            guard case .invalidParameter(name: "lambda", _, _) = error else {
                Issue.record("λ = NaN: \(error)")
                return
            }
        }
        expectError(.invalidParameter(name: "lambda", value: .infinity, requirement: "λ ≥ 0")) {
            try Trace.forward(network, x: x, y: y, objective: Objective(lambda: .infinity))
        }
    }

    @Test("data sets: matching columns, not empty, finite")
    func datasets() throws {
        expectError(.shapeMismatch(what: "y", expectedRows: 1, expectedCols: 2, rows: 1, cols: 3)) {
            try Dataset(x: Matrix(rows: 2, cols: 2), y: Matrix(rows: 1, cols: 3))
        }
        expectError(.emptyData) { try Dataset(x: Matrix(rows: 2, cols: 0), y: Matrix(rows: 1, cols: 0)) }
        expectError(.nonFinite(what: "x")) {
            try Dataset(x: Matrix(rows: 1, cols: 1, elements: [.nan]), y: Matrix(rows: 1, cols: 1))
        }
        expectError(.nonFinite(what: "y")) {
            try Dataset(x: Matrix(rows: 1, cols: 1), y: Matrix(rows: 1, cols: 1, elements: [-.infinity]))
        }
    }

    @Test("training parameters and shapes")
    func training() throws {
        var network = try Self.network()
        let before = network
        let data = try Dataset(x: Matrix(rows: 2, cols: 4, repeating: 0.5), y: Matrix(rows: 1, cols: 4))
        expectError(.invalidParameter(name: "epochs", value: 0, requirement: "epochs ≥ 1")) {
            try network.train(on: data, options: TrainingOptions(epochs: 0))
        }
        for alpha in [0.0, -1.0, .infinity] {
            expectError(.invalidParameter(name: "alpha", value: alpha, requirement: "α > 0")) {
                try network.train(on: data, options: TrainingOptions(alpha: alpha))
            }
        }
        do {
            _ = try network.train(on: data, options: TrainingOptions(alpha: .nan))
            Issue.record("α = NaN accepted")
        } catch {
            guard case .invalidParameter(name: "alpha", _, _) = error else {
                Issue.record("α = NaN: \(error)")
                return
            }
        }
        expectError(.invalidParameter(name: "batch", value: 0, requirement: "batch ≥ 1")) {
            try network.train(on: data, options: TrainingOptions(batch: .mini(0)))
        }
        let wrongX = try Dataset(x: Matrix(rows: 3, cols: 4), y: Matrix(rows: 1, cols: 4))
        expectError(.shapeMismatch(what: "x", expectedRows: 2, expectedCols: 4, rows: 3, cols: 4)) {
            try network.train(on: wrongX, options: TrainingOptions())
        }
        let wrongY = try Dataset(x: Matrix(rows: 2, cols: 4), y: Matrix(rows: 2, cols: 4))
        expectError(.shapeMismatch(what: "y", expectedRows: 1, expectedCols: 4, rows: 2, cols: 4)) {
            try network.train(on: wrongY, options: TrainingOptions())
        }
        try network.setActivation(2, .relu)
        expectError(.crossEntropyNeedsSigmoidOutput) {
            try network.train(on: data, options: TrainingOptions(objective: Objective(cost: .crossEntropy)))
        }
        try network.setActivation(2, .sigmoid)
        #expect(network == before, "a refused run leaves the weights alone")
    }

    @Test("gradient check: ε > 0 and finite")
    func gradientCheckEpsilon() throws {
        let network = try Self.network()
        let x = Matrix.column([0.1, 0.2]), y = Matrix.column([1])
        for eps in [0.0, -1e-4, .infinity] {
            expectError(.invalidParameter(name: "eps", value: eps, requirement: "ε > 0")) {
                try network.gradientCheck(x: x, y: y, objective: Objective(), epsilon: eps)
            }
        }
        expectError(.shapeMismatch(what: "x", expectedRows: 2, expectedCols: 1, rows: 1, cols: 1)) {
            try network.gradientCheck(x: Matrix.column([1]), y: y, objective: Objective())
        }
    }
}
