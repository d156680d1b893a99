import Backprop

/// Random networks and batches for the tests that need no fixture: weights from the
/// engine's seeded generator, so every run sees the same numbers.
struct RandomProblem {
    var network: Network
    var x: Matrix
    var y: Matrix
    var objective: Objective

    /// A network of `sizes` with activation `activations[l − 1]` for layer l, weights
    /// uniform in (−scale, scale), biases uniform in (−0.5, 0.5), a batch of m inputs
    /// uniform in (−1, 1) and targets in (0.05, 0.95) (so cross-entropy targets are valid).
    init(
        sizes: [Int], activations: [Activation], bias: Bool, objective: Objective,
        batchSize m: Int, seed: UInt64, scale: Double = 1
    ) throws {
        var generator = SeededGenerator(seed: seed)
        var network = try Network(sizes: sizes, bias: bias)
        for l in 1..<sizes.count {
            try network.setActivation(l, activations[l - 1])
            var theta = Matrix(rows: sizes[l], cols: sizes[l - 1])
            for index in theta.elements.indices {
                theta.elements[index] = (2 * generator.uniform() - 1) * scale
            }
            try network.setTheta(l, theta)
            if bias {
                try network.setBias(l, (0..<sizes[l]).map { _ in generator.uniform() - 0.5 })
            }
        }
        var x = Matrix(rows: sizes[0], cols: m)
        for index in x.elements.indices { x.elements[index] = 2 * generator.uniform() - 1 }
        var y = Matrix(rows: sizes[sizes.count - 1], cols: m)
        for index in y.elements.indices { y.elements[index] = 0.05 + 0.9 * generator.uniform() }
        self.network = network
        self.x = x
        self.y = y
        self.objective = objective
    }

    /// The smallest |zᵢ⁽ˡ⁾| over every ReLU layer and sample (∞ without ReLU): how far the
    /// batch is from a kink of g.
    func reluMargin() throws -> Double {
        let trace = try Trace.forward(network, x: x, y: y, objective: objective)
        var margin = Double.infinity
        for l in 1...network.L where network.layer(l).activation == .relu {
            for z in trace.z[l].elements { margin = min(margin, abs(z)) }
        }
        return margin
    }
}

/// Sample k (0-based) of a batch as a one-column matrix.
func sampleColumn(_ m: Matrix, _ k: Int) -> Matrix { Matrix.column(m.column(k)) }
