import Foundation
import Testing
@testable import Backprop

/// The fused steps compute two units at a time (`Activation.sigmoid(_: SIMD2)`,
/// `Activation.g(_: SIMD2)`) and one unit's g′ with `timesDerivative`: each must give the
/// bits of the one-number code the general path runs.
@Suite("Pairs of units")
struct ExponentialPairsTests {
    /// Values across the sigmoid's range and its edges: 0, −0, the cut at −708 for e^x,
    /// where g rounds to 0 or 1, infinities, the smallest numbers, and random ones.
    static let values: [Double] = {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, -0.5, 20, -20, 36.7, -36.7, 37, -37, 700, -700, 708, -708,
                                708.5, -708.5, 709, -709, 745, -745, 1e300, -1e300, .infinity, -.infinity,
                                .leastNormalMagnitude, -.leastNormalMagnitude, .leastNonzeroMagnitude,
                                -.leastNonzeroMagnitude, .ulpOfOne, -.ulpOfOne]
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<20_000 { values.append(80 * generator.uniform() - 40) }
        for _ in 0..<2_000 { values.append(Double(bitPattern: generator.next())) }
        return values
    }()

    @Test("sigmoid of two lanes: each lane the scalar sigmoid's bits (NaN stays NaN)")
    func sigmoidPairs() {
        var mismatches = 0
        for (i, z0) in Self.values.enumerated() {
            let z1 = Self.values[(i * 7 + 3) % Self.values.count]
            let pair = Activation.sigmoid(SIMD2(z0, z1))
            for (lane, z) in [(0, z0), (1, z1)] {
                let scalar = Activation.sigmoid(z)
                let same = z.isNaN ? pair[lane].isNaN : pair[lane].bitPattern == scalar.bitPattern
                if !same {
                    mismatches += 1
                    if mismatches < 5 { Issue.record("σ(\(z)): \(pair[lane]) in a pair, \(scalar) alone") }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("g of two lanes and timesDerivative: the bits of g and multiplyByDerivative", arguments: Activation.allCases)
    func activationPairs(_ g: Activation) {
        for (i, z) in Self.values.enumerated() where z.isFinite && abs(z) < 50 {
            let other = Self.values[(i * 11 + 5) % Self.values.count]
            let z1 = other.isFinite && abs(other) < 50 ? other : 0.25
            let pair = g.g(SIMD2(z, z1))
            #expect(pair[0].bitPattern == g.g(z).bitPattern && pair[1].bitPattern == g.g(z1).bitPattern, "g(\(z))")
            #expect(g.inStep(z).bitPattern == g.g(z).bitPattern)
            #expect(g.inStep(SIMD2(z, z1)) == pair)
            // v g′(z) one unit at a time against the general path's loop over a buffer.
            let a = g.g(z), v = z1 - 0.125
            var buffer = [v]
            buffer.withUnsafeMutableBufferPointer { b in
                [z].withUnsafeBufferPointer { zs in
                    [a].withUnsafeBufferPointer { g.multiplyByDerivative(b.baseAddress!, z: zs.baseAddress!, a: $0.baseAddress!, 1) }
                }
            }
            #expect(g.timesDerivative(v, z: z, a: a).bitPattern == buffer[0].bitPattern, "g′(\(z))")
            #expect(g.timesDerivativeInStep(v, z: z, a: a).bitPattern == buffer[0].bitPattern, "g′(\(z))")
        }
    }
}
