import Foundation
import Testing
@testable import Backprop

/// Layer 1 over the nonzero inputs only (`SparseInput`): the same training as the dense
/// products, up to the order of the roundings.
@Suite("sparse inputs") struct SparseInputTests {
    /// n inputs × count samples, a fraction `density` of them nonzero (in (0, 1]), and
    /// targets in [0, 1].
    static func data(inputs: Int, outputs: Int, count: Int, density: Double, seed: UInt64) throws -> Dataset {
        var g = SeededGenerator(seed: seed)
        let x = (0..<(inputs * count)).map { _ in g.uniform() < density ? 1 - g.uniform() : 0 }
        let y = (0..<(outputs * count)).map { _ in g.uniform() }
        return try Dataset(x: Matrix(rows: inputs, cols: count, elements: x),
                           y: Matrix(rows: outputs, cols: count, elements: y))
    }

    static func network(_ sizes: [Int], bias: Bool = true, seed: UInt64 = 3) throws -> Network {
        var network = try Network(sizes: sizes, bias: bias)
        network.initialize(scheme: .xavier, seed: seed)
        return network
    }

    /// The largest |a − b| / max(|b|, 1e-3) over every weight and bias.
    static func largestRelativeDifference(_ a: Network, _ b: Network) -> Double {
        var worst = 0.0
        for l in 1...a.L {
            for (u, v) in zip(a.theta(l).elements, b.theta(l).elements) { worst = max(worst, abs(u - v) / max(abs(v), 1e-3)) }
            for (u, v) in zip(a.b(l) ?? [], b.b(l) ?? []) { worst = max(worst, abs(u - v) / max(abs(v), 1e-3)) }
        }
        return worst
    }

    @Test("the path is taken for mostly zero inputs into a large enough layer 1, not otherwise")
    func suits() throws {
        let sparse = try Self.data(inputs: 100, outputs: 5, count: 300, density: 0.15, seed: 1)
        let dense = try Self.data(inputs: 100, outputs: 5, count: 300, density: 0.6, seed: 1)
        #expect(SparseInput.suits(sparse.x, sizes: [100, 50, 5]))
        #expect(!SparseInput.suits(dense.x, sizes: [100, 50, 5]))
        // 100 · 20 = 2000 weights in layer 1: not worth it.
        #expect(!SparseInput.suits(sparse.x, sizes: [100, 20, 5]))
    }

