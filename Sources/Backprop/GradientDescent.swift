/// θ ← θ − α g over `count` parameters and their gradients: the one loop every
/// descent step, in the shell and in training, goes through.
@inline(__always)
func gradientStep(
    _ theta: UnsafeMutablePointer<Double>, _ gradient: UnsafePointer<Double>, _ count: Int, alpha: Double
) {
    for index in 0..<count { theta[index] -= alpha * gradient[index] }
}

extension Network {
    /// One step of gradient descent with the gradients of `trace`:
    ///
    ///     Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾,   l = 1 … L
    public mutating func descend(along trace: Trace, alpha: Double) {
        precondition(trace.hasBackward, "descend needs a trace after backward")
        precondition(trace.sizes == sizes && trace.hasBias == hasBias, "the trace does not fit the network")
        let layout = trace.layout
        let gradients = trace.parameterCount
        trace.storage.withUnsafeBufferPointer { buffer in
            let g = buffer.baseAddress! + gradients
            layers.withUnsafeMutableBufferPointer { layers in
                for l in 1...layers.count {
                    layers[l - 1].theta.elements.withUnsafeMutableBufferPointer { theta in
                        gradientStep(theta.baseAddress!, g + layout[l].theta, theta.count, alpha: alpha)
                    }
                    if layout[l].b >= 0 {
                        layers[l - 1].b!.withUnsafeMutableBufferPointer { b in
                            gradientStep(b.baseAddress!, g + layout[l].b, b.count, alpha: alpha)
                        }
                    }
                }
            }
        }
    }
}

extension Trace {
    /// One step of gradient descent on the trace's own parameters, with its gradients:
    ///
    ///     Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾,   l = 1 … L
    ///
    /// (the gradients follow the parameters in the same order, so this is one loop).
    mutating func descend(alpha: Double) {
        precondition(hasBackward, "descend needs a trace after backward")
        let count = parameterCount
        storage.withUnsafeMutableBufferPointer { buffer in
            gradientStep(buffer.baseAddress!, buffer.baseAddress! + count, count, alpha: alpha)
        }
    }
}
