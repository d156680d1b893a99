import Foundation
import Testing
@testable import Backprop

/// The engine's own eˣ (behind the sigmoid) against the C library's exp.
@Suite("own exponential") struct ExponentialTests {
    /// Within one unit in the last place of libm's exp over x ∈ [−708, 0]: 200 000 points
    /// spread evenly, and the points near 0 where e^x ≈ 1 + x.
    @Test func withinOneUlpOfLibm() {
        var worst = 0.0
        var points = (0...200_000).map { -708.0 * Double($0) / 200_000 }
        points += (0...1000).map { -Double($0) * 1e-12 } + [-0.0, -Double.ulpOfOne, -Double.leastNormalMagnitude]
        points += (0...1000).map { -0.5 * log(2.0) + Double($0) * 1e-6 }  // where the reduction switches n
        for x in points {
            let mine = exponentialOfNonPositive(x)
            let libm = Foundation.exp(x)
            let ulps = abs(mine - libm) / libm.ulp
            worst = max(worst, ulps)
            if ulps > 1 { Issue.record("e^\(x): \(mine) against libm \(libm), \(ulps) ulp") ; break }
        }
        #expect(worst <= 1)
    }

    /// e⁰ = 1 exactly, e^−1 to the last digit, e^−708 just above the smallest normal number.
    @Test func knownValues() {
        #expect(exponentialOfNonPositive(0) == 1)
        #expect(exponentialOfNonPositive(-1) == 0.36787944117144233)
        #expect(exponentialOfNonPositive(-708) > Double.leastNormalMagnitude)
    }

    /// Below −708 (where eˣ would be subnormal) the result is 0, down to −∞; NaN stays NaN.
    @Test func underflowAndNaN() {
        for x in [-708.5, -745.0, -1000.0, -1e300, -Double.infinity] {
            #expect(exponentialOfNonPositive(x) == 0, "e^\(x)")
        }
        #expect(exponentialOfNonPositive(.nan).isNaN)
    }

    /// The sigmoid through it: g(0) = ½, g(−z) = 1 − g(z) to rounding, g(±1000) = 1 and 0.
    @Test func sigmoidThroughIt() {
        #expect(Activation.sigmoid(0) == 0.5)
        #expect(Activation.sigmoid(1000) == 1 && Activation.sigmoid(-1000) == 0)
        for z in stride(from: 0.0, through: 30, by: 0.37) {
            #expect(abs(Activation.sigmoid(-z) - (1 - Activation.sigmoid(z))) <= 2 * Double.ulpOfOne)
        }
        // g(1) = 1 / (1 + e^−1) = 1 / 1.36787944117144233… = 0.73105857863000487…
        #expect(abs(Activation.sigmoid(1) - 0.7310585786300049) <= Double.ulpOfOne)
    }
}
