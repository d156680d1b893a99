import Testing
@testable import Backprop

/// A training step whose layer 1 is cut by units over the two threads (`Trace.splitsUnits`)
/// and whose layers above run on one: the same numbers as the step not cut at all.
@Suite("layer 1 cut by units", .serialized) struct UnitsSplitTests {
    @Test("which shapes cut layer 1 by units: most weights in layer 1, two layers or more")
    func shapes() {
        #expect(Trace(sizes: [64, 32, 10], batchSize: 32).splitsUnits)  // 2048 of 2368 weights
        #expect(Trace(sizes: [784, 30, 10], batchSize: 10).splitsUnits)
        #expect(!Trace(sizes: [9, 40, 40, 1], batchSize: 99).splitsUnits)  // 360 of 2000
        #expect(!Trace(sizes: [64, 10], batchSize: 32).splitsUnits)  // one layer: nothing above
    }

    @Test("a step cut by units gives the bits of the step computed whole, on one thread or two",
          arguments: [([64, 32, 10], 32, 0.0), ([30, 17, 3], 41, 0.01), ([50, 21, 4, 2], 24, 0.0)])
    func sameBitsAsWhole(sizes: [Int], batch m: Int, lambda: Double) throws {
        var g = SeededGenerator(seed: 13)
        let count = 3 * m
        let x = Matrix(rows: sizes[0], cols: count, elements: (0..<(sizes[0] * count)).map { _ in g.uniform() })
        let y = Matrix(rows: sizes.last!, cols: count, elements: (0..<(sizes.last! * count)).map { _ in g.uniform() })
        var network = try Network(sizes: sizes)
        network.initialize(scheme: .xavier, seed: 4)
        let objective = Objective(reduction: .mean, lambda: lambda)
        let order = Array(0..<count)

        let whole = WholeSteps(network, x: x, y: y, order: order, batch: m, objective: objective, alpha: 0.5)

        for parallel in [false, true] {
            var cut = Trace(sizes: sizes, batchSize: m, bias: true)
            cut.setParameters(from: network)
            cut.splitAllowed = parallel
            #expect(cut.splits(m) && cut.splitsUnits)
            var correct = 0, costs: [Double] = []
            for start in stride(from: 0, to: count, by: m) {
                costs.append(cut.step(x: x, y: y, columns: order.span.extracting(start..<(start + m)),
                                      objective: objective, alpha: 0.5, countingCorrect: false, correct: &correct))
            }
            #expect(costs.map(\.bitPattern) == whole.costs.map(\.bitPattern), "parallel \(parallel)")
            let cutWeights = Array(cut.storage[0..<cut.parameterCount]).map(\.bitPattern)
            #expect(cutWeights == whole.parameters.map(\.bitPattern), "parallel \(parallel)")
        }
        var start = Trace(sizes: sizes, batchSize: m, bias: true)
        start.setParameters(from: network)
        #expect(Array(start.storage[0..<start.parameterCount]) != whole.parameters)
    }

    @Test("the n × m regions of a new trace start on 64-byte boundaries, each a whole number of lines")
    func regionsAreAligned() {
        for (sizes, m) in [([64, 32, 10], 32), ([3, 5, 2], 7), ([784, 30, 10], 10)] {
            var trace = Trace(sizes: sizes, batchSize: m, bias: true)
            let y = trace.yOffset
            trace.withBuffer { p, layout, _ in
                #expect(Int(bitPattern: p + y) % 64 == 0, "\(sizes) y")
                for (l, layer) in layout.enumerated() {
                    let offsets = l == 0 ? [layer.a] : [layer.z, layer.a, layer.delta]
                    for offset in offsets { #expect(Int(bitPattern: p + offset) % 64 == 0, "\(sizes) layer \(l)") }
                }
            }
        }
    }
}
