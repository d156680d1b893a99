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
        withBuffer { p, layout, activations in Trace.backward(p, layout, activations, y, count, m, objective) }
        hasBackward = true
    }

    /// The backward pass over the trace's buffer at `p` (see `backward()`); the
    /// gradients go `parameterCount` elements after the parameters they belong to.
    @inline(__always)
    static func backward(
        _ p: UnsafeMutablePointer<Double>, _ layout: borrowing Span<LayerLayout>,
        _ activations: borrowing Span<Activation>, _ yOffset: Int, _ parameterCount: Int,
        _ m: Int, _ objective: Objective
    ) {
        let L = layout.count - 1
        let s = objective.reduction.scale(batchSize: m)
        let lambda = objective.lambda
        let gradients = p + parameterCount
        // Output error δ⁽ᴸ⁾.
        let output = layout[L]
        let count = output.n * m
        let dp = p + output.delta, ap = p + output.a, yp = p + yOffset
        for index in 0..<count { dp[index] = ap[index] - yp[index] }
        if objective.cost == .squared {
            activations[L].multiplyByDerivative(dp, z: p + output.z, a: ap, count)
        }
        // Backpropagated errors δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾).
        var l = L - 1
        while l >= 1 {
            let layer = layout[l], upper = layout[l + 1]
            MatrixMultiply.gemm(
                transA: true, transB: false, m: layer.n, n: m, k: upper.n, alpha: 1,
                a: p + upper.theta, lda: layer.n, b: p + upper.delta, ldb: m,
                beta: 0, c: p + layer.delta, ldc: m)
            activations[l].multiplyByDerivative(p + layer.delta, z: p + layer.z, a: p + layer.a, layer.n * m)
            l -= 1
        }
        // Gradients ∂J/∂Θ⁽ˡ⁾ = s δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾ = s Σ_k δ⁽ˡ⁾.
        for l in 1...L {
            let layer = layout[l]
            let n = layer.n, k = layer.k
            let delta = p + layer.delta
            let gp = gradients + layer.theta
            var beta = 0.0
            if lambda != 0 {
                let theta = p + layer.theta
                for index in 0..<(n * k) { gp[index] = lambda * theta[index] }
                beta = 1
            }
            MatrixMultiply.gemm(
                transA: false, transB: true, m: n, n: k, k: m, alpha: s,
                a: delta, lda: m, b: p + layout[l - 1].a, ldb: m,
                beta: beta, c: gp, ldc: k)
            if layer.b >= 0 {
                let gb = gradients + layer.b
                for i in 0..<n {
                    var sum = 0.0
                    for j in 0..<m { sum += delta[i * m + j] }
                    gb[i] = s * sum
                }
            }
        }
    }
}
