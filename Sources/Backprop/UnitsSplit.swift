extension Trace {
    /// The training step of a batch whose layer 1 is cut by units over the two threads
    /// (`splitsUnits`): each thread owns half of layer 1's units, that is, half of
    /// z⁽¹⁾, a⁽¹⁾, δ⁽¹⁾ over the whole batch, the same rows of Θ⁽¹⁾ and b⁽¹⁾, and the
    /// same columns of Θ⁽²⁾ (the weights out of those units):
    ///
    ///     both:  z⁽¹⁾ᵢ = Θ⁽¹⁾ᵢ a⁽⁰⁾ + b⁽¹⁾ᵢ,  a⁽¹⁾ᵢ = g(z⁽¹⁾ᵢ)                      i in its half
    ///     one:   layers 2 … L forward, δ⁽ᴸ⁾ … δ⁽²⁾, the steps of layers 3 … L
    ///     both:  δ⁽¹⁾ᵢ = ((Θ⁽²⁾)ᵀ δ⁽²⁾)ᵢ ⊙ g′(z⁽¹⁾ᵢ),  the steps of Θ⁽¹⁾ᵢ, b⁽¹⁾ᵢ and of
    ///            column i of Θ⁽²⁾: ∂J/∂θ⁽²⁾ⱼᵢ = s Σ_k δ⁽²⁾ⱼ a⁽¹⁾ᵢ + λ θ⁽²⁾ⱼᵢ   i in its half
    ///
    /// A thread reads column i of Θ⁽²⁾ for δ⁽¹⁾ᵢ before it steps it, and no other thread
    /// touches it. Every element is the sum the whole step computes, in the same order:
    /// the numbers are those of the step not cut at all, on one thread or two.
    /// Returns Σ_k cost of the batch (see `step`). a⁽⁰⁾ is the trace's, or `x`'s.
    @inline(__always)
    static func stepCuttingUnits(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, _ yOffset: Int, _ parameterCount: Int,
        _ objective: Objective, alpha: Double, parallel: Bool, x: BatchInputs? = nil
    ) -> Double {
        let units = layout[1].n, L = layout.count - 1, output = layout[L]
        Trace.inHalves(parallel: parallel) { part, parts in
            Trace.forward(p, layout, activations, m, units: Trace.share(units, part, parts), x: x)
        }
        Trace.forward(p, layout, activations, m, columns: 0..<m, from: 2)
        Trace.errors(p, layout, activations, yOffset, m, objective.cost, columns: 0..<m, downTo: 2)
        let cost = Trace.dataCost(p, output, yOffset, output.n * m, objective.cost)
        if L >= 3 {
            Trace.gradients(p, layout, parameterCount, m, objective, part: 0, of: 1, descending: alpha, from: 3)
        }
        Trace.inHalves(parallel: parallel) { part, parts in
            let mine = Trace.share(units, part, parts)
            Trace.errors(p, layout, activations, m, layer: 1, units: mine)
            Trace.gradients(p, layout, parameterCount, m, objective, part: part, of: parts, descending: alpha,
                            through: 1, x: x)
            Trace.gradients(p, layout, parameterCount, m, objective, layer: 2, inputs: mine, bias: part == 0,
                            descending: alpha)
        }
        return cost
    }

    /// Units `units` of layer 1 over all m samples:
    ///
    ///     z⁽¹⁾ᵢ = Θ⁽¹⁾ᵢ a⁽⁰⁾ (+ b⁽¹⁾ᵢ 1ᵀ),   a⁽¹⁾ᵢ = g(z⁽¹⁾ᵢ),   i ∈ units
    ///
    /// (row i of z⁽¹⁾ is computed the same way whatever the range around it), so that
    /// the two threads may take half of layer 1's units each. a⁽⁰⁾ is the trace's, or
    /// `x` (n₀ × m with rows `x.stride` apart: the batch where it lies in the data set);
    /// a⁽¹⁾ goes to the trace, or to `a1` (n₁ × m, `PairedSteps`' exchange).
    @inline(__always)
    static func forward(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, units: Range<Int>,
        x: BatchInputs? = nil, tiles: Bool = false, a1: UnsafeMutablePointer<Double>? = nil
    ) {
        let layer = layout[1], r0 = units.lowerBound, n = units.count
        guard n > 0 && m > 0 else { return }
        let input = x?.rows ?? UnsafePointer(p + layout[0].a)
        affine(p, layer, input: input, m, rows: units, columns: 0..<m, inputStride: x?.stride, tiles: tiles)
        activations[1].apply(p + layer.z + r0 * m, (a1 ?? p + layer.a) + r0 * m, n * m)
    }

    /// δ⁽ˡ⁾ of units `units` over all m samples (δ⁽ˡ⁺¹⁾ done; a⁽ˡ⁾ the trace's or `a`):
    ///
    ///     δ⁽ˡ⁾ᵢ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)ᵢ ⊙ g′(z⁽ˡ⁾ᵢ),   i ∈ units
    @inline(__always)
    static func errors(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, layer l: Int, units: Range<Int>,
        tiles: Bool = false, a: UnsafePointer<Double>? = nil
    ) {
        let layer = layout[l], upper = layout[l + 1], r0 = units.lowerBound, n = units.count
        guard n > 0 && m > 0 else { return }
        let delta = p + layer.delta + r0 * m
        MatrixMultiply.gemm(
            transA: true, transB: false, m: n, n: m, k: upper.n, alpha: 1,
            a: p + upper.theta + r0, lda: layer.n, b: p + upper.delta, ldb: m,
            beta: 0, c: delta, ldc: m, tiles: tiles)
        activations[l].multiplyByDerivative(delta, z: p + layer.z + r0 * m,
                                            a: (a ?? UnsafePointer(p + layer.a)) + r0 * m, n * m)
    }

    /// ∂J/∂Θ⁽ˡ⁾ of the columns `inputs` (the weights out of those units of layer l − 1),
    /// then their step (and, with `bias`, ∂J/∂b⁽ˡ⁾ and b⁽ˡ⁾'s step):
    ///
    ///     ∂J/∂θᵢⱼ = s Σ_k δᵢ⁽ᵏ⁾ aⱼ⁽ᵏ⁾ + λ θᵢⱼ,   θᵢⱼ ← θᵢⱼ − α ∂J/∂θᵢⱼ,   j ∈ inputs
    ///     ∂J/∂bᵢ = s Σ_k δᵢ⁽ᵏ⁾,                bᵢ ← bᵢ − α ∂J/∂bᵢ
    ///
    /// a⁽ˡ⁻¹⁾ is the trace's, or `input` (n_(l−1) × m).
    @inline(__always)
    static func gradients(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>, _ parameterCount: Int,
        _ m: Int, _ objective: Objective, layer l: Int, inputs: Range<Int>, bias: Bool, descending alpha: Double,
        tiles: Bool = false, input: UnsafePointer<Double>? = nil
    ) {
        let layer = layout[l], n = layer.n, k = layer.k, c0 = inputs.lowerBound, w = inputs.count
        let s = objective.reduction.scale(batchSize: m), lambda = objective.lambda
        let theta = p + layer.theta + c0, gp = p + parameterCount + layer.theta + c0
        if w > 0 {
            var beta = 0.0
            if lambda != 0 {
                for i in 0..<n {
                    for j in 0..<w { gp[i * k + j] = lambda * theta[i * k + j] }
                }
                beta = 1
            }
            MatrixMultiply.gemm(
                transA: false, transB: true, m: n, n: w, k: m, alpha: s,
                a: p + layer.delta, lda: m, b: (input ?? UnsafePointer(p + layout[l - 1].a)) + c0 * m, ldb: m,
                beta: beta, c: gp, ldc: k, tiles: tiles)
            for i in 0..<n { gradientStep(theta + i * k, gp + i * k, w, alpha: alpha) }
        }
        if bias && layer.b >= 0 {
            let delta = p + layer.delta, gb = p + parameterCount + layer.b
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<m { sum += delta[i * m + j] }
                gb[i] = s * sum
            }
            gradientStep(p + layer.b, gb, n, alpha: alpha)
        }
    }
}
