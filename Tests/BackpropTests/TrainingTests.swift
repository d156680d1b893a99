import Testing
import Backprop

/// The training loop: the same forward/backward/descend as the step-through, learning XOR,
/// and stopping cleanly when cancelled or when the numbers blow up.
@Suite("Training")
struct TrainingTests {
    struct XORFixture: Decodable {
        let sizes: [Int]
        let seed: UInt64
        let scheme: String
        let alpha: Double
        let epochs: Int
        let x: [[Double]]
        let y: [[Double]]
        let historyFirst: [Double]
        let historyLast: Double
        let theta: [[[Double]]]
        let b: [[Double]]
        let J: Double
        let outputs: [Double]
    }

    static let xorX = try! Matrix([[0, 0, 1, 1], [0, 1, 0, 1]])
    static let xorY = try! Matrix([[0, 1, 1, 0]])
    static let xor = try! Dataset(x: xorX, y: xorY)

    static func xorNetwork(scheme: InitScheme, seed: UInt64) throws -> Network {
        var network = try Network(sizes: [2, 2, 1], activation: .sigmoid, bias: true)
        network.initialize(scheme: scheme, seed: seed)
        return network
    }

    /// Full batch, samples in order: the run reference.py made, epoch by epoch.
    @Test("XOR, full batch (xavier seed 3, α = 2, 2000 epochs): the reference's J history and weights; J < 0.01")
    func xorFullBatch() throws {
        let f: XORFixture = try Fixtures.load("training-xor.json")
        #expect(f.scheme == "xavier")
        var network = try Self.xorNetwork(scheme: .xavier, seed: f.seed)
        let fx = try Matrix(f.x), fy = try Matrix(f.y)
        #expect(Self.xorX == fx && Self.xorY == fy)
        let options = TrainingOptions(epochs: f.epochs, alpha: f.alpha, batch: .full,
                                      objective: Objective(), shuffle: false, seed: 1)
        let result = try network.train(on: Self.xor, options: options)
        #expect(result.stop == .completed)
        #expect(result.epochsCompleted == f.epochs && result.history.count == f.epochs)
        #expect(result.samplesSeen == 4 * f.epochs)
        for (e, want) in f.historyFirst.enumerated() {
            expectClose(result.history[e], want, rel: 1e-10, "J of epoch \(e + 1)")
        }
        expectClose(result.history.last ?? .nan, f.historyLast, rel: 1e-9, "J of the last epoch")
        for l in 1...2 {
            expectClose(network.theta(l), f.theta[l - 1], rel: 1e-9, "Θ⁽\(l)⁾ after training")
            expectClose(network.b(l) ?? [], f.b[l - 1], rel: 1e-9, "b⁽\(l)⁾ after training")
        }
        let trace = try Trace.forward(network, x: Self.xorX, y: Self.xorY)
        expectClose(trace.J, f.J, rel: 1e-9, "J after training")
        expectClose(trace.a[2].row(0), f.outputs, rel: 1e-9, "outputs after training")
        #expect(trace.J < 0.01)
        #expect(trace.a[2].row(0).map { $0.rounded() } == [0, 1, 1, 0])
    }

    /// Stochastic gradient descent, shuffled: no reference, just that it learns.
    /// Settings found by trying: xavier seed 3, α = 0.5, one sample per step, 3000 epochs.
    @Test("XOR, stochastic and shuffled (xavier seed 3, α = 0.5, 3000 epochs): J < 0.01")
    func xorStochastic() throws {
        var network = try Self.xorNetwork(scheme: .xavier, seed: 3)
        let options = TrainingOptions(epochs: 3000, alpha: 0.5, batch: .stochastic,
                                      objective: Objective(), shuffle: true, seed: 5)
        let result = try network.train(on: Self.xor, options: options)
        #expect(result.stop == .completed)
        let J = try Trace.forward(network, x: Self.xorX, y: Self.xorY).J
        #expect(J < 0.01, "J = \(J) after \(result.epochsCompleted) epochs")
        #expect(result.history.last! < result.history.first!)
    }

