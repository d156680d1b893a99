import Foundation

/// The per-sample cost of the output a = a⁽ᴸ⁾ against the target y.
public enum Cost: String, CaseIterable, Sendable, Codable {
    /// J = ½ ‖y − a‖² — the lecture's cost.
    case squared
    /// J = −Σᵢ [yᵢ ln aᵢ + (1 − yᵢ) ln(1 − aᵢ)] — needs a sigmoid output; then δ⁽ᴸ⁾ = a − y.
    case crossEntropy = "xent"

    /// ∂J/∂aᵢ for one output unit: squared (aᵢ − yᵢ); cross-entropy (aᵢ − yᵢ) / (aᵢ (1 − aᵢ)).
    public func dJda(a: Double, y: Double) -> Double {
        switch self {
        case .squared: return a - y
        case .crossEntropy: return (a - y) / (a * (1 - a))
        }
    }

    /// One unit's share of J: squared ½ (yᵢ − aᵢ)²; cross-entropy
    /// −[yᵢ ln aᵢ + (1 − yᵢ) ln(1 − aᵢ)] = yᵢ softplus(−zᵢ) + (1 − yᵢ) softplus(zᵢ)
    /// (the softplus form, from z, stays finite when a rounds to 0 or 1).
    @inline(__always)
    public func unitCost(z: Double, a: Double, y: Double) -> Double {
        switch self {
        case .squared:
            let d = y - a
            return 0.5 * d * d
        case .crossEntropy:
            return y * Activation.softplus(-z) + (1 - y) * Activation.softplus(z)
        }
    }
}

/// How the per-sample costs and gradients of a batch of m samples are combined.
public enum Reduction: String, CaseIterable, Sendable, Codable {
    /// J = Σ_k J⁽ᵏ⁾ — the lecture's choice.
    case sum
    /// J = (1/m) Σ_k J⁽ᵏ⁾.
    case mean

    /// The factor in front of Σ_k: 1 for sum, 1/m for mean.
    public func scale(batchSize m: Int) -> Double {
        self == .sum ? 1 : 1 / Double(m)
    }
}

/// What gradient descent minimises: the cost, how samples are combined, and the L2 term
///
///     J = s Σ_k cost(y⁽ᵏ⁾, a⁽ᵏ⁾⁽ᴸ⁾) + λ/2 Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)²,   s = 1 or 1/m.
public struct Objective: Equatable, Sendable, Codable {
    public var cost: Cost
    public var reduction: Reduction
    /// λ ≥ 0; biases are not regularized.
    public var lambda: Double

    public init(cost: Cost = .squared, reduction: Reduction = .sum, lambda: Double = 0) {
        self.cost = cost
        self.reduction = reduction
        self.lambda = lambda
    }
}
