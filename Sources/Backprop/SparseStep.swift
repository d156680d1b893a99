extension Trace {
    /// `step` for inputs that are mostly zero: the same training step, with layer 1's
    /// products over the nonzero inputs only and Θ⁽¹⁾ kept transposed in `sparse` (see
    /// `SparseInput`); Θ⁽¹⁾ in the trace is stale until `SparseInput.giveWeights`.
    /// Layers 2 … L, the errors δ⁽ᴸ⁾ … δ⁽¹⁾ and the cost are `step`'s own code.
    mutating func step(
        x: Matrix, y: Matrix, columns: Span<Int>, objective: Objective, alpha: Double,
        countingCorrect: Bool, correct: inout Int, sparse: inout SparseInput
    ) -> Double {
        precondition(columns.count <= capacity && x.rows == layout[0].n && y.rows == layout[L].n && L >= 1)
        let m = columns.count
        batchSize = m
        self.objective = objective
        let yOffset = yOffset, count = parameterCount
        let splitColumns = splitsColumns(m), splitRows = splits(m), parallel = runsHalvesInParallel
        let output = layout[L]
        let cost = withBuffer { p, layout, activations in
            sparse.withBuffers { sparse in
                Trace.gather(columns, of: y, into: p + yOffset)
                if splitColumns {
                    Trace.inHalves(parallel: parallel) { part, parts in
                        Trace.samples(Trace.columnShare(m, part, parts), half: part, of: x, columns, p, layout, activations,
                                      m, yOffset, objective.cost, sparse)
                    }
                } else {
                    Trace.samples(0..<m, half: 0, of: x, columns, p, layout, activations, m, yOffset, objective.cost,
                                  sparse)
                }
                let cost = Trace.dataCost(p, output, yOffset, output.n * m, objective.cost)
                if countingCorrect { correct += Trace.correctCount(p, output, yOffset, m) }
                let halves = splitColumns ? 2 : 1
                let descend = { (part: Int, parts: Int) in
                    Trace.descend(p, layout, count, m, objective, sparse, lists: 0..<halves, part: part, of: parts,
                                  alpha: alpha, accumulator: part)
                }
                if splitRows {
                    Trace.inHalves(parallel: parallel, descend)
                } else {
                    descend(0, 1)
                }
                return cost
            }
        }
        hasCost = false
        hasBackward = false
        return cost
    }

    /// Forward and errors of the samples `range` of the batch (sample k is column
    /// `order[k]` of x), from half `half`'s list of their nonzero inputs, listed first.
    @inline(__always)
    static func samples(
        _ range: Range<Int>, half: Int, of x: Matrix, _ order: Span<Int>, _ p: UnsafeMutablePointer<Double>,
        _ layout: UnsafeBufferPointer<LayerLayout>, _ activations: UnsafeBufferPointer<Activation>, _ m: Int,
        _ yOffset: Int, _ cost: Cost, _ sparse: SparseInput.Pointers
    ) {
        Trace.list(order, of: x, columns: range, into: half, p, layout, sparse)
        Trace.listedSamples(range, half: half, p, layout, activations, m, yOffset, cost, sparse)
    }

    /// Forward and errors of the samples `range` of the batch from list `half` of their
    /// nonzero inputs (listed already).
    @inline(__always)
    static func listedSamples(
        _ range: Range<Int>, half: Int, _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, _ yOffset: Int, _ cost: Cost,
        _ sparse: SparseInput.Pointers
    ) {
        let first = layout[1]
        sparse.forward(p, first, activations[1], m, columns: range, half: half)
        Trace.forward(p, layout, activations, m, columns: range, from: 2)
        Trace.errors(p, layout, activations, yOffset, m, cost, columns: range)
        sparse.transposeErrors(p + first.delta, m, columns: range)
    }

    /// The steps of part `part` of `parts` of a batch over nonzero inputs, from the lists
    /// `lists`: rows of Θ⁽¹⁾ᵀ and units of b⁽¹⁾ (`SparseInput.descend`, `descendBias`,
    /// with accumulator `accumulator`), then the rows of the layers above (`gradients`).
    @inline(__always)
    static func descend(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>, _ parameterCount: Int,
        _ m: Int, _ objective: Objective, _ sparse: SparseInput.Pointers, lists: Range<Int>, part: Int,
        of parts: Int, alpha: Double, accumulator: Int
    ) {
        let first = layout[1], s = objective.reduction.scale(batchSize: m)
        sparse.descend(rows: Trace.share(layout[0].n, part, parts), lists: lists, s: s, lambda: objective.lambda,
                       alpha: alpha, part: accumulator)
        sparse.descendBias(p, first, m, units: Trace.share(first.n, part, parts), s: s, alpha: alpha)
        Trace.gradients(p, layout, parameterCount, m, objective, part: part, of: parts, descending: alpha, from: 2)
    }

    /// How many of the m samples in the trace's buffer at `p` have their predicted class
    /// (the largest aᵢ⁽ᴸ⁾, `Evaluation.classOf`) equal to their target's.
    @inline(__always)
    static func correctCount(_ p: UnsafePointer<Double>, _ output: LayerLayout, _ yOffset: Int, _ m: Int) -> Int {
        var correct = 0
        for k in 0..<m where Evaluation.classOf(p + output.a + k, output.n, stride: m)
            == Evaluation.classOf(p + yOffset + k, output.n, stride: m) {
            correct += 1
        }
        return correct
    }
}
