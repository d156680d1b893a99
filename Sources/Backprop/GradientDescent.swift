extension Network {
    /// One step of gradient descent with the gradients of `trace`:
    ///
    ///     Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾,   l = 1 … L
    public mutating func descend(along trace: Trace, alpha: Double) {
        precondition(trace.hasBackward, "descend needs a trace after backward")
        // Once per batch in training: the gradients through spans, the weights in place.
        let gradTheta = trace.gradTheta.span
        let gradB = trace.gradB.span
        layers.withUnsafeMutableBufferPointer { layers in
            for l in 1...layers.count {
                let g = gradTheta[l].elements.span
                layers[l - 1].theta.elements.withUnsafeMutableBufferPointer { theta in
                    for index in 0..<theta.count { theta[index] -= alpha * g[index] }
                }
                if layers[l - 1].b != nil {
                    let gb = gradB[l].span
                    layers[l - 1].b!.withUnsafeMutableBufferPointer { b in
                        for i in 0..<b.count { b[i] -= alpha * gb[i] }
                    }
                }
            }
        }
    }
}
