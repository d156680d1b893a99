import Foundation
import Testing
@testable import Backprop

/// Runs of training steps on the two threads side by side (`Trace.pairedSteps`), each
/// thread with its own copy of the buffer and half of layer 1's units, meeting once a
/// step: the same costs, right answers and weights as the steps computed whole.
@Suite("paired steps", .serialized) struct PairedStepsTests {
    enum Order: String, CaseIterable, Sendable {
        /// Batches of consecutive samples, read where they lie in x and in x by samples.
        case inOrder
        /// The same, without the copy of x by samples (a⁽⁰⁾ transposed every step).
        case inOrderWithoutCopy
        /// Shuffled: every batch gathered into each thread's a⁽⁰⁾.
        case shuffled
    }

    struct Setup {
        let network: Network
        let x: Matrix, y: Matrix
        let order: [Int]
        let objective: Objective
    }

    static func setup(_ sizes: [Int], batch m: Int, batches: Int, lambda: Double, order: Order) throws -> Setup {
        var g = SeededGenerator(seed: 21)
        let count = batches * m + 3  // and a few samples the run leaves alone
        let x = Matrix(rows: sizes[0], cols: count, elements: (0..<(sizes[0] * count)).map { _ in g.uniform() })
        // One-hot targets, so that the right answers are worth counting.
        var y = Matrix(rows: sizes.last!, cols: count)
        for k in 0..<count { y[Int(g.next() % UInt64(sizes.last!)), k] = 1 }
        var network = try Network(sizes: sizes)
        network.initialize(scheme: .xavier, seed: 8)
        var samples = Array(0..<count)
        if order == .shuffled { Network.shuffle(&samples, &g) }
        return Setup(network: network, x: x, y: y, order: Array(samples[0..<(batches * m)]),
                     objective: Objective(reduction: .mean, lambda: lambda))
    }

    /// `pairedSteps` on every batch of `s`, in one run; nil on a machine with one
    /// processor. Waits while another test holds the pair.
    static func paired(_ s: Setup, batch m: Int, order: Order, alpha: Double, cut: Int? = nil)
        -> (done: Int, costs: [Double], rights: [Int], parameters: [Double])? {
        guard ThreadPair.shared != nil else { return nil }
        let steps = s.order.count / m
        var trace = Trace(sizes: s.network.sizes, batchSize: m, bias: true)
        trace.setParameters(from: s.network)
        let workspace = PairedWorkspace(for: trace, steps: steps)
        let bySamples = order == .inOrderWithoutCopy ? nil : InputsBySamples(s.x)
        if let cut { workspace.cut = cut }
        for _ in 0..<10_000 {
            let done = s.order.withUnsafeBufferPointer { order in
                trace.pairedSteps(x: s.x, y: s.y, order: order, steps: steps, batchSize: m, objective: s.objective,
                                  alpha: alpha, countingCorrect: true, workspace: workspace, bySamples: bySamples)
            }
            if let done {
                return (done, Array(workspace.costs), Array(workspace.rights),
                        Array(trace.storage[0..<trace.parameterCount]))
            }
            usleep(1000)  // the pair is busy with another test's steps
        }
        Issue.record("the pair stayed busy for 10 s")
        return nil
    }

    /// How many elements of a and b differ in any bit (or in count).
    static func differences(_ a: [Double], _ b: [Double]) -> Int {
        zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count + abs(a.count - b.count)
    }

    @Test("which shapes pair their steps: layer 1 cut by units, steps large enough to split")
    func shapes() {
        #expect(Trace(sizes: [64, 32, 10], batchSize: 32).pairsSteps(32))
        #expect(!Trace(sizes: [64, 32, 10], batchSize: 32).pairsSteps(1))  // too small to split
        #expect(!Trace(sizes: [9, 40, 40, 1], batchSize: 99).pairsSteps(99))  // layer 1 small
        #expect(!Trace(sizes: [64, 10], batchSize: 32).pairsSteps(32))  // one layer
    }

