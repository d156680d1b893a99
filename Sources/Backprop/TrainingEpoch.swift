/// What `Network.train` does around the steps of an epoch, shared with the fused epochs
/// of small networks trained one sample at a time (`Trace.sampleEpochs`).
extension Network {
    /// A new order of the samples: order[i] ↔ order[j], j uniform in 0 … i, for
    /// i = N − 1 down to 1 (Fisher–Yates), from `generator`.
    @inline(__always)
    static func shuffle(_ order: inout [Int], _ generator: inout SeededGenerator) {
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, generator.index(below: i + 1))
        }
    }

    /// s Σ_k J⁽ᵏ⁾ over the `count` samples visited so far in the epoch, + λ/2 Σθ² of
    /// the weights at the start of the epoch (`penalty`).
    @inline(__always)
    static func epochJ(_ sum: Double, _ count: Int, _ objective: Objective, _ penalty: Double) -> Double {
        let scaled = objective.reduction == .sum ? sum : sum / Double(count)
        return scaled + penalty
    }

    /// Why a run stops at the end of an epoch whose J is `J`: a weight or bias is not
    /// finite, J is not, or J grew more than a hundredfold over the first epoch's (`first`,
    /// nil in the first epoch); nil to go on.
    @inline(__always)
    static func divergence(parametersAreFinite: Bool, J: Double, first: Double?) -> Divergence? {
        if !parametersAreFinite { return .nonFiniteWeights }
        if !J.isFinite { return .nonFiniteCost }
        if let first, J > 100 * first, J > 1e-3 { return .exploding(from: first, to: J) }
        return nil
    }
}
