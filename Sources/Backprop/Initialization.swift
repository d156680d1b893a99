/// How initial weights are drawn. Biases start at 0. Weights are drawn layer by layer
/// (l = 1 … L), each Θ⁽ˡ⁾ row by row, from one `SeededGenerator(seed:)`.
public enum InitScheme: Equatable, Sendable {
    /// θ = (2u − 1) ε, uniform in (−ε, ε); the lecture's symmetry breaking.
    case uniform(epsilon: Double)
    /// θ ~ N(0, 1).
    case normal
    /// Xavier/Glorot: uniform in (−r, r), r = √(6 / (n_(l−1) + n_l)).
    case xavier
    /// He: θ ~ N(0, 1) · √(2 / n_(l−1)), for ReLU layers.
    case he

    /// ε of the lecture's uniform scheme when none is given.
    public static let defaultEpsilon = 0.12
}

extension Network {
    /// Replaces every Θ⁽ˡ⁾ by random numbers from `scheme`, reproducible from `seed`,
    /// and sets every b⁽ˡ⁾ to 0.
    public mutating func initialize(scheme: InitScheme, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for l in 1...L {
            let fanIn = Double(sizes[l - 1])
            let fanOut = Double(sizes[l])
            var theta = layers[l - 1].theta
            for index in theta.elements.indices {
                switch scheme {
                case .uniform(let epsilon):
                    theta.elements[index] = (2 * generator.uniform() - 1) * epsilon
                case .normal:
                    theta.elements[index] = generator.normal()
                case .xavier:
                    let r = (6 / (fanIn + fanOut)).squareRoot()
                    theta.elements[index] = (2 * generator.uniform() - 1) * r
                case .he:
                    theta.elements[index] = generator.normal() * (2 / fanIn).squareRoot()
                }
            }
            layers[l - 1].theta = theta
            if layers[l - 1].b != nil {
                layers[l - 1].b = Array(repeating: 0, count: sizes[l])
            }
        }
    }
}
