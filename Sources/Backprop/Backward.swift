extension Trace {
    /// `backward()` with the parameters and activations of `network`, the network the
    /// last `forward` ran (J must have been computed with the same objective).
    public mutating func backward(_ network: Network) {
        setParameters(from: network)
        backward()
    }

    /// Backpropagation over the batch of the last `forward`, with the parameters in the
    /// trace and the objective of the last `cost`:
    ///
    ///     δ⁽ᴸ⁾ = ∂J/∂a⁽ᴸ⁾ ⊙ g′(z⁽ᴸ⁾) = (a⁽ᴸ⁾ − y) ⊙ g′(z⁽ᴸ⁾)     squared error
    ///     δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y                                      cross-entropy, sigmoid output
    ///     δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾),   l = L−1 … 1
    ///     ∂J/∂Θ⁽ˡ⁾ = s Σ_k δ⁽ᵏ⁾⁽ˡ⁾ (a⁽ᵏ⁾⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾ = s δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾
    ///     ∂J/∂b⁽ˡ⁾ = s Σ_k δ⁽ᵏ⁾⁽ˡ⁾
    ///
    /// with s = 1 for the sum over samples and 1/m for the mean.
    mutating func backward() {
        let m = batchSize, objective = objective, y = yOffset, count = parameterCount
        let columns = splitsColumns(m), rows = splits(m), parallel = runsHalvesInParallel
        withBuffer { p, layout, activations in
            if columns {
                Trace.inHalves(parallel: parallel) { part, parts in
                    Trace.errors(p, layout, activations, y, m, objective.cost, columns: Trace.columnShare(m, part, parts))
                }
            } else {
                Trace.errors(p, layout, activations, y, m, objective.cost, columns: 0..<m)
            }
            if rows {
                Trace.inHalves(parallel: parallel) { part, parts in
                    Trace.gradients(p, layout, count, m, objective, part: part, of: parts, descending: nil)
                }
            } else {
                Trace.gradients(p, layout, count, m, objective, part: 0, of: 1, descending: nil)
            }
        }
        hasBackward = true
    }

    /// The errors δ⁽ᴸ⁾ … δ⁽¹⁾ (… δ⁽ˡᵒʷᵉˢᵗ⁾) over the trace's buffer at `p` for the samples
    /// (columns) in `columns` (see `backward()`); each column is computed the same way
    /// whether or not the batch is split.
    @inline(__always)
    static func errors(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ yOffset: Int, _ m: Int, _ cost: Cost,
        columns: Range<Int>, downTo lowest: Int = 1
    ) {
        let c0 = columns.lowerBound, w = columns.count
        guard w > 0 else { return }
        let L = layout.count - 1
        // Output error δ⁽ᴸ⁾.
        let output = layout[L]
        for i in 0..<output.n {
            let row = i * m + c0
            let dp = p + output.delta + row, ap = p + output.a + row, yp = p + yOffset + row
            for j in 0..<w { dp[j] = ap[j] - yp[j] }
            if cost == .squared {
                activations[L].multiplyByDerivative(dp, z: p + output.z + row, a: ap, w)
            }
        }
        // Backpropagated errors δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾).
        var l = L - 1
        while l >= lowest {
            let layer = layout[l], upper = layout[l + 1]
            MatrixMultiply.gemm(
                transA: true, transB: false, m: layer.n, n: w, k: upper.n, alpha: 1,
                a: p + upper.theta, lda: layer.n, b: p + upper.delta + c0, ldb: m,
                beta: 0, c: p + layer.delta + c0, ldc: m)
            if w == m {
                activations[l].multiplyByDerivative(p + layer.delta, z: p + layer.z, a: p + layer.a, layer.n * m)
            } else {
                for i in 0..<layer.n {
                    let row = i * m + c0
                    activations[l].multiplyByDerivative(p + layer.delta + row, z: p + layer.z + row,
                                                        a: p + layer.a + row, w)
                }
            }
            l -= 1
        }
    }

    /// ∂J/∂Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾ of rows `part` of `parts` of every layer from `first` on
    /// (through `last`, or L) (units i of layer l with i in share(n_l, part, parts)), from the errors over the
    /// whole batch; the gradients go `parameterCount` elements after the parameters they
    /// belong to. With `descending: α`, those rows of Θ⁽ˡ⁾ and b⁽ˡ⁾ then take their step
    /// θ ← θ − α ∂J/∂θ: no other row is needed for it, so each thread may step its own.
    /// a⁽⁰⁾ is the trace's, or `x`'s (the batch where it lies in the data set). `units`,
    /// when given, are the rows instead of share(n_l, part, parts) (parts 2: stepped here);
    /// `tiles`: see `MatrixMultiply.gemm`.
    @inline(__always)
    static func gradients(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ parameterCount: Int, _ m: Int, _ objective: Objective, part: Int, of parts: Int,
        descending alpha: Double?, from first: Int = 1, through last: Int? = nil, x: BatchInputs? = nil,
        units: Range<Int>? = nil, tiles: Bool = false
    ) {
        let s = objective.reduction.scale(batchSize: m)
        let lambda = objective.lambda
        let gradients = p + parameterCount
        let end = last.map { $0 + 1 } ?? layout.count
        for l in first..<end {
            let layer = layout[l]
            let rows = units ?? share(layer.n, part, parts)
            let r0 = rows.lowerBound, n = rows.count, k = layer.k
            guard n > 0 else { continue }
            let delta = p + layer.delta + r0 * m
            let theta = p + layer.theta + r0 * k
            let gp = gradients + layer.theta + r0 * k
            var beta = 0.0
            if lambda != 0 {
                for index in 0..<(n * k) { gp[index] = lambda * theta[index] }
                beta = 1
            }
            if l == 1, let x, let samples = x.samples {
                // a⁽⁰⁾ᵀ as it lies in the data set's copy by samples: m × n₀, no transposing.
                MatrixMultiply.gemm(
                    transA: false, transB: false, m: n, n: k, k: m, alpha: s,
                    a: delta, lda: m, b: samples, ldb: k,
                    beta: beta, c: gp, ldc: k, tiles: tiles)
            } else {
                let input = l == 1 ? x?.rows ?? UnsafePointer(p + layout[0].a) : UnsafePointer(p + layout[l - 1].a)
                MatrixMultiply.gemm(
                    transA: false, transB: true, m: n, n: k, k: m, alpha: s,
                    a: delta, lda: m, b: input, ldb: l == 1 ? x?.stride ?? m : m,
                    beta: beta, c: gp, ldc: k, tiles: tiles)
            }
            if layer.b >= 0 {
                let gb = gradients + layer.b + r0
                for i in 0..<n {
                    var sum = 0.0
                    for j in 0..<m { sum += delta[i * m + j] }
                    gb[i] = s * sum
                }
            }
            if let alpha, parts > 1 {
                gradientStep(theta, gp, n * k, alpha: alpha)
                if layer.b >= 0 { gradientStep(p + layer.b + r0, gradients + layer.b + r0, n, alpha: alpha) }
            }
        }
        // One thread: the parameters of layers first … L in one loop (the same steps; they
        // are the end of the parameter block).
        if let alpha, parts == 1, first < end {
            let start = layout[first].theta
            let stop = end < layout.count ? layout[end].theta : parameterCount
            gradientStep(p + start, gradients + start, stop - start, alpha: alpha)
        }
    }
}
