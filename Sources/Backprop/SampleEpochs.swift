/// Whole epochs of fused steps (`Trace.sampleEpochs`): what `Network.train` does around
/// the steps of each epoch, done the same way here, where the steps keep the parameters.
struct FusedEpochs {
    let count: Int
    let shuffle: Bool
    let objective: Objective
    var order: [Int]
    var generator: SeededGenerator
    /// J of each finished epoch: `epochsDone` of them, room for `count`.
    let history: UnsafeMutablePointer<Double>
    var epochsDone = 0
    var seen: Int

    /// Where the steps keep every Θ⁽ˡ⁾ and b⁽ˡ⁾ (`count` numbers at p), and room for a copy
    /// of them at `saved`.
    struct Parameters {
        let p: UnsafeMutablePointer<Double>, saved: UnsafeMutablePointer<Double>, count: Int

        /// The copy ← the parameters (`Trace.saveParameters`).
        @inline(__always)
        func save() { for index in 0..<count { saved[index] = p[index] } }

        /// The parameters ← the copy (`Trace.restoreParameters`).
        @inline(__always)
        func restore() { for index in 0..<count { p[index] = saved[index] } }

        /// Whether every parameter is finite: Σ θ · 0 = 0 (`Trace.parametersAreFinite`).
        @inline(__always)
        var areFinite: Bool {
            var sum = 0.0
            for index in 0..<count { sum += p[index] * 0 }
            return sum == 0
        }
    }

    /// Runs the epochs: for each, the parameters saved, the λ term λ/2 Σθ² (from
    /// `sumOfSquaredWeights`, as `Trace.sumOfSquaredWeights` sums it), the order
    /// shuffled, `steps` over all N samples in that order (adding each step's cost to the
    /// epoch's), then J; stops as `Network.train` does (see there). Returns why it
    /// stopped.
    @inline(__always)
    mutating func run(
        _ parameters: Parameters, cancel: CancellationFlag?, sumOfSquaredWeights: () -> Double,
        steps: (Span<Int>, inout Double) -> Int
    ) -> TrainingStop {
        let n = order.count
        for epoch in 1...count {
            parameters.save()
            let penalty = objective.lambda == 0 ? 0 : objective.lambda / 2 * sumOfSquaredWeights()
            if shuffle { Network.shuffle(&order, &generator) }
            var epochCost = 0.0
            seen += steps(order.span, &epochCost)
            if !epochCost.isFinite {
                parameters.restore()
                return .diverged(.nonFiniteCost, epoch: epoch)
            }
            if let cancel, cancel.isSet { return .cancelled }
            let J = Network.epochJ(epochCost, n, objective, penalty)
            if let divergence = Network.divergence(parametersAreFinite: parameters.areFinite, J: J,
                                                   first: epochsDone > 0 ? history[0] : nil) {
                parameters.restore()
                return .diverged(divergence, epoch: epoch)
            }
            history[epochsDone] = J
            epochsDone += 1
        }
        return .completed
    }
}
