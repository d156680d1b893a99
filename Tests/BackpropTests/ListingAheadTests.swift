import Testing
@testable import Backprop

/// Steps over the nonzero inputs with the next batch listed beside each step
/// (`Trace.stepListingAhead`): the same bits as the steps that list their own batch.
@Suite("listing the next batch ahead") struct ListingAheadTests {
    /// Every weight and bias of `network` after `steps` ran over the batches of `order`.
    static func weights(
        _ network: Network, _ data: Dataset, order: [Int], batch m: Int, parallel: Bool,
        steps: (inout Trace, inout SparseInput, _ batches: [Range<Int>], _ correct: inout Int) -> [Double]
    ) -> (weights: [UInt64], costs: [UInt64], correct: Int) {
        var trace = Trace(sizes: network.sizes, batchSize: m, bias: network.hasBias)
        trace.setParameters(from: network)
        trace.splitAllowed = parallel
        var sparse = SparseInput(for: trace)
        let batches = stride(from: 0, to: order.count, by: m).map { $0..<min(order.count, $0 + m) }
        var correct = 0
        let costs = steps(&trace, &sparse, batches, &correct)
        sparse.giveWeights(to: &trace)
        var after = network
        trace.copyParameters(into: &after)
        return (after.layers.flatMap { $0.theta.elements + ($0.b ?? []) }.map(\.bitPattern), costs.map(\.bitPattern),
                correct)
    }

    @Test("the same weights, costs and counts as listing each batch in its own step",
          arguments: [(false, 10), (true, 10), (false, 7), (true, 1)])
    func sameBits(shuffled: Bool, batch m: Int) throws {
        let data = try SparseInputTests.data(inputs: 120, outputs: 4, count: 203, density: 0.12, seed: 21)
        let network = try SparseInputTests.network([120, 40, 4])
        var order = Array(0..<203)
        if shuffled {
            var g = SeededGenerator(seed: 5)
            Network.shuffle(&order, &g)
        }
        let objective = Objective(reduction: .mean, lambda: 0.001)
        let own = Self.weights(network, data, order: order, batch: m, parallel: false) { trace, sparse, batches, correct in
            #expect(!trace.splitsColumns(m))
            return batches.map { batch in
                trace.step(x: data.x, y: data.y, columns: order.span.extracting(batch), objective: objective, alpha: 0.5,
                           countingCorrect: true, correct: &correct, sparse: &sparse)
            }
        }
        for parallel in [false, true] {
            let ahead = Self.weights(network, data, order: order, batch: m, parallel: parallel) {
                trace, sparse, batches, correct in
                trace.list(order.span.extracting(batches[0]), of: data.x, sparse: &sparse)
                return batches.indices.map { t in
                    trace.stepListingAhead(
                        x: data.x, y: data.y, order: order.span, batch: batches[t], listed: t % 2,
                        next: t + 1 < batches.count ? batches[t + 1] : 0..<0, objective: objective, alpha: 0.5,
                        countingCorrect: true, correct: &correct, sparse: &sparse)
                }
            }
            #expect(ahead.weights == own.weights, "parallel \(parallel)")
            #expect(ahead.costs == own.costs, "parallel \(parallel)")
            #expect(ahead.correct == own.correct && own.correct > 0, "parallel \(parallel)")
        }
        // And the steps changed the weights.
        let before = network.layers.flatMap { $0.theta.elements + ($0.b ?? []) }.map(\.bitPattern)
        #expect(own.weights != before)
    }

    /// The lists are read from x directly when the batch is consecutive columns and
    /// through a⁽⁰⁾ otherwise; both give the list the lecture's sum needs.
    @Test("a batch's list holds exactly its nonzero inputs, in order, whether its columns are consecutive or not")
    func listHoldsTheNonzeros() throws {
        let data = try SparseInputTests.data(inputs: 50, outputs: 2, count: 40, density: 0.2, seed: 8)
        let network = try SparseInputTests.network([50, 90, 2])
        for order in [Array(10..<22), [3, 17, 5, 39, 0, 22, 8, 31, 14, 2, 27, 11]] {
            var trace = Trace(sizes: network.sizes, batchSize: 12, bias: true)
            trace.setParameters(from: network)
            var sparse = SparseInput(for: trace)
            trace.list(order.span, of: data.x, sparse: &sparse)
            var listed: [[Double]] = []
            sparse.withBuffers { p in
                let starts = p.list(0), samples = starts + 51, values = p.values(0)
                var byInput = [[Double]](repeating: [Double](repeating: 0, count: 12), count: 50)
                var entries = 0
                for j in 0..<50 {
                    var previous = -1
                    for e in starts[j]..<starts[j + 1] {
                        #expect(samples[e] > previous, "samples ascending within input \(j)")
                        previous = samples[e]
                        byInput[j][samples[e]] = values[e]
                        entries += 1
                    }
                }
                #expect(entries == order.reduce(0) { n, k in n + (0..<50).filter { data.x[$0, k] != 0 }.count })
                listed = byInput
            }
            for j in 0..<50 {
                for (k, column) in order.enumerated() { #expect(listed[j][k] == data.x[j, column], "x[\(j), \(column)]") }
            }
        }
    }
}
