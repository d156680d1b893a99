extension Trace {
    /// A step over the nonzero inputs (`SparseInput`) of a batch too small to cut in
    /// halves, whose nonzero inputs are already listed (list `listed`), while the next
    /// batch `order[next]` is listed into the other list: on the worker of `ThreadPair`
    /// when the trace's halves may run in parallel, else after the step, here.
    ///
    /// Listing (reading the batch's x from the data set, column by column, and finding
    /// its nonzero x_j) does not depend on the weights, so it may run one batch ahead,
    /// beside the step that uses the weights; both lists come out the same on either
    /// thread, and the step reads its own list only, so the numbers are those of `step`.
    /// For 784-30-10 in batches of 10, listing took about 60% of a step.
    mutating func stepListingAhead(
        x: Matrix, y: Matrix, order: Span<Int>, batch: Range<Int>, listed: Int, next: Range<Int>,
        objective: Objective, alpha: Double, countingCorrect: Bool, correct: inout Int, sparse: inout SparseInput
    ) -> Double {
        precondition(batch.count <= capacity && next.count <= capacity && x.rows == layout[0].n
                     && y.rows == layout[L].n && L >= 1 && (listed == 0 || listed == 1))
        let m = batch.count
        batchSize = m
        self.objective = objective
        let yOffset = yOffset, count = parameterCount, parallel = runsHalvesInParallel && !next.isEmpty
        let splitRows = splits(m)
        let output = layout[L]
        var cost = 0.0, right = 0
        order.withUnsafeBufferPointer { order in
            let columns = UnsafeBufferPointer(rebasing: order[batch])
            let upcoming = UnsafeBufferPointer(rebasing: order[next])
            withBuffer { p, layout, activations in
                sparse.withBuffers { sparse in
                    let work = { (part: Int) in
                        if part == 1 {
                            if !upcoming.isEmpty {
                                Trace.list(upcoming.span, of: x, columns: 0..<upcoming.count, into: 1 - listed, p,
                                           layout, sparse)
                            }
                            return
                        }
                        Trace.gather(columns.span, of: y, into: p + yOffset)
                        Trace.listedSamples(0..<m, half: listed, p, layout, activations, m, yOffset, objective.cost,
                                            sparse)
                        cost = Trace.dataCost(p, output, yOffset, output.n * m, objective.cost)
                        if countingCorrect { right = Trace.correctCount(p, output, yOffset, m) }
                        // Cut as `step` cuts them (by the shapes), both halves here: the same roundings.
                        let parts = splitRows ? 2 : 1
                        for part in 0..<parts {
                            Trace.descend(p, layout, count, m, objective, sparse, lists: listed..<(listed + 1),
                                          part: part, of: parts, alpha: alpha, accumulator: 0)
                        }
                    }
                    if parallel, let pair = ThreadPair.shared {
                        pair.run(work)
                    } else {
                        work(0)
                        work(1)
                    }
                }
            }
        }
        correct += right
        hasCost = false
        hasBackward = false
        return cost
    }

    /// Lists the nonzero inputs of the samples `columns` of the batch `order` (sample k
    /// is column order[k] of x) into list `list` of `sparse`: straight from x when the
    /// batch is consecutive columns of it (training in order), else through a⁽⁰⁾ (which
    /// the steps over nonzero inputs do not otherwise read).
    static func list(
        _ order: Span<Int>, of x: Matrix, columns: Range<Int>, into list: Int, _ p: UnsafeMutablePointer<Double>,
        _ layout: UnsafeBufferPointer<LayerLayout>, _ sparse: SparseInput.Pointers
    ) {
        guard !columns.isEmpty else { return }
        let m = order.count, first = order[0]
        var consecutive = true
        for k in 0..<m where order[k] != first &+ k { consecutive = false; break }
        if consecutive {
            precondition(first >= 0 && first + m <= x.cols)
            x.elements.withUnsafeBufferPointer { e in
                sparse.list(e.baseAddress! + first, stride: x.cols, columns: columns, half: list, ahead: m)
            }
        } else {
            Trace.gather(order, of: x, columns: columns, into: p + layout[0].a, stride: m)
            sparse.list(p + layout[0].a, stride: m, columns: columns, half: list)
        }
    }

    /// Lists the batch `order` (columns of x) into list 0 of `sparse`: the first batch
    /// of an epoch, before `stepListingAhead`.
    mutating func list(_ order: Span<Int>, of x: Matrix, sparse: inout SparseInput) {
        precondition(order.count <= capacity && x.rows == layout[0].n)
        withBuffer { p, layout, _ in
            sparse.withBuffers { sparse in Trace.list(order, of: x, columns: 0..<order.count, into: 0, p, layout, sparse) }
        }
    }
}
