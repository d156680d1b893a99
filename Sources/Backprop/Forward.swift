extension Trace {
    /// Forward propagation of a batch X (n₀ × m, one sample a column) with targets
    /// Y (n_L × m), then the cost:
    ///
    ///     a⁽⁰⁾ = x,   z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ (+ b⁽ˡ⁾),   a⁽ˡ⁾ = g(z⁽ˡ⁾),   l = 1 … L
    ///     J = s Σ_k cost(y⁽ᵏ⁾, a⁽ᵏ⁾⁽ᴸ⁾) + λ/2 Σ θ²
    public static func forward(
        _ network: Network, x: Matrix, y: Matrix, objective: Objective = Objective()
    ) throws(EngineError) -> Trace {
        guard x.rows == network.sizes[0] else {
            throw .shapeMismatch(what: "x", expectedRows: network.sizes[0], expectedCols: x.cols,
                                 rows: x.rows, cols: x.cols)
        }
        guard y.rows == network.sizes[network.L] && y.cols == x.cols else {
            throw .shapeMismatch(what: "y", expectedRows: network.sizes[network.L],
                                 expectedCols: x.cols, rows: y.rows, cols: y.cols)
        }
        guard x.cols >= 1 else { throw .emptyData }
        guard x.isFinite else { throw .nonFinite(what: "x") }
        guard y.isFinite else { throw .nonFinite(what: "y") }
        try network.validate(objective)
        var trace = Trace(sizes: network.sizes, batchSize: x.cols, bias: network.hasBias)
        trace.load(x: x, y: y, columns: Array(0..<x.cols)[...])
        trace.forward(network)
        trace.cost(network, objective)
        return trace
    }

    /// `forward()` with the parameters and activations of `network`.
    mutating func forward(_ network: Network) {
        setParameters(from: network)
        forward()
    }

    /// z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ 1ᵀ,  a⁽ˡ⁾ = g(z⁽ˡ⁾), for l = 1 … L, from the a⁽⁰⁾ and
    /// the parameters in the trace.
    mutating func forward() {
        let m = batchSize, halves = splitsColumns(m), parallel = runsHalvesInParallel
        withBuffer { p, layout, activations in
            if halves {
                Trace.inHalves(parallel: parallel) { part, parts in
                    Trace.forward(p, layout, activations, m, columns: Trace.columnShare(m, part, parts))
                }
            } else {
                Trace.forward(p, layout, activations, m, columns: 0..<m)
            }
        }
        hasCost = false
        hasBackward = false
    }

    /// The forward pass over the trace's buffer at `p` (see `forward()`) for the samples
    /// (columns) in `columns`, from layer `first` on (the layers below it done already):
    /// each column is computed the same way whether or not the batch is split, so the two
    /// threads may take one half each. Layer `first` reads a⁽ᶠⁱʳˢᵗ⁻¹⁾ from the trace, or
    /// from `input` (n × m, `PairedSteps`' exchange).
    @inline(__always)
    static func forward(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, columns: Range<Int>, from first: Int = 1,
        input: UnsafePointer<Double>? = nil
    ) {
        let c0 = columns.lowerBound, w = columns.count
        guard w > 0 else { return }
        for l in first..<layout.count {
            let layer = layout[l]
            let n = layer.n
            let zp = p + layer.z + c0
            let a = l == first ? input ?? UnsafePointer(p + layout[l - 1].a) : UnsafePointer(p + layout[l - 1].a)
            affine(p, layer, input: a, m, rows: 0..<n, columns: columns)
            let ap = p + layer.a + c0
            if w == m {
                activations[l].apply(zp, ap, n * m)
            } else {
                for i in 0..<n { activations[l].apply(zp + i * m, ap + i * m, w) }
            }
        }
    }

    /// The rows `rows` and columns `columns` of z = Θ a + b 1ᵀ (b with bias) for `layer`
    /// (Θ n × k, a = `input` k × m with rows `inputStride` apart, m without it; z n × m):
    /// z ← b 1ᵀ, then z ← Θ a + z. (`tiles`: see `MatrixMultiply.gemm`.)
    @inline(__always)
    static func affine(
        _ p: UnsafeMutablePointer<Double>, _ layer: LayerLayout, input a: UnsafePointer<Double>, _ m: Int,
        rows: Range<Int>, columns: Range<Int>, inputStride: Int? = nil, tiles: Bool = false
    ) {
        let r0 = rows.lowerBound, n = rows.count, c0 = columns.lowerBound, w = columns.count, k = layer.k
        let zp = p + layer.z + r0 * m + c0
        var beta = 0.0
        if layer.b >= 0 {
            let b = p + layer.b + r0
            for i in 0..<n {
                let bi = b[i]
                for j in 0..<w { zp[i * m + j] = bi }
            }
            beta = 1
        }
        MatrixMultiply.gemm(
            transA: false, transB: false, m: n, n: w, k: k, alpha: 1,
            a: p + layer.theta + r0 * k, lda: k, b: a + c0, ldb: inputStride ?? m,
            beta: beta, c: zp, ldc: m, tiles: tiles)
    }

    /// J = s Σ_k Σ_i cost(yᵢ⁽ᵏ⁾, aᵢ⁽ᵏ⁾⁽ᴸ⁾) + λ/2 Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)²,
    /// s = 1 (sum) or 1/m (mean); biases are not in the λ term. The λ term uses the
    /// parameters the forward pass used.
    mutating func cost(_ network: Network, _ objective: Objective) {
        var total = dataCost(objective.cost) * objective.reduction.scale(batchSize: batchSize)
        if objective.lambda != 0 {
            total += objective.lambda / 2 * sumOfSquaredWeights
        }
        J = total
        self.objective = objective
        hasCost = true
    }

    /// Σ_k Σ_i cost(yᵢ⁽ᵏ⁾, aᵢ⁽ᵏ⁾⁽ᴸ⁾), the batch's cost before scaling and the λ term.
    func dataCost(_ c: Cost) -> Double {
        let output = layout[L], y = yOffset, m = batchSize
        return storage.withUnsafeBufferPointer { buffer in
            Trace.dataCost(buffer.baseAddress!, output, y, output.n * m, c)
        }
    }

    /// Σ cost(y, a⁽ᴸ⁾) over the `count` output elements of the buffer at `p`.
    @inline(__always)
    static func dataCost(
        _ p: UnsafePointer<Double>, _ output: LayerLayout, _ yOffset: Int, _ count: Int, _ c: Cost
    ) -> Double {
        let z = p + output.z, a = p + output.a, y = p + yOffset
        var total = 0.0
        for index in 0..<count {
            total += c.unitCost(z: z[index], a: a[index], y: y[index])
        }
        return total
    }
}

extension Network {
    /// Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)², biases excluded.
    public var sumOfSquaredWeights: Double {
        layers.reduce(0) { sum, layer in
            sum + layer.theta.elements.reduce(0) { $0 + $1 * $1 }
        }
    }
}