    /// One step on two samples of a 3-2-1 network, computed here with the dense formulas
    /// of the lecture (Foundation's exp), every input but three zero.
    @Test("one step on a 3-2-1 network equals the lecture's formulas computed by hand")
    func oneStepByHand() throws {
        let x = [[1.0, 0], [0, 0], [0.5, 2]]  // x_j⁽ᵏ⁾: input j, sample k
        let y = [0.25, 0.75]
        let theta1 = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.6]], b1 = [0.05, -0.05]
        let theta2 = [[0.7, -0.8]], b2 = [0.1]
        let alpha = 0.5, lambda = 0.1, m = 2.0
        var network = try Network(sizes: [3, 2, 1])
        try network.setTheta(1, Matrix(theta1))
        try network.setBias(1, b1)
        try network.setTheta(2, Matrix(theta2))
        try network.setBias(2, b2)
        func g(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

        // By hand: forward, δ, gradients averaged over the batch plus λΘ, one step.
        var gradTheta1 = [[Double]](repeating: [0, 0, 0], count: 2), gradB1 = [0.0, 0]
        var gradTheta2 = [[0.0, 0]], gradB2 = [0.0]
        var cost = 0.0
        for k in 0..<2 {
            let a0 = (0..<3).map { x[$0][k] }
            let a1 = (0..<2).map { i in g(b1[i] + (0..<3).reduce(0) { $0 + theta1[i][$1] * a0[$1] }) }
            let a2 = g(b2[0] + theta2[0][0] * a1[0] + theta2[0][1] * a1[1])
            cost += 0.5 * (a2 - y[k]) * (a2 - y[k])
            let d2 = (a2 - y[k]) * a2 * (1 - a2)
            let d1 = (0..<2).map { i in theta2[0][i] * d2 * a1[i] * (1 - a1[i]) }
            for i in 0..<2 {
                gradTheta2[0][i] += d2 * a1[i] / m
                for j in 0..<3 { gradTheta1[i][j] += d1[i] * a0[j] / m }
                gradB1[i] += d1[i] / m
            }
            gradB2[0] += d2 / m
        }
        let expected1 = (0..<2).map { i in (0..<3).map { j in theta1[i][j] - alpha * (gradTheta1[i][j] + lambda * theta1[i][j]) } }
        let expected2 = (0..<2).map { i in theta2[0][i] - alpha * (gradTheta2[0][i] + lambda * theta2[0][i]) }

        var trace = Trace(sizes: [3, 2, 1], batchSize: 2, bias: true)
        trace.setParameters(from: network)
        var sparse = SparseInput(for: trace)
        var correct = 0
        let columns = [0, 1]
        let returned = trace.step(x: try Matrix(x), y: try Matrix([y]), columns: columns.span,
                                  objective: Objective(cost: .squared, reduction: .mean, lambda: lambda),
                                  alpha: alpha, countingCorrect: false, correct: &correct, sparse: &sparse)
        sparse.giveWeights(to: &trace)
        var after = network
        trace.copyParameters(into: &after)
        #expect(abs(returned - cost) <= 1e-15 * cost)
        for i in 0..<2 {
            for j in 0..<3 { #expect(abs(after.theta(1)[i, j] - expected1[i][j]) <= 1e-15, "Θ⁽¹⁾[\(i),\(j)]") }
            #expect(abs(after.b(1)![i] - (b1[i] - alpha * gradB1[i])) <= 1e-15, "b⁽¹⁾[\(i)]")
            #expect(abs(after.theta(2)[0, i] - expected2[i]) <= 1e-15, "Θ⁽²⁾[0,\(i)]")
        }
        #expect(abs(after.b(2)![0] - (b2[0] - alpha * gradB2[0])) <= 1e-15)
        // Input 1 is zero in both samples: its weights only took the λ step.
        #expect(after.theta(1)[0, 1] == theta1[0][1] - alpha * (lambda * theta1[0][1]))
    }

    struct Case: Sendable, CustomStringConvertible {
        let batch: Int, lambda: Double, shuffle: Bool, bias: Bool, reduction: Reduction
        var description: String { "batch \(batch) λ \(lambda) shuffle \(shuffle) bias \(bias) \(reduction)" }
    }

    static let cases: [Case] = [
        Case(batch: 1, lambda: 0, shuffle: false, bias: true, reduction: .mean),
        Case(batch: 7, lambda: 0.01, shuffle: true, bias: true, reduction: .sum),
        Case(batch: 10, lambda: 0, shuffle: false, bias: false, reduction: .mean),
        Case(batch: 32, lambda: 0, shuffle: true, bias: true, reduction: .mean),  // split in halves
        Case(batch: 64, lambda: 0.001, shuffle: false, bias: true, reduction: .mean),
        Case(batch: 300, lambda: 0, shuffle: true, bias: false, reduction: .sum),  // the whole set
    ]

    @Test("training over the nonzero inputs reaches the dense products' weights", arguments: cases)
    func trainingMatchesDense(_ c: Case) throws {
        let data = try Self.data(inputs: 120, outputs: 4, count: 300, density: 0.12, seed: 9)
        let sizes = [120, 40, 4]
        #expect(SparseInput.suits(data.x, sizes: sizes))
        var options = TrainingOptions(epochs: 4, alpha: c.reduction == .sum ? 0.5 / Double(c.batch) : 0.5,
                                      batch: .mini(c.batch),
                                      objective: Objective(cost: .squared, reduction: c.reduction, lambda: c.lambda),
                                      shuffle: c.shuffle, seed: 11)
        var sparse = try Self.network(sizes, bias: c.bias), dense = sparse
        let start = sparse
        let a = try sparse.train(on: data, options: options)
        options.sparseInputs = false
        let b = try dense.train(on: data, options: options)
        #expect(a.stop == .completed && b.stop == .completed)
        #expect(a.samplesSeen == b.samplesSeen)
        for (u, v) in zip(a.history, b.history) { #expect(abs(u - v) <= 1e-12 * abs(v)) }
        #expect(Self.largestRelativeDifference(sparse, dense) < 1e-11)
        // And the weights moved: the comparison is not of two untouched networks.
        #expect(Self.largestRelativeDifference(sparse, start) > 1e-3)
    }

    @Test("the same bits whether the halves run on two threads or one")
    func sameBitsOnOneThreadOrTwo() throws {
        let data = try Self.data(inputs: 120, outputs: 4, count: 256, density: 0.12, seed: 5)
        let network = try Self.network([120, 40, 4])
        var results: [[Double]] = []
        for parallel in [true, false] {
            var trace = Trace(sizes: network.sizes, batchSize: 64, bias: true)
            trace.setParameters(from: network)
            trace.splitAllowed = parallel
            #expect(trace.splits(64) && trace.splitsColumns(64))
            var sparse = SparseInput(for: trace)
            var correct = 0
            let order = Array(0..<256)
            for start in stride(from: 0, to: 256, by: 64) {
                _ = trace.step(x: data.x, y: data.y, columns: order.span.extracting(start..<(start + 64)),
                               objective: Objective(reduction: .mean), alpha: 0.5, countingCorrect: true,
                               correct: &correct, sparse: &sparse)
            }
            sparse.giveWeights(to: &trace)
            var after = network
            trace.copyParameters(into: &after)
            results.append(after.layers.flatMap { $0.theta.elements + ($0.b ?? []) })
        }
        #expect(results[0].map(\.bitPattern) == results[1].map(\.bitPattern))
    }

    @Test("Ctrl-C in a sparse run keeps the weights of the last step (Θ⁽¹⁾ put back)")
    func cancelKeepsTheWeights() throws {
        let data = try Self.data(inputs: 120, outputs: 4, count: 300, density: 0.12, seed: 2)
        var network = try Self.network([120, 40, 4])
        let start = network
        let flag = CancellationFlag()
        let options = TrainingOptions(epochs: 20, alpha: 0.5, batch: .mini(10), shuffle: false)
        let result = try network.train(on: data, options: options, cancel: flag) { progress in
            if progress.isEpochEnd && progress.epoch == 2 { flag.set() }
        }
        #expect(result.stop == .cancelled)
        // Cancelled after the first step of epoch 3: 2 epochs and one batch.
        #expect(result.samplesSeen == 610)
        var reference = start
        var dense = options
        dense.sparseInputs = false
        dense.epochs = 2
        _ = try reference.train(on: data, options: dense)
        let tenth = try Dataset(x: Matrix(rows: 120, cols: 10, elements: (0..<120).flatMap { r in data.x.row(r)[0..<10] }),
                                y: Matrix(rows: 4, cols: 10, elements: (0..<4).flatMap { r in data.y.row(r)[0..<10] }))
        dense.epochs = 1
        _ = try reference.train(on: tenth, options: dense)
        #expect(Self.largestRelativeDifference(network, reference) < 1e-11)
        #expect(Self.largestRelativeDifference(network, start) > 1e-3)
    }

    @Test("a sparse run that diverges restores the weights from the start of the epoch")
    func divergenceRestores() throws {
        let data = try Self.data(inputs: 120, outputs: 4, count: 300, density: 0.12, seed: 4)
        var network = try Network(sizes: [120, 40, 4], activation: .identity)
        network.initialize(scheme: .xavier, seed: 8)
        let start = network
        let options = TrainingOptions(epochs: 30, alpha: 50, batch: .mini(30), shuffle: false)
        let result = try network.train(on: data, options: options)
        guard case .diverged(_, let epoch) = result.stop else {
            Issue.record("expected .diverged, got \(result.stop)")
            return
        }
        #expect(network.isFinite)
        var expected = start
        if epoch > 1 {
            var shorter = options
            shorter.epochs = epoch - 1
            _ = try expected.train(on: data, options: shorter)
        }
        #expect(network == expected, "the weights at the start of epoch \(epoch)")
    }
}