    @Test("same options and seed → the same run")
    func reproducible() throws {
        var a = try Self.xorNetwork(scheme: .uniform(epsilon: 0.5), seed: 8)
        var b = a
        let options = TrainingOptions(epochs: 50, alpha: 0.7, batch: .mini(3), shuffle: true, seed: 77)
        let ra = try a.train(on: Self.xor, options: options)
        let rb = try b.train(on: Self.xor, options: options)
        #expect(ra == rb)
        #expect(a == b)
    }

    /// "One engine path": an epoch of full-batch training is exactly forward, backward, descend.
    @Test("one full-batch epoch = Trace.forward, backward, descend")
    func oneEpochIsOneStep() throws {
        for objective in [Objective(), Objective(cost: .crossEntropy, reduction: .mean, lambda: 0.01)] {
            let before = try Self.xorNetwork(scheme: .xavier, seed: 4)
            var trained = before
            let result = try trained.train(on: Self.xor, options: TrainingOptions(
                epochs: 1, alpha: 0.9, batch: .full, objective: objective, shuffle: false))
            var manual = before
            var trace = try Trace.forward(manual, x: Self.xorX, y: Self.xorY, objective: objective)
            trace.backward(manual)
            manual.descend(along: trace, alpha: 0.9)
            #expect(trained == manual, "\(objective)")
            if objective.lambda == 0 {
                // J of the epoch: J of the batch before its step.
                expectClose(result.history[0], trace.J, rel: 1e-13, "history[0]")
            }
        }
    }

    /// Mini-batches of 2 over 5 samples: steps on samples {1,2}, {3,4}, then the tail {5}
    /// (its own mean, over one sample).
    @Test("mini-batches with a smaller last batch, in order")
    func miniBatchTail() throws {
        let x = try Matrix([[0.1, -0.4, 0.9, 0.3, -0.8], [0.5, 0.2, -0.6, 0.7, 0.05]])
        let y = try Matrix([[0.2, 0.9, 0.4, 0.6, 0.1]])
        let data = try Dataset(x: x, y: y)
        var trained = try Network(sizes: [2, 3, 1], activation: .tanh)
        try trained.setActivation(2, .sigmoid)
        trained.initialize(scheme: .xavier, seed: 12)
        var manual = trained
        let objective = Objective(reduction: .mean)
        let result = try trained.train(on: data, options: TrainingOptions(
            epochs: 1, alpha: 0.3, batch: .mini(2), objective: objective, shuffle: false))
        var dataCost = 0.0
        for columns in [[0, 1], [2, 3], [4]] {
            let part = data.subset(columns)
            var trace = try Trace.forward(manual, x: part.x, y: part.y, objective: objective)
            dataCost += trace.J * Double(columns.count)  // undo the mean: Σ_k J⁽ᵏ⁾
            trace.backward(manual)
            manual.descend(along: trace, alpha: 0.3)
        }
        #expect(result.samplesSeen == 5)
        for l in 1...2 {
            expectClose(trained.theta(l), (0..<manual.theta(l).rows).map { manual.theta(l).row($0) },
                        rel: 1e-13, "Θ⁽\(l)⁾")
            expectClose(trained.b(l)!, manual.b(l)!, rel: 1e-13, "b⁽\(l)⁾")
        }
        expectClose(result.history[0], dataCost / 5, rel: 1e-12, "J of the epoch (mean over its 5 samples)")
    }

    @Test("cancelling from the progress callback stops with .cancelled and keeps finite weights")
    func cancelFromProgress() throws {
        var network = try Self.xorNetwork(scheme: .xavier, seed: 3)
        let start = network
        let flag = CancellationFlag()
        var reports: [Int] = []
        let options = TrainingOptions(epochs: 1000, alpha: 2, batch: .full, shuffle: false)
        let result = try network.train(on: Self.xor, options: options, cancel: flag) { progress in
            if progress.isEpochEnd {
                reports.append(progress.epoch)
                if progress.epoch == 3 { flag.set() }
            }
        }
        #expect(result.stop == .cancelled)
        #expect(result.epochsCompleted == 3 && result.history.count == 3)
        #expect(reports == [1, 2, 3])
        #expect(network.isFinite)
        #expect(network != start)
        // The weights of the last finished step: as many full-batch steps as samplesSeen says.
        #expect(result.samplesSeen % 4 == 0)
        var reference = start
        _ = try reference.train(on: Self.xor, options: TrainingOptions(
            epochs: result.samplesSeen / 4, alpha: 2, batch: .full, shuffle: false))
        #expect(network == reference)
    }