    @Test("paired steps give the costs, right answers and weights of whole steps, to the bit",
          arguments: [([64, 32, 10], 32, 0.0), ([30, 17, 3], 41, 0.01), ([50, 21, 4, 2], 24, 0.0)],
          Order.allCases)
    func sameBitsAsWhole(shape: ([Int], Int, Double), order: Order) throws {
        let (sizes, m, lambda) = shape
        let s = try Self.setup(sizes, batch: m, batches: 5, lambda: lambda, order: order)
        let whole = WholeSteps(s.network, x: s.x, y: s.y, order: s.order, batch: m, objective: s.objective,
                               alpha: 0.5)
        guard let got = Self.paired(s, batch: m, order: order, alpha: 0.5) else {
            #expect(ThreadPair.shared == nil, "no pair: one processor")
            return
        }
        #expect(got.done == 5)
        #expect(got.costs.map(\.bitPattern) == whole.costs.map(\.bitPattern))
        #expect(got.rights == whole.rights)
        #expect(Self.differences(got.parameters, whole.parameters) == 0, "parameters that differ in a bit")
        // The steps moved the weights (the comparison above is not of untouched copies).
        var start = Trace(sizes: sizes, batchSize: m, bias: true)
        start.setParameters(from: s.network)
        #expect(Array(start.storage[0..<start.parameterCount]) != got.parameters)
        #expect(whole.rights.reduce(0, +) > 0)
    }

    @Test("wherever layer 1 is cut between the threads, the bits of whole steps", arguments: [1, 4, 12, 20, 28, 31])
    func anyCut(cut: Int) throws {
        let s = try Self.setup([64, 32, 10], batch: 32, batches: 3, lambda: 0.001, order: .inOrder)
        let whole = WholeSteps(s.network, x: s.x, y: s.y, order: s.order, batch: 32, objective: s.objective,
                               alpha: 0.5)
        guard let got = Self.paired(s, batch: 32, order: .inOrder, alpha: 0.5, cut: cut) else {
            #expect(ThreadPair.shared == nil, "no pair: one processor")
            return
        }
        #expect(got.done == 3)
        #expect(got.costs.map(\.bitPattern) == whole.costs.map(\.bitPattern))
        #expect(Self.differences(got.parameters, whole.parameters) == 0, "parameters that differ in a bit")
    }

    @Test("the cut moves 4 units toward the thread that waited more than twice as long, and only then")
    func balance() {
        let workspace = PairedWorkspace(for: Trace(sizes: [64, 32, 10], batchSize: 32), steps: 10)
        #expect(workspace.cut == 16 && workspace.balances)
        func run(caller: Int, worker: Int) -> Int {
            workspace.arrivals[0].spins = caller
            workspace.arrivals[1].spins = worker
            workspace.balance(steps: 10)
            return workspace.cut
        }
        #expect(run(caller: 5000, worker: 100) == 20)  // the caller waited: it takes more units
        #expect(run(caller: 5000, worker: 3000) == 20)  // not twice as long: stays
        #expect(run(caller: 1500, worker: 0) == 20)  // under 200 turns a step: stays
        #expect(run(caller: 100, worker: 9000) == 16)
        #expect(run(caller: 0, worker: 9000) == 12)
        #expect(run(caller: 0, worker: 9000) == 8)
        #expect(run(caller: 0, worker: 9000) == 4)
        #expect(run(caller: 0, worker: 9000) == 4, "4 units at least on each side")
        for _ in 0..<10 { _ = run(caller: 9000, worker: 0) }
        #expect(workspace.cut == 28)

        // Θ⁽²⁾ of 3 rows is under the tiles' 4: the products in halves run in other loops,
        // whose bits may depend on the cut, so it stays where `share` puts it.
        let fixed = PairedWorkspace(for: Trace(sizes: [30, 17, 3], batchSize: 41), steps: 10)
        #expect(!fixed.balances && fixed.cut == 8)
        fixed.arrivals[0].spins = 9000
        fixed.arrivals[1].spins = 0
        fixed.balance(steps: 10)
        #expect(fixed.cut == 8)
    }

    @Test("a long wait at the meeting counts as at most turnsCounted turns; one already met counts none")
    func longWaitsAreCapped() async throws {
        let workspace = PairedWorkspace(for: Trace(sizes: [64, 32, 10], batchSize: 32), steps: 10)
        var spins = 0
        workspace.arrivals[1].step.store(1, ordering: .releasing)
        #expect(workspace.meet(0, at: 1, spins: &spins) && spins == 0)
        // The other side arrives 20 ms later: millions of turns, counted as 4096.
        let late = Task.detached {
            usleep(20_000)
            workspace.arrivals[1].step.store(2, ordering: .releasing)
        }
        #expect(workspace.meet(0, at: 2, spins: &spins))
        await late.value
        #expect(spins == PairedWorkspace.turnsCounted)
    }

