extension Network {
    /// One step of gradient descent with the gradients of `trace`:
    ///
    ///     Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾,   l = 1 … L
    public mutating func descend(along trace: Trace, alpha: Double) {
        precondition(trace.hasBackward, "descend needs a trace after backward")
        for l in 1...L {
            let g = trace.gradTheta[l]
            layers[l - 1].theta.elements.withUnsafeMutableBufferPointer { tp in
                g.elements.withUnsafeBufferPointer { gp in
                    for index in 0..<tp.count { tp[index] -= alpha * gp[index] }
                }
            }
            if layers[l - 1].b != nil {
                let gb = trace.gradB[l]
                for i in 0..<gb.count { layers[l - 1].b![i] -= alpha * gb[i] }
            }
        }
    }
}