    @Test("a flag already set stops the run at once")
    func cancelledBeforeStart() throws {
        var network = try Self.xorNetwork(scheme: .xavier, seed: 3)
        let flag = CancellationFlag()
        flag.set()
        let result = try network.train(on: Self.xor, options: TrainingOptions(epochs: 100, batch: .stochastic),
                                       cancel: flag)
        #expect(result.stop == .cancelled)
        #expect(result.epochsCompleted == 0)
        #expect(result.samplesSeen <= 1)
        flag.clear()
        #expect(!flag.isSet)
    }

    /// Identity layers and an absurd α: the weights and J overflow. The run must report
    /// .diverged, and the network must be finite and equal to the weights at the start of
    /// the epoch that diverged (computed here by training a copy for epoch − 1 epochs).
    /// (batch, α, the expected reason, the epoch it is detected in)
    static let divergent: [(BatchSize, Double, String, Int)] = [
        (.full, 1e6, "exploding", 2),            // finite but J grows > 100×
        (.mini(2), 1e3, "exploding", 2),
        (.stochastic, 1e6, "nonFiniteCost", 1),  // overflows within the first epoch
        (.full, 1e300, "nonFiniteCost", 2),      // weights ~1e300, then J = ∞
        (.full, 1e308, "nonFiniteWeights", 1),   // the first step already overflows Θ
    ]

    @Test("absurd α diverges, restoring the weights from the start of that epoch", arguments: divergent)
    func diverges(_ batch: BatchSize, _ alpha: Double, _ expectedReason: String, _ expectedEpoch: Int) throws {
        let x = try Matrix([[1.0, -2.0, 3.0, 0.5], [2.0, 1.0, -1.0, 4.0]])
        let y = try Matrix([[1.0, -1.0, 2.0, 0.0]])
        let data = try Dataset(x: x, y: y)
        var network = try Network(sizes: [2, 3, 1], activation: .identity)
        network.initialize(scheme: .uniform(epsilon: 0.5), seed: 21)
        let start = network
        let options = TrainingOptions(epochs: 50, alpha: alpha, batch: batch, shuffle: true, seed: 4)
        let result = try network.train(on: data, options: options)
        guard case .diverged(let reason, let epoch) = result.stop else {
            Issue.record("expected .diverged, got \(result.stop)")
            return
        }
        let kind: String
        switch reason {
        case .exploding(let from, let to):
            kind = "exploding"
            #expect(to > 100 * from && from.isFinite && to.isFinite)
        case .nonFiniteCost: kind = "nonFiniteCost"
        case .nonFiniteWeights: kind = "nonFiniteWeights"
        }
        #expect(kind == expectedReason && epoch == expectedEpoch, "\(result.stop)")
        #expect(network.isFinite, "\(reason)")
        #expect(result.history.allSatisfy { $0.isFinite })
        #expect(result.epochsCompleted == epoch - 1)
        var expected = start
        if epoch > 1 {
            var shorter = options
            shorter.epochs = epoch - 1
            let r = try expected.train(on: data, options: shorter)
            #expect(r.stop == .completed)
        }
        #expect(network == expected, "weights at the start of epoch \(epoch) (\(reason))")
    }

