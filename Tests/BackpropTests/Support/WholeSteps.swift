@testable import Backprop

/// Training steps computed whole, as in the lecture: the forward pass, the errors and the
/// gradients of every sample and unit of a batch in one call each, on one thread; the
/// reference the engine's cut and paired steps must match to the bit.
struct WholeSteps {
    /// Σ_k cost of each batch before its step.
    var costs: [Double] = []
    /// The number of right answers (`Trace.correctCount`) of each batch before its step.
    var rights: [Int] = []
    /// The parameters after the steps.
    var parameters: [Double] = []

    /// Steps of m samples on batches order[0 ..< m], order[m ..< 2m], … of (x, y).
    init(_ network: Network, x: Matrix, y: Matrix, order: [Int], batch m: Int, objective: Objective,
         alpha: Double) {
        var whole = Trace(sizes: network.sizes, batchSize: m, bias: network.hasBias)
        whole.setParameters(from: network)
        for start in stride(from: 0, to: order.count - m + 1, by: m) {
            whole.load(x: x, y: y, columns: order[start..<(start + m)])
            let count = whole.parameterCount, yOffset = whole.yOffset
            let (cost, right) = whole.withBuffer { p, layout, activations in
                Trace.forward(p, layout, activations, m, columns: 0..<m)
                Trace.errors(p, layout, activations, yOffset, m, objective.cost, columns: 0..<m)
                let output = layout[layout.count - 1]
                let cost = Trace.dataCost(p, output, yOffset, output.n * m, objective.cost)
                let right = Trace.correctCount(p, output, yOffset, m)
                Trace.gradients(p, layout, count, m, objective, part: 0, of: 1, descending: alpha)
                return (cost, right)
            }
            costs.append(cost)
            rights.append(right)
        }
        parameters = Array(whole.storage[0..<whole.parameterCount])
    }
}
