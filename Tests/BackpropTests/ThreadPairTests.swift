import Testing
@testable import Backprop

/// Splitting a batch over two threads (columns in the forward pass and the errors, rows
/// of each layer in the gradients and the step) computes every number exactly as one
/// thread does: the same weights to the last bit.
@Suite("two threads", .serialized) struct ThreadPairTests {
    struct Case: Sendable, CustomStringConvertible {
        let sizes: [Int]
        let activations: [Activation]
        let batch: Int
        let objective: Objective
        var description: String { "\(sizes) batch \(batch) \(objective.cost) \(objective.reduction) λ \(objective.lambda)" }
    }

    static let cases: [Case] = [
        // W2's shape: split in every step (2368 · 32 multiply-adds), a tail of 4 not.
        Case(sizes: [64, 32, 10], activations: [.sigmoid, .sigmoid], batch: 32, objective: Objective(reduction: .mean)),
        // Odd widths and batches: halves of unequal size.
        Case(sizes: [30, 17, 3], activations: [.tanh, .sigmoid], batch: 41,
             objective: Objective(cost: .crossEntropy, reduction: .sum, lambda: 0.01)),
        Case(sizes: [9, 40, 40, 1], activations: [.relu, .tanh, .identity], batch: 99, objective: Objective(lambda: 0.1)),
        // Layer 1's products over 2¹⁷ multiply-adds whole (64 · 100 · 32), under it in halves.
        Case(sizes: [100, 64, 10], activations: [.sigmoid, .sigmoid], batch: 32, objective: Objective(reduction: .mean)),
        // Batches under 16: the gradients split by rows, the forward pass not.
        Case(sizes: [64, 32, 10], activations: [.sigmoid, .sigmoid], batch: 10, objective: Objective(reduction: .mean)),
    ]

    static func data(_ c: Case, count: Int) throws -> Dataset {
        var g = SeededGenerator(seed: 7)
        let x = Matrix(rows: c.sizes[0], cols: count, elements: (0..<(c.sizes[0] * count)).map { _ in g.uniform() })
        let outputs = c.sizes.last!
        let y = Matrix(rows: outputs, cols: count, elements: (0..<(outputs * count)).map { _ in g.uniform() })
        return try Dataset(x: x, y: y)
    }

    static func network(_ c: Case) throws -> Network {
        var network = try Network(sizes: c.sizes)
        for (l, g) in c.activations.enumerated() { try network.setActivation(l + 1, g) }
        network.initialize(scheme: .xavier, seed: 3)
        return network
    }

    /// Runs `body` with splitting on or off, and puts it back on.
    static func splitting<T>(_ on: Bool, _ body: () throws -> T) rethrows -> T {
        ThreadPair.enabled = on
        defer { ThreadPair.enabled = true }
        return try body()
    }

    @Test(arguments: cases)
    func trainingGivesTheSameBits(_ c: Case) throws {
        let data = try Self.data(c, count: 200)
        let options = TrainingOptions(epochs: 3, alpha: 0.05, batch: .mini(c.batch), objective: c.objective,
                                      shuffle: true, seed: 5)
        #expect(try Self.network(c).sizes.count >= 3)
        let trace = Trace(sizes: c.sizes, batchSize: c.batch, bias: true)
        // (The suite runs one case at a time: nothing else switches ThreadPair.enabled.)
        #expect(trace.splits(c.batch), "this case is big enough to cut in halves")
        #expect(Self.splitting(true) { trace.runsHalvesInParallel } == (ThreadPair.shared != nil))
        var split = try Self.network(c), single = split
        let a = try Self.splitting(true) { try split.train(on: data, options: options) }
        let b = try Self.splitting(false) { try single.train(on: data, options: options) }
        #expect(a == b)
        #expect(split == single, "the weights after training, bit for bit")
        #expect(split != (try Self.network(c)), "training moved the weights")
    }

    @Test(arguments: cases)
    func stepThroughGivesTheSameBits(_ c: Case) throws {
        let data = try Self.data(c, count: c.batch)
        let network = try Self.network(c)
        func pass() throws -> Trace {
            var t = try Trace.forward(network, x: data.x, y: data.y, objective: c.objective)
            t.backward(network)
            return t
        }
        let split = try Self.splitting(true) { try pass() }
        let single = try Self.splitting(false) { try pass() }
        #expect(split.J == single.J)
        #expect(split.a == single.a && split.z == single.z && split.delta == single.delta)
        #expect(split.gradTheta == single.gradTheta && split.gradB == single.gradB)
    }

    /// A run whose steps switch between split and not (as `SplitChoice` makes them):
    /// the same weights, bit for bit, as a run on one thread.
    @Test(arguments: cases)
    func switchingBetweenStepsGivesTheSameBits(_ c: Case) throws {
        let data = try Self.data(c, count: 8 * c.batch)
        let network = try Self.network(c)
        func run(_ splitAllowed: (Int) -> Bool) -> [Double] {
            var trace = Trace(sizes: c.sizes, batchSize: c.batch, bias: true)
            trace.setParameters(from: network)
            var correct = 0
            for step in 0..<8 {
                trace.splitAllowed = splitAllowed(step)
                let columns = Array((step * c.batch)..<((step + 1) * c.batch))
                _ = trace.step(x: data.x, y: data.y, columns: columns.span,
                               objective: c.objective, alpha: 0.05, countingCorrect: true, correct: &correct)
            }
            return Array(trace.storage[0..<trace.parameterCount])
        }
        let switching = Self.splitting(true) { run { $0 % 3 != 1 } }
        let single = Self.splitting(true) { run { _ in false } }
        #expect(switching == single)
        #expect(switching != Array(repeating: 0, count: switching.count))
    }

    /// Many threads training at once: one holds the pair, the others do both halves
    /// themselves; every run ends with the same weights as the first.
    @Test func concurrentRunsAgree() async throws {
        let c = Self.cases[0]
        let data = try Self.data(c, count: 96)
        let options = TrainingOptions(epochs: 4, alpha: 0.2, batch: .mini(32), objective: c.objective, shuffle: false)
        var reference = try Self.network(c)
        _ = try reference.train(on: data, options: options)
        let expected = reference
        try await withThrowingTaskGroup(of: Network.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var n = try Self.network(c)
                    _ = try n.train(on: data, options: options)
                    return n
                }
            }
            for try await n in group { #expect(n == expected) }
        }
    }

    @Test func halves() {
        #expect(Trace.share(7, 0, 1) == 0..<7)
        #expect(Trace.share(7, 0, 2) == 0..<3 && Trace.share(7, 1, 2) == 3..<7)
        #expect(Trace.share(1, 0, 2).isEmpty && Trace.share(1, 1, 2) == 0..<1)
        // Columns: cut at the multiple of 8 nearest m / 2.
        #expect(Trace.columnShare(32, 0, 2) == 0..<16 && Trace.columnShare(32, 1, 2) == 16..<32)
        #expect(Trace.columnShare(41, 0, 2) == 0..<24 && Trace.columnShare(41, 1, 2) == 24..<41)
        #expect(Trace.columnShare(99, 0, 2) == 0..<48 && Trace.columnShare(99, 1, 2) == 48..<99)
        #expect(Trace.columnShare(10, 0, 1) == 0..<10)
    }
}