    @Test("a run stops after the step whose cost is not finite; the steps before it are those of whole steps")
    func stopsAtANonFiniteCost() throws {
        var s = try Self.setup([64, 32, 10], batch: 32, batches: 5, lambda: 0, order: .inOrder)
        var x = s.x
        x[5, 2 * 32 + 7] = .nan  // a sample of batch 3
        s = Setup(network: s.network, x: x, y: s.y, order: s.order, objective: s.objective)
        let whole = WholeSteps(s.network, x: s.x, y: s.y, order: Array(s.order[0..<64]), batch: 32,
                               objective: s.objective, alpha: 0.5)
        guard let got = Self.paired(s, batch: 32, order: .inOrder, alpha: 0.5) else {
            #expect(ThreadPair.shared == nil, "no pair: one processor")
            return
        }
        #expect(got.done == 3)
        #expect(Array(got.costs[0..<2]).map(\.bitPattern) == whole.costs.map(\.bitPattern))
        #expect(got.costs[2].isNaN)
        #expect(got.costs[3].isNaN && got.costs[4].isNaN, "steps 4 and 5 not run (their costs untouched)")
    }

    @Test("training in order (x read in place, and by samples) gives the bits of whole steps on gathered batches",
          arguments: [false, true])
    func inPlaceTrainingMatchesWholeSteps(threads: Bool) throws {
        let s = try Self.setup([64, 32, 10], batch: 32, batches: 20, lambda: 0, order: .inOrder)
        let count = 20 * 32
        let x = Matrix(rows: 64, cols: count, elements: (0..<64).flatMap { i in (0..<count).map { s.x[i, $0] } })
        let y = Matrix(rows: 10, cols: count, elements: (0..<10).flatMap { i in (0..<count).map { s.y[i, $0] } })
        let whole = WholeSteps(s.network, x: x, y: y, order: Array(0..<count), batch: 32, objective: s.objective,
                               alpha: 0.5)
        ThreadPair.enabled = threads
        defer { ThreadPair.enabled = true }
        var network = s.network
        let result = try network.train(on: try Dataset(x: x, y: y), options: TrainingOptions(
            epochs: 1, alpha: 0.5, batch: .mini(32), objective: s.objective, shuffle: false, seed: 1))
        var trace = Trace(sizes: network.sizes, batchSize: 32, bias: true)
        trace.setParameters(from: network)
        #expect(Self.differences(Array(trace.storage[0..<trace.parameterCount]), whole.parameters) == 0)
        // J of the epoch: the mean of the batches' costs, summed in order.
        #expect(result.history == [whole.costs.reduce(0, +) / Double(count)])
    }

    @Test("training in order with progress: the same history, accuracies and weights on two threads as on one")
    func trainingGivesTheSameBits() throws {
        let s = try Self.setup([64, 32, 10], batch: 32, batches: 20, lambda: 0, order: .inOrder)
        let data = try Dataset(x: s.x, y: s.y)  // 643 samples: 20 batches of 32 and one of 3
        let options = TrainingOptions(epochs: 4, alpha: 0.5, batch: .mini(32), objective: s.objective,
                                      shuffle: false, seed: 1)
        func run(_ threads: Bool) throws -> (Network, TrainingResult, [Double]) {
            ThreadPair.enabled = threads
            defer { ThreadPair.enabled = true }
            var network = s.network
            var accuracies: [Double] = []
            let result = try network.train(on: data, test: nil, options: options, cancel: nil) {
                accuracies.append($0.trainingAccuracy)
            }
            return (network, result, accuracies)
        }
        let (two, twoResult, twoAccuracies) = try run(true)
        let (one, oneResult, oneAccuracies) = try run(false)
        #expect(twoResult == oneResult)
        #expect(twoAccuracies == oneAccuracies && twoAccuracies.count == 4)
        #expect(two == one, "the weights after training, bit for bit")
        #expect(two != s.network)
    }
}
