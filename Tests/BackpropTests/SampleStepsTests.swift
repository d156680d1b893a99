import Foundation
import Testing
@testable import Backprop

/// Training one sample at a time on a small network runs fused (`Trace.sampleEpochs`,
/// `Trace.sampleSteps`): it must give the same bits as the general path (`Trace.step`,
/// reached with `fusingSampleSteps: false`) — weights, history, progress reports, stop
/// reasons — and the right numbers.
@Suite("Fused sample steps")
struct SampleStepsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let activations: [Activation]
        let bias: Bool
        let objective: Objective
        let shuffle: Bool
        var testDescription: String {
            "\(sizes.map(String.init).joined(separator: "-")) \(activations.map(\.rawValue)) bias=\(bias) "
                + "\(objective.cost.rawValue) \(objective.reduction.rawValue) λ=\(objective.lambda) shuffle=\(shuffle)"
        }
    }

    /// Shapes that take the specialised loop (one hidden layer, widths ≤ 2) and shapes
    /// that take the layer-by-layer one, with mixes of activations; every objective, with
    /// and without bias and shuffling (cross-entropy only with a sigmoid output).
    static let cases: [Case] = {
        let networks: [([Int], [Activation])] = [
            ([2, 2, 1], [.sigmoid, .sigmoid]),
            ([2, 2, 1], [.tanh, .sigmoid]),
            ([2, 2, 1], [.relu, .identity]),
            ([1, 2, 2], [.sigmoid, .tanh]),
            ([2, 1, 2], [.identity, .sigmoid]),
            ([3, 4, 2], [.sigmoid, .sigmoid]),
            ([3, 4, 2], [.relu, .tanh]),
            ([2, 3, 3, 1], [.tanh, .relu, .sigmoid]),
            ([2, 3, 3, 1], [.sigmoid, .sigmoid, .sigmoid]),
            ([2, 1], [.sigmoid]),
            ([2, 9, 1], [.relu, .sigmoid]),
        ]
        let objectives = [
            Objective(cost: .squared, reduction: .sum, lambda: 0),
            Objective(cost: .squared, reduction: .mean, lambda: 0.01),
            Objective(cost: .crossEntropy, reduction: .mean, lambda: 0),
            Objective(cost: .crossEntropy, reduction: .sum, lambda: 0.01),
        ]
        var cases: [Case] = []
        for (sizes, activations) in networks {
            for objective in objectives where objective.cost == .squared || activations.last == .sigmoid {
                for bias in [true, false] {
                    for shuffle in [false, true] {
                        cases.append(Case(sizes: sizes, activations: activations, bias: bias, objective: objective,
                                          shuffle: shuffle))
                    }
                }
            }
        }
        return cases
    }()

    /// Every weight and bias of `network`, as bit patterns.
    static func bits(_ network: Network) -> [UInt64] {
        (1...network.L).flatMap { l in
            network.theta(l).elements.map(\.bitPattern) + (network.b(l) ?? []).map(\.bitPattern)
        }
    }

    /// A progress report with its numbers as bit patterns, to compare.
    struct Report: Equatable {
        let epoch: Int, epochs: Int, samplesSeen: Int, isEpochEnd: Bool
        let J: UInt64, trainingAccuracy: UInt64, testAccuracy: UInt64?

        init(_ p: TrainingProgress) {
            epoch = p.epoch
            epochs = p.epochs
            samplesSeen = p.samplesSeen
            isEpochEnd = p.isEpochEnd
            J = p.J.bitPattern
            trainingAccuracy = p.trainingAccuracy.bitPattern
            testAccuracy = p.testAccuracy?.bitPattern
        }
    }

    /// A run of `train` from `network`, fused or on the general path, with or without
    /// progress reports.
    static func run(
        _ network: Network, _ data: Dataset, _ options: TrainingOptions, fused: Bool, reporting: Bool,
        cancel: CancellationFlag? = nil, onReport: ((TrainingProgress) -> Void)? = nil
    ) throws -> (Network, TrainingResult, [Report]) {
        var network = network
        var reports: [Report] = []
        let result = try network.train(
            on: data, test: reporting ? data : nil, options: options, cancel: cancel, fusingSampleSteps: fused,
            progress: reporting ? { p in reports.append(Report(p)); onReport?(p) } : nil)
        return (network, result, reports)
    }

    /// Fused and general runs of the same training, compared bit for bit.
    static func expectSameRuns(
        _ network: Network, _ data: Dataset, _ options: TrainingOptions, reporting: Bool,
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (fused, fusedResult, fusedReports) = try run(network, data, options, fused: true, reporting: reporting)
        let (general, generalResult, generalReports) = try run(network, data, options, fused: false,
                                                               reporting: reporting)
        #expect(bits(fused) == bits(general), "weights, \(what)", sourceLocation: sourceLocation)
        #expect(fusedResult.stop == generalResult.stop, "\(what)", sourceLocation: sourceLocation)
        #expect(fusedResult.history.map(\.bitPattern) == generalResult.history.map(\.bitPattern), "history, \(what)",
                sourceLocation: sourceLocation)
        #expect(fusedResult.samplesSeen == generalResult.samplesSeen, "\(what)", sourceLocation: sourceLocation)
        #expect(fusedResult.epochsCompleted == generalResult.epochsCompleted, "\(what)",
                sourceLocation: sourceLocation)
        #expect(fusedReports == generalReports, "progress reports, \(what)", sourceLocation: sourceLocation)
    }

    @Test("the fused steps give the general path's bits: weights, history, progress", arguments: cases)
    func sameBits(_ c: Case) throws {
        let problem = try RandomProblem(sizes: c.sizes, activations: c.activations, bias: c.bias,
                                        objective: c.objective, batchSize: 7, seed: 11)
        let data = try Dataset(x: problem.x, y: problem.y)
        let options = TrainingOptions(epochs: 6, alpha: 0.7, batch: .stochastic, objective: c.objective,
                                      shuffle: c.shuffle, seed: 5)
        #expect(Trace(sizes: c.sizes, batchSize: 1, bias: c.bias).fusesSampleSteps(1))
        for reporting in [false, true] {
            try Self.expectSameRuns(problem.network, data, options, reporting: reporting, "reporting=\(reporting)")
        }
    }

    /// More than 256 samples an epoch: reports within the epoch (every 256 steps) too.
    @Test("reports within an epoch: the same as on the general path")
    func reportsWithinEpochs() throws {
        for sizes in [[1, 2, 1], [1, 3, 2]] {
            let problem = try RandomProblem(sizes: sizes, activations: [.tanh, .sigmoid], bias: true,
                                            objective: Objective(), batchSize: 600, seed: 3)
            let data = try Dataset(x: problem.x, y: problem.y)
            let options = TrainingOptions(epochs: 3, alpha: 0.2, batch: .stochastic, shuffle: true, seed: 9)
            try Self.expectSameRuns(problem.network, data, options, reporting: true, "\(sizes)")
            let (_, _, reports) = try Self.run(problem.network, data, options, fused: true, reporting: true)
            #expect(reports.map(\.samplesSeen) == [256, 512, 600, 856, 1112, 1200, 1456, 1712, 1800])
        }
    }

    /// Only batch 1 on networks of at most `fusedWeightLimit` weights is fused.
    @Test func whichRunsAreFused() {
        #expect(Trace(sizes: [2, 2, 1], batchSize: 1).fusesSampleSteps(1))
        #expect(!Trace(sizes: [2, 2, 1], batchSize: 2).fusesSampleSteps(2))
        #expect(Trace(sizes: [32, 32], batchSize: 1).fusesSampleSteps(1))  // 1024 weights
        #expect(!Trace(sizes: [32, 33], batchSize: 1).fusesSampleSteps(1))
    }

    /// `sampleSteps` on a run of samples against `step` on each of them, on two traces.
    @Test("sampleSteps = step on each sample, in order")
    func sampleStepsAgainstSteps() throws {
        let objective = Objective(cost: .squared, reduction: .mean, lambda: 0.01)
        let problem = try RandomProblem(sizes: [3, 4, 2], activations: [.tanh, .sigmoid], bias: true,
                                        objective: objective, batchSize: 9, seed: 4)
        var fused = Trace(sizes: [3, 4, 2], batchSize: 1)
        fused.setParameters(from: problem.network)
        var general = fused
        let order = [4, 0, 8, 8, 2, 7]
        var fusedCost = 0.0, fusedCorrect = 0
        let steps = fused.sampleSteps(x: problem.x, y: problem.y, samples: order.span, objective: objective,
                                      alpha: 0.3, countingCorrect: true, correct: &fusedCorrect,
                                      epochCost: &fusedCost, cancel: nil)
        var generalCost = 0.0, generalCorrect = 0
        for k in order {
            let column = [k]
            generalCost += general.step(x: problem.x, y: problem.y, columns: column.span, objective: objective,
                                        alpha: 0.3, countingCorrect: true, correct: &generalCorrect)
        }
        #expect(steps == order.count)
        #expect(fusedCost.bitPattern == generalCost.bitPattern)
        #expect(fusedCorrect == generalCorrect)
        var a = problem.network, b = problem.network
        fused.copyParameters(into: &a)
        general.copyParameters(into: &b)
        #expect(Self.bits(a) == Self.bits(b))
    }

    /// `sampleEpochs` called directly (the specialised loop for 2-2-1, the layer-by-layer
    /// one for 3-4-2) against `train` on the general path.
    @Test("sampleEpochs = train's epochs on the general path", arguments: [[2, 2, 1], [3, 4, 2]])
    func sampleEpochsAgainstTrain(_ sizes: [Int]) throws {
        let objective = Objective(cost: .crossEntropy, reduction: .mean, lambda: 0.01)
        let problem = try RandomProblem(sizes: sizes, activations: [.tanh, .sigmoid], bias: true,
                                        objective: objective, batchSize: 5, seed: 6)
        let options = TrainingOptions(epochs: 8, alpha: 0.4, batch: .stochastic, objective: objective, shuffle: true,
                                      seed: 12)
        var trace = Trace(sizes: sizes, batchSize: 1)
        trace.setParameters(from: problem.network)
        var order = Array(0..<5), generator = SeededGenerator(seed: 12), history: [Double] = [], seen = 0
        let stop = trace.sampleEpochs(x: problem.x, y: problem.y, epochs: 8, shuffle: true, objective: objective,
                                      alpha: 0.4, cancel: nil, order: &order, generator: &generator,
                                      history: &history, seen: &seen)
        var fused = problem.network
        trace.copyParameters(into: &fused)
        let (general, result, _) = try Self.run(problem.network, try Dataset(x: problem.x, y: problem.y), options,
                                                fused: false, reporting: false)
        #expect(stop == result.stop && seen == result.samplesSeen && seen == 40)
        #expect(history.map(\.bitPattern) == result.history.map(\.bitPattern))
        #expect(Self.bits(fused) == Self.bits(general))
    }

    /// One step of XOR's 2-2-1 network (sigmoid, squared error) on one sample, by hand:
    ///
    ///     z⁽¹⁾ = Θ⁽¹⁾x + b⁽¹⁾, a⁽¹⁾ = σ(z⁽¹⁾), z⁽²⁾ = Θ⁽²⁾a⁽¹⁾ + b⁽²⁾, a⁽²⁾ = σ(z⁽²⁾), J = ½(y − a⁽²⁾)²
    ///     δ⁽²⁾ = (a⁽²⁾ − y) a⁽²⁾(1 − a⁽²⁾),   δⱼ⁽¹⁾ = θⱼ⁽²⁾ δ⁽²⁾ aⱼ⁽¹⁾(1 − aⱼ⁽¹⁾)
    ///     Θ ← Θ − α δ aᵀ,   b ← b − α δ
    ///
    /// with σ from Foundation's exp (the engine has its own, within an ulp of it).
    @Test("one step of a 2-2-1 network, by hand (Foundation's exp)")
    func oneStepByHand() throws {
        let theta1 = [[0.15, 0.20], [0.25, 0.30]], b1 = [0.35, 0.35]
        let theta2 = [0.40, 0.45], b2 = 0.60
        let x = [0.05, 0.10], y = 0.01, alpha = 0.5
        var network = try Network(sizes: [2, 2, 1])
        try network.setTheta(1, Matrix(theta1))
        try network.setBias(1, b1)
        try network.setTheta(2, Matrix([theta2]))
        try network.setBias(2, [b2])
        let data = try Dataset(x: .column(x), y: Matrix([[y]]))
        let result = try network.train(on: data, options: TrainingOptions(
            epochs: 1, alpha: alpha, batch: .stochastic, objective: Objective(reduction: .mean), shuffle: false))

        func sigma(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }
        let a1 = (0..<2).map { i in sigma(b1[i] + theta1[i][0] * x[0] + theta1[i][1] * x[1]) }
        let a2 = sigma(b2 + theta2[0] * a1[0] + theta2[1] * a1[1])
        let J = 0.5 * (y - a2) * (y - a2)
        let delta2 = (a2 - y) * a2 * (1 - a2)
        let delta1 = (0..<2).map { j in theta2[j] * delta2 * a1[j] * (1 - a1[j]) }
        let rel = 1e-15
        expectClose(result.history[0], J, rel: rel, "J")
        expectClose(network.theta(2).row(0), (0..<2).map { j in theta2[j] - alpha * delta2 * a1[j] }, rel: rel, "Θ⁽²⁾")
        expectClose(network.b(2) ?? [], [b2 - alpha * delta2], rel: rel, "b⁽²⁾")
        for i in 0..<2 {
            expectClose(network.theta(1).row(i), (0..<2).map { j in theta1[i][j] - alpha * delta1[i] * x[j] },
                        rel: rel, "Θ⁽¹⁾ row \(i + 1)")
        }
        expectClose(network.b(1) ?? [], (0..<2).map { i in b1[i] - alpha * delta1[i] }, rel: rel, "b⁽¹⁾")
        #expect(result.samplesSeen == 1 && result.stop == .completed)
    }

    /// Identity layers and growing α: the runs blow up in every way `train` reports, the
    /// same way fused (both loops) and on the general path, with the same weights restored.
    /// (With one sample an epoch, a step that overflows a weight ends its epoch: J is still
    /// finite there, the weights are not.)
    @Test("divergence: the same stop, history and restored weights as the general path")
    func divergence() throws {
        let x = try Matrix([[1.0, -2.0, 3.0, 0.5], [2.0, 1.0, -1.0, 4.0]])
        let y = try Matrix([[1.0, -1.0, 2.0, 0.0]])
        var reasons: Set<String> = []
        for (data, sizes) in [(try Dataset(x: x, y: y), [2, 2, 1]), (try Dataset(x: x, y: y), [2, 3, 1]),
                              (try Dataset(x: .column([3, 4]), y: Matrix([[10]])), [2, 2, 1]),
                              (try Dataset(x: .column([3, 4]), y: Matrix([[10]])), [2, 3, 1])] {
            var network = try Network(sizes: sizes, activation: .identity)
            network.initialize(scheme: .uniform(epsilon: 0.5), seed: 21)
            for alpha in [0.01, 0.05, 0.2, 1, 10, 1e3, 1e6, 1e150, 1e300, 1e308] {
                let options = TrainingOptions(epochs: 40, alpha: alpha, batch: .stochastic, shuffle: true, seed: 4)
                for reporting in [false, true] {
                    try Self.expectSameRuns(network, data, options, reporting: reporting,
                                            "\(sizes) α=\(alpha) reporting=\(reporting)")
                }
                let (trained, result, _) = try Self.run(network, data, options, fused: true, reporting: false)
                if case .diverged(let reason, _) = result.stop {
                    switch reason {
                    case .nonFiniteCost: reasons.insert("nonFiniteCost")
                    case .nonFiniteWeights: reasons.insert("nonFiniteWeights")
                    case .exploding: reasons.insert("exploding")
                    }
                    #expect(trained.isFinite, "\(sizes) α=\(alpha)")
                }
            }
        }
        #expect(reasons == ["nonFiniteCost", "nonFiniteWeights", "exploding"], "the reasons met: \(reasons)")
    }

    /// A flag set before the run: one step, then the run stops (fused, the flag is looked
    /// at after every step), with that step's weights.
    @Test("a flag set before the run stops it after the first step")
    func cancelledBeforeStart() throws {
        let data = TrainingTests.xor
        for sizes in [[2, 2, 1], [2, 3, 1]] {
            var network = try Network(sizes: sizes)
            network.initialize(scheme: .xavier, seed: 3)
            let options = TrainingOptions(epochs: 100, alpha: 0.5, batch: .stochastic, shuffle: false)
            for reporting in [false, true] {
                let flag = CancellationFlag()
                flag.set()
                let (fused, fusedResult, _) = try Self.run(network, data, options, fused: true, reporting: reporting,
                                                           cancel: flag)
                #expect(fusedResult.stop == .cancelled && fusedResult.samplesSeen == 1)
                #expect(fusedResult.epochsCompleted == 0 && fusedResult.history.isEmpty)
                let (general, generalResult, _) = try Self.run(network, data, options, fused: false,
                                                               reporting: reporting, cancel: flag)
                #expect(generalResult == fusedResult)
                #expect(Self.bits(fused) == Self.bits(general), "\(sizes)")
                // That one step: the first sample, as forward, backward, descend do it.
                var manual = network
                var trace = try Trace.forward(manual, x: sampleColumn(data.x, 0), y: sampleColumn(data.y, 0))
                trace.backward(manual)
                manual.descend(along: trace, alpha: 0.5)
                #expect(Self.bits(fused) == Self.bits(manual), "\(sizes)")
            }
        }
    }

    /// Cancelled from a report within an epoch: both paths stop after the next step.
    @Test("cancelled from a progress report: the same stop and weights as the general path")
    func cancelledFromReport() throws {
        let problem = try RandomProblem(sizes: [1, 2, 1], activations: [.sigmoid, .sigmoid], bias: true,
                                        objective: Objective(), batchSize: 300, seed: 8)
        let data = try Dataset(x: problem.x, y: problem.y)
        let options = TrainingOptions(epochs: 5, alpha: 0.3, batch: .stochastic, shuffle: true, seed: 2)
        var outcomes: [([UInt64], TrainingResult)] = []
        for fused in [true, false] {
            let flag = CancellationFlag()
            let (network, result, _) = try Self.run(problem.network, data, options, fused: fused, reporting: true,
                                                    cancel: flag) { p in if p.samplesSeen == 556 { flag.set() } }
            #expect(result.stop == .cancelled && result.samplesSeen == 557 && result.epochsCompleted == 1)
            outcomes.append((Self.bits(network), result))
        }
        #expect(outcomes[0].0 == outcomes[1].0)
        #expect(outcomes[0].1 == outcomes[1].1)
    }
}
