import Testing
import Backprop

/// Long engine work stops when asked (Ctrl-C in the shell): the gradient check polls
/// before every weight and every bias.
@Suite("Cancellation")
struct CancellationTests {
    /// Cancelled in the middle of layer 1's biases: the check stops there, with no layer
    /// reported (it used to finish every bias of the layer first).
    @Test func gradientCheckStopsAmongTheBiases() throws {
        var network = try Network(sizes: [1, 50, 1])
        network.initialize(scheme: .xavier, seed: 3)
        var calls = 0
        let report = try network.gradientCheck(x: .column([0.5]), y: .column([1]), objective: Objective(),
                                               isCancelled: { calls += 1; return calls > 60 })
        #expect(report.isEmpty)
        #expect(calls == 61)
    }

    @Test func gradientCheckRunsToTheEndUncancelled() throws {
        var network = try Network(sizes: [1, 3, 1])
        network.initialize(scheme: .xavier, seed: 3)
        var calls = 0
        let report = try network.gradientCheck(x: .column([0.5]), y: .column([1]), objective: Objective(),
                                               isCancelled: { calls += 1; return false })
        #expect(report.count == 2)
        #expect(calls == 3 + 3 + 3 + 1)  // every θ and every b polled once
    }
}
