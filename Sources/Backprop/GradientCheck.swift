/// The largest relative difference between backprop's gradient and the central
/// difference (J(θ + ε) − J(θ − ε)) / 2ε over the weights and biases of one layer.
public struct LayerCheck: Equatable, Sendable {
    public let layer: Int
    /// max over θᵢⱼ⁽ˡ⁾ of |g_bp − g_num| / max(|g_bp| + |g_num|, 1e-12).
    public let thetaRelativeDifference: Double
    /// The same over b⁽ˡ⁾ (nil without bias).
    public let biasRelativeDifference: Double?
    /// max over the layer's weights and biases of |g_bp − g_num|: where gradients are
    /// tiny (a trained network), the relative difference measures the central
    /// difference's own error, and this says how small that is.
    public var absoluteDifference: Double = 0
    /// The larger of the two.
    public var worst: Double { max(thetaRelativeDifference, biasRelativeDifference ?? 0) }
}

extension Network {
    /// Compares ∂J/∂θ from `backward` with (J(θ + ε) − J(θ − ε)) / 2ε for every weight
    /// and bias on the batch (x, y), and reports the worst relative difference per layer.
    public func gradientCheck(
        x: Matrix, y: Matrix, objective: Objective, epsilon: Double = 1e-4,
        isCancelled: () -> Bool = { false }
    ) throws(EngineError) -> [LayerCheck] {
        guard epsilon > 0 && epsilon.isFinite else {
            throw .invalidParameter(name: "eps", value: epsilon, requirement: "ε > 0")
        }
        var trace = try Trace.forward(self, x: x, y: y, objective: objective)
        trace.backward(self)
        let gradTheta = trace.gradTheta, gradB = trace.gradB
        var probe = trace
        func cost(_ network: Network) -> Double {
            probe.forward(network)
            probe.cost(network, objective)
            return probe.J
        }
        func relative(_ analytic: Double, _ numeric: Double) -> Double {
            abs(analytic - numeric) / max(abs(analytic) + abs(numeric), 1e-12)
        }
        var report: [LayerCheck] = []
        for l in 1...L {
            var worstTheta = 0.0
            var worstAbsolute = 0.0
            var network = self
            for index in layers[l - 1].theta.elements.indices {
                if isCancelled() { return report }
                let original = layers[l - 1].theta.elements[index]
                network.layers[l - 1].theta.elements[index] = original + epsilon
                let plus = cost(network)
                network.layers[l - 1].theta.elements[index] = original - epsilon
                let minus = cost(network)
                network.layers[l - 1].theta.elements[index] = original
                let numeric = (plus - minus) / (2 * epsilon)
                worstTheta = max(worstTheta, relative(gradTheta[l].elements[index], numeric))
                worstAbsolute = max(worstAbsolute, abs(gradTheta[l].elements[index] - numeric))
            }
            var worstBias: Double?
            if let b = layers[l - 1].b {
                var worst = 0.0
                for i in b.indices {
                    if isCancelled() { return report }
                    network.layers[l - 1].b![i] = b[i] + epsilon
                    let plus = cost(network)
                    network.layers[l - 1].b![i] = b[i] - epsilon
                    let minus = cost(network)
                    network.layers[l - 1].b![i] = b[i]
                    let numeric = (plus - minus) / (2 * epsilon)
                    worst = max(worst, relative(gradB[l][i], numeric))
                    worstAbsolute = max(worstAbsolute, abs(gradB[l][i] - numeric))
                }
                worstBias = worst
            }
            report.append(LayerCheck(layer: l, thetaRelativeDifference: worstTheta,
                                     biasRelativeDifference: worstBias, absoluteDifference: worstAbsolute))
        }
        return report
    }
}
