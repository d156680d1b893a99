extension Trace {
    /// Backpropagation over the batch of the last `forward` (J must have been computed
    /// with the same objective):
    ///
    ///     δ⁽ᴸ⁾ = ∂J/∂a⁽ᴸ⁾ ⊙ g′(z⁽ᴸ⁾) = (a⁽ᴸ⁾ − y) ⊙ g′(z⁽ᴸ⁾)     squared error
    ///     δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y                                      cross-entropy, sigmoid output
    ///     δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾),   l = L−1 … 1
    ///     ∂J/∂Θ⁽ˡ⁾ = s Σ_k δ⁽ᵏ⁾⁽ˡ⁾ (a⁽ᵏ⁾⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾ = s δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾
    ///     ∂J/∂b⁽ˡ⁾ = s Σ_k δ⁽ᵏ⁾⁽ˡ⁾
    ///
    /// with s = 1 for the sum over samples and 1/m for the mean.
    public mutating func backward(_ network: Network) {
        let L = network.L
        let m = batchSize
        let objective = self.objective
        // Output error δ⁽ᴸ⁾.
        let output = network.layers[L - 1]
        let count = a[L].elements.count
        delta[L].elements.withUnsafeMutableBufferPointer { dp in
            a[L].elements.withUnsafeBufferPointer { ap in
                y.elements.withUnsafeBufferPointer { yp in
                    for index in 0..<count { dp[index] = ap[index] - yp[index] }
                }
                if objective.cost == .squared {
                    z[L].elements.withUnsafeBufferPointer { zp in
                        output.activation.multiplyByDerivative(
                            dp.baseAddress!, z: zp.baseAddress!, a: ap.baseAddress!, count)
                    }
                }
            }
        }
        // Backpropagated errors δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾).
        if L >= 2 {
            for l in stride(from: L - 1, through: 1, by: -1) {
                MatrixMultiply.gemm(network.layers[l].theta, delta[l + 1], transA: true,
                                    into: &delta[l])
                let g = network.layers[l - 1].activation
                let n = delta[l].elements.count
                delta[l].elements.withUnsafeMutableBufferPointer { dp in
                    z[l].elements.withUnsafeBufferPointer { zp in
                        a[l].elements.withUnsafeBufferPointer { ap in
                            g.multiplyByDerivative(dp.baseAddress!, z: zp.baseAddress!,
                                                   a: ap.baseAddress!, n)
                        }
                    }
                }
            }
        }
        // Gradients ∂J/∂Θ⁽ˡ⁾ = s δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾ = s Σ_k δ⁽ˡ⁾.
        let s = objective.reduction.scale(batchSize: m)
        for l in 1...L {
            let layer = network.layers[l - 1]
            if objective.lambda != 0 {
                let lambda = objective.lambda
                gradTheta[l].elements.withUnsafeMutableBufferPointer { gp in
                    layer.theta.elements.withUnsafeBufferPointer { tp in
                        for index in 0..<tp.count { gp[index] = lambda * tp[index] }
                    }
                }
                MatrixMultiply.gemm(delta[l], a[l - 1], transB: true, into: &gradTheta[l],
                                    alpha: s, beta: 1)
            } else {
                MatrixMultiply.gemm(delta[l], a[l - 1], transB: true, into: &gradTheta[l],
                                    alpha: s)
            }
            if layer.b != nil {
                let n = layer.theta.rows
                gradB[l].withUnsafeMutableBufferPointer { gb in
                    delta[l].elements.withUnsafeBufferPointer { dp in
                        for i in 0..<n {
                            var sum = 0.0
                            for k in 0..<m { sum += dp[i * m + k] }
                            gb[i] = s * sum
                        }
                    }
                }
            }
        }
        hasBackward = true
    }
}
