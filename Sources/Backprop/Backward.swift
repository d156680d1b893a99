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
        let s = objective.reduction.scale(batchSize: m)
        let lambda = objective.lambda
        // The training loop runs this once per batch, so it reaches the buffers without
        // reference counting: the network's through spans (read-only borrows), the trace's
        // own in place.
        let layers = network.layers.span
        a.withUnsafeMutableBufferPointer { a in
            z.withUnsafeMutableBufferPointer { z in
                delta.withUnsafeMutableBufferPointer { delta in
                    // Output error δ⁽ᴸ⁾.
                    delta[L].elements.withUnsafeMutableBufferPointer { dp in
                        a[L].elements.withUnsafeMutableBufferPointer { ap in
                            y.elements.withUnsafeMutableBufferPointer { yp in
                                for index in 0..<dp.count { dp[index] = ap[index] - yp[index] }
                            }
                            if objective.cost == .squared {
                                z[L].elements.withUnsafeMutableBufferPointer { zp in
                                    layers[L - 1].activation.multiplyByDerivative(
                                        dp.baseAddress!, z: zp.baseAddress!, a: ap.baseAddress!, dp.count)
                                }
                            }
                        }
                    }
                    // Backpropagated errors δ⁽ˡ⁾ = ((Θ⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾).
                    if L >= 2 {
                        for l in stride(from: L - 1, through: 1, by: -1) {
                            let next = layers[l].theta.rows
                            let n = layers[l].theta.cols
                            let g = layers[l - 1].activation
                            delta[l].elements.withUnsafeMutableBufferPointer { dp in
                                layers[l].theta.elements.span.withUnsafeBufferPointer { theta in
                                    delta[l + 1].elements.withUnsafeMutableBufferPointer { upper in
                                        MatrixMultiply.gemm(
                                            transA: true, transB: false, m: n, n: m, k: next, alpha: 1,
                                            a: theta.baseAddress!, lda: n, b: upper.baseAddress!, ldb: m,
                                            beta: 0, c: dp.baseAddress!, ldc: m)
                                    }
                                }
                                z[l].elements.withUnsafeMutableBufferPointer { zp in
                                    a[l].elements.withUnsafeMutableBufferPointer { ap in
                                        g.multiplyByDerivative(
                                            dp.baseAddress!, z: zp.baseAddress!, a: ap.baseAddress!, dp.count)
                                    }
                                }
                            }
                        }
                    }
                    // Gradients ∂J/∂Θ⁽ˡ⁾ = s δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ + λ Θ⁽ˡ⁾ and ∂J/∂b⁽ˡ⁾ = s Σ_k δ⁽ˡ⁾.
                    gradTheta.withUnsafeMutableBufferPointer { gradTheta in
                        gradB.withUnsafeMutableBufferPointer { gradB in
                            for l in 1...L {
                                let n = layers[l - 1].theta.rows
                                let k = layers[l - 1].theta.cols
                                let hasBias = layers[l - 1].b != nil
                                delta[l].elements.withUnsafeMutableBufferPointer { dp in
                                    gradTheta[l].elements.withUnsafeMutableBufferPointer { gp in
                                        var beta = 0.0
                                        if lambda != 0 {
                                            let theta = layers[l - 1].theta.elements.span
                                            for index in 0..<gp.count { gp[index] = lambda * theta[index] }
                                            beta = 1
                                        }
                                        a[l - 1].elements.withUnsafeMutableBufferPointer { input in
                                            MatrixMultiply.gemm(
                                                transA: false, transB: true, m: n, n: k, k: m, alpha: s,
                                                a: dp.baseAddress!, lda: m, b: input.baseAddress!, ldb: m,
                                                beta: beta, c: gp.baseAddress!, ldc: k)
                                        }
                                    }
                                    if hasBias {
                                        gradB[l].withUnsafeMutableBufferPointer { gb in
                                            for i in 0..<n {
                                                var sum = 0.0
                                                for j in 0..<m { sum += dp[i * m + j] }
                                                gb[i] = s * sum
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        hasBackward = true
    }
}