    @Test("progress mid-epoch every 256 batches, with the running J")
    func progressWithinEpoch() throws {
        let n = 600
        var x = Matrix(rows: 1, cols: n), y = Matrix(rows: 1, cols: n)
        for k in 0..<n {
            x[0, k] = Double(k) / Double(n) - 0.5
            y[0, k] = x[0, k] > 0 ? 1 : 0
        }
        let data = try Dataset(x: x, y: y)
        var network = try Network(sizes: [1, 2, 1])
        network.initialize(scheme: .xavier, seed: 2)
        var reports: [(Int, Bool, Double)] = []
        let result = try network.train(on: data, options: TrainingOptions(epochs: 2, alpha: 0.1,
                                                                          batch: .stochastic)) { p in
            reports.append((p.samplesSeen, p.isEpochEnd, p.J))
        }
        #expect(TrainingProgress.batchInterval == 256)
        #expect(reports.map(\.0) == [256, 512, 600, 856, 1112, 1200])
        #expect(reports.map(\.1) == [false, false, true, false, false, true])
        #expect(reports.allSatisfy { $0.2.isFinite && $0.2 > 0 })
        #expect([reports[2].2, reports[5].2] == result.history)
    }

    @Test("progress reports every epoch with the history's J")
    func progress() throws {
        var network = try Self.xorNetwork(scheme: .xavier, seed: 3)
        var seen: [(Int, Double, Int)] = []
        let result = try network.train(on: Self.xor, options: TrainingOptions(epochs: 5, batch: .mini(2))) { p in
            #expect(p.epochs == 5)
            if p.isEpochEnd { seen.append((p.epoch, p.J, p.samplesSeen)) }
        }
        #expect(seen.map(\.0) == [1, 2, 3, 4, 5])
        #expect(seen.map(\.1) == result.history)
        #expect(seen.map(\.2) == [4, 8, 12, 16, 20])
    }

    /// The accuracy the progress reports carry, on networks whose classes are known by
    /// hand (α = 1e-9: the weights barely move, so no class changes during the run).
    @Test("progress: training accuracy over the epoch and test accuracy at its end, by hand")
    func accuracyInProgress() throws {
        // One output: a = g(x₁ − x₂) ≥ ½ ⇔ x₁ ≥ x₂ is class 1.
        var one = try Network(sizes: [2, 1], bias: true)
        try one.setTheta(1, Matrix([[1, -1]]))
        let train = try Dataset(x: Matrix([[1, 0, 0, 0.2], [0, 1, 0, 0.9]]), y: Matrix([[1, 0, 1, 1]]))
        // right, right, right (a = ½ exactly), wrong: 3 of 4.
        let test = try Dataset(x: Matrix([[2, 1], [1, 2]]), y: Matrix([[1, 1]]))  // right, wrong
        var reports: [TrainingProgress] = []
        _ = try one.train(on: train, test: test, options: TrainingOptions(
            epochs: 2, alpha: 1e-9, batch: .full, shuffle: false)) { reports.append($0) }
        #expect(reports.count == 2 && reports.allSatisfy(\.isEpochEnd))
        #expect(reports.map(\.trainingAccuracy) == [0.75, 0.75])
        // 4 × |test| = 8 samples trained: measured at the end of epoch 2 (the last) only.
        #expect(reports.map(\.testAccuracy) == [nil, 0.5])

        // Three outputs, argmax (the first of equal ones): g(x₁), g(x₂), g(−x₁ − x₂).
        var three = try Network(sizes: [2, 3], bias: false)
        try three.setTheta(1, Matrix([[1, 0], [0, 1], [-1, -1]]))
        let x = try Matrix([[2, 1, -1, 0], [1, 3, -1, 0]])
        // classes 0, 1, 2, and 0 (a tie of ½, ½, ½); the targets say 0, 1, 1, 2: 2 of 4.
        let y = try Matrix([[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]])
        var last: TrainingProgress?
        _ = try three.train(on: Dataset(x: x, y: y), test: Dataset(x: x, y: y), options: TrainingOptions(
            epochs: 1, alpha: 1e-9, batch: .stochastic, shuffle: false)) { last = $0 }
        #expect(last?.trainingAccuracy == 0.5)
        #expect(last?.testAccuracy == 0.5)
        #expect(try three.evaluate(Dataset(x: x, y: y), objective: Objective()).accuracy == 0.5)
    }
}
