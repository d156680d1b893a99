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
        trace.a[0] = x
        trace.y = y
        trace.forward(network)
        trace.cost(network, objective)
        return trace
    }

    /// z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ 1ᵀ,  a⁽ˡ⁾ = g(z⁽ˡ⁾), for l = 1 … L, from the a⁽⁰⁾ in place.
    ///
    /// The training loop runs this once per batch, so it reaches the buffers without
    /// reference counting: the network's through spans (read-only borrows), the trace's
    /// own in place.
    mutating func forward(_ network: Network) {
        let m = batchSize
        let layers = network.layers.span
        a.withUnsafeMutableBufferPointer { a in
            z.withUnsafeMutableBufferPointer { z in
                for l in 1...layers.count {
                    let n = layers[l - 1].theta.rows
                    let k = layers[l - 1].theta.cols
                    let g = layers[l - 1].activation
                    z[l].elements.withUnsafeMutableBufferPointer { zb in
                        guard let zp = zb.baseAddress else { return }
                        // z ← b 1ᵀ (with bias), then z ← Θ a + z.
                        var beta = 0.0
                        if let b = layers[l - 1].b?.span {
                            for i in 0..<n {
                                let bi = b[i]
                                for j in 0..<m { zp[i * m + j] = bi }
                            }
                            beta = 1
                        }
                        layers[l - 1].theta.elements.span.withUnsafeBufferPointer { theta in
                            a[l - 1].elements.withUnsafeMutableBufferPointer { input in
                                MatrixMultiply.gemm(
                                    transA: false, transB: false, m: n, n: m, k: k, alpha: 1,
                                    a: theta.baseAddress!, lda: k, b: input.baseAddress!, ldb: m,
                                    beta: beta, c: zp, ldc: m)
                            }
                        }
                        a[l].elements.withUnsafeMutableBufferPointer { ap in
                            g.apply(zp, ap.baseAddress!, n * m)
                        }
                    }
                }
            }
        }
        hasCost = false
        hasBackward = false
    }

    /// J = s Σ_k Σ_i cost(yᵢ⁽ᵏ⁾, aᵢ⁽ᵏ⁾⁽ᴸ⁾) + λ/2 Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)²,
    /// s = 1 (sum) or 1/m (mean); biases are not in the λ term.
    mutating func cost(_ network: Network, _ objective: Objective) {
        var total = dataCost(objective.cost) * objective.reduction.scale(batchSize: batchSize)
        if objective.lambda != 0 {
            total += objective.lambda / 2 * network.sumOfSquaredWeights
        }
        J = total
        self.objective = objective
        hasCost = true
    }

    /// Σ_k Σ_i cost(yᵢ⁽ᵏ⁾, aᵢ⁽ᵏ⁾⁽ᴸ⁾), the batch's cost before scaling and the λ term.
    func dataCost(_ c: Cost) -> Double {
        let L = a.count - 1
        let zs = self.z.span, outputs = self.a.span
        let z = zs[L].elements.span, a = outputs[L].elements.span, y = self.y.elements.span
        var total = 0.0
        for index in 0..<z.count {
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
