/// The three chain-rule factors of one output-layer gradient term for sample k:
///
///     ∂J/∂θᵢⱼ⁽ᴸ⁾ = ∂J/∂aᵢ⁽ᴸ⁾ · ∂aᵢ⁽ᴸ⁾/∂zᵢ⁽ᴸ⁾ · ∂zᵢ⁽ᴸ⁾/∂θᵢⱼ⁽ᴸ⁾
///                = (aᵢ⁽ᴸ⁾ − yᵢ) · g′(zᵢ⁽ᴸ⁾) · aⱼ⁽ᴸ⁻¹⁾          (squared error)
public struct ChainRuleFactors: Equatable, Sendable {
    /// ∂J/∂aᵢ⁽ᴸ⁾.
    public let dJda: Double
    /// ∂aᵢ⁽ᴸ⁾/∂zᵢ⁽ᴸ⁾ = g′(zᵢ⁽ᴸ⁾).
    public let dadz: Double
    /// ∂zᵢ⁽ᴸ⁾/∂θᵢⱼ⁽ᴸ⁾ = aⱼ⁽ᴸ⁻¹⁾.
    public let dzdtheta: Double
    /// δᵢ⁽ᴸ⁾ = ∂J/∂aᵢ · ∂aᵢ/∂zᵢ, as backward stored it.
    public let delta: Double
    /// The product of the three factors.
    public var product: Double { dJda * dadz * dzdtheta }
}

/// One path through unit j of layer l+1 back to unit i of layer l: θⱼᵢ⁽ˡ⁺¹⁾ δⱼ⁽ˡ⁺¹⁾.
public struct PathTerm: Equatable, Sendable {
    /// j, 1-based.
    public let j: Int
    /// θⱼᵢ⁽ˡ⁺¹⁾.
    public let theta: Double
    /// δⱼ⁽ˡ⁺¹⁾.
    public let delta: Double
    /// θⱼᵢ⁽ˡ⁺¹⁾ δⱼ⁽ˡ⁺¹⁾.
    public var product: Double { theta * delta }
}

/// Read-outs of a trace that explain single numbers; nothing here recomputes the pass.
/// Units i, j and samples k are 1-based, as shown to learners.
extension Trace {
    /// z, a or δ of unit i, layer l, sample k.
    public func z(_ l: Int, _ i: Int, sample k: Int = 1) -> Double { value(\.z, l, i, k) }
    public func a(_ l: Int, _ i: Int, sample k: Int = 1) -> Double { value(\.a, l, i, k) }
    public func delta(_ l: Int, _ i: Int, sample k: Int = 1) -> Double { value(\.delta, l, i, k) }

    /// Unit i of layer l (1-based) of sample k in the matrix `region` (z, a or δ).
    private func value(_ region: KeyPath<LayerLayout, Int>, _ l: Int, _ i: Int, _ k: Int) -> Double {
        precondition(l >= (region == \LayerLayout.a ? 0 : 1) && l <= L && i >= 1 && i <= layout[l].n
                     && k >= 1 && k <= batchSize, "no such unit or sample")
        return element(layout[l][keyPath: region], i - 1, k - 1)
    }

    /// g′(zᵢ⁽ˡ⁾) for sample k.
    public func gPrime(_ network: Network, _ l: Int, _ i: Int, sample k: Int = 1) -> Double {
        network.layer(l).activation.gPrime(z: z(l, i, sample: k), a: a(l, i, sample: k))
    }

    /// The chain-rule factors of ∂J/∂θᵢⱼ⁽ᴸ⁾ for sample k (l must be L).
    public func outputFactors(_ network: Network, i: Int, j: Int, sample k: Int = 1) -> ChainRuleFactors {
        let L = network.L
        let ai = a(L, i, sample: k)
        let yi = element(yOffset, i - 1, k - 1)
        return ChainRuleFactors(
            dJda: objective.cost.dJda(a: ai, y: yi),
            dadz: gPrime(network, L, i, sample: k),
            dzdtheta: a(L - 1, j, sample: k),
            delta: delta(L, i, sample: k)
        )
    }

    /// The terms of δᵢ⁽ˡ⁾ = (Σⱼ θⱼᵢ⁽ˡ⁺¹⁾ δⱼ⁽ˡ⁺¹⁾) · g′(zᵢ⁽ˡ⁾) for sample k, l < L.
    public func pathTerms(_ network: Network, layer l: Int, i: Int, sample k: Int = 1) -> [PathTerm] {
        let next = network.theta(l + 1)
        return (1...next.rows).map { j in
            PathTerm(j: j, theta: next[j - 1, i - 1], delta: delta(l + 1, j, sample: k))
        }
    }

    /// The per-sample contributions δᵢ⁽ᵏ⁾⁽ˡ⁾ aⱼ⁽ᵏ⁾⁽ˡ⁻¹⁾, k = 1 … m, of ∂J/∂θᵢⱼ⁽ˡ⁾; the
    /// gradient is s Σ_k of them + λ θᵢⱼ.
    public func sampleContributions(layer l: Int, i: Int, j: Int) -> [Double] {
        (1...batchSize).map { k in delta(l, i, sample: k) * a(l - 1, j, sample: k) }
    }

    /// ∂J/∂θᵢⱼ⁽ˡ⁾ as backward stored it.
    public func gradient(layer l: Int, i: Int, j: Int) -> Double {
        precondition(l >= 1 && l <= L && i >= 1 && i <= layout[l].n && j >= 1 && j <= layout[l].k, "no such weight")
        return storage[parameterCount + layout[l].theta + (i - 1) * layout[l].k + (j - 1)]
    }
}
