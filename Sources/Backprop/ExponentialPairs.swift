import Foundation

// The engine's e^x and sigmoid for two numbers at once, one per lane of a SIMD2: the
// same operations in the same order as `exponentialOfNonPositive` and
// `Activation.sigmoid`, lane by lane, so each lane has the scalar code's bits (and a NaN
// stays a NaN). The fused sample steps compute two units of a layer this way.

/// e^x for x ≤ 0 in each lane (see `exponentialOfNonPositive`):
///
///     e^x = 2^n · (1 + (r + r² Q(r))),   n = round(x / ln 2),   r = x − n ln 2;   0 below −708
@inline(__always)
func exponentialOfNonPositive(_ x: SIMD2<Double>) -> SIMD2<Double> {
    typealias V = SIMD2<Double>
    let tiny = x .< -708
    let x = x.replacing(with: -708, where: tiny)
    let shifter = V(repeating: 0x1.8p52)
    let t = x * V(repeating: 0x1.71547652b82fep0) + shifter
    let n = t - shifter
    let r = (x - n * V(repeating: 0x1.62e42fee00000p-1)) - n * V(repeating: 0x1.a39ef35793c76p-33)
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let q1 = V(repeating: 1.0 / 2) + r * V(repeating: 1.0 / 6)
    let q2 = V(repeating: 1.0 / 24) + r * V(repeating: 1.0 / 120)
    let q3 = V(repeating: 1.0 / 720) + r * V(repeating: 1.0 / 5040)
    let q4 = V(repeating: 1.0 / 40320) + r * V(repeating: 1.0 / 362880)
    let q5 = V(repeating: 1.0 / 3628800) + r * V(repeating: 1.0 / 39916800)
    let q6 = V(repeating: 1.0 / 479001600) + r * V(repeating: 1.0 / 6227020800)
    let q = (q1 + r2 * q2) + r4 * (q3 + r2 * q4) + r8 * (q5 + r2 * q6)
    let expR = V(repeating: 1) + (r + r2 * q)
    let twoToN = V(bitPatterns: (t.bitPatterns &+ 1023) &<< 52)
    return (expR * twoToN).replacing(with: 0, where: tiny)
}

extension Activation {
    /// The logistic g(z) = 1 / (1 + e^(−z)) in each lane (see `sigmoid(_:)`):
    /// (z ≥ 0 ? 1 : e) / (1 + e), e = e^(−|z|).
    @inline(__always)
    static func sigmoid(_ z: SIMD2<Double>) -> SIMD2<Double> {
        // −|z|: the sign bit set, as -abs(z) sets it for one Double.
        let e = exponentialOfNonPositive(SIMD2(bitPatterns: z.bitPatterns | 0x8000_0000_0000_0000))
        let numerator = SIMD2<Double>(repeating: 1).replacing(with: e, where: .!(z .>= 0))
        return numerator / (SIMD2(repeating: 1) + e)
    }

    /// a = g(z) for two units, lane by lane as `g` computes one.
    @inline(__always)
    func g(_ z: SIMD2<Double>) -> SIMD2<Double> {
        switch self {
        case .sigmoid: return Activation.sigmoid(z)
        case .tanh: return SIMD2(Foundation.tanh(z[0]), Foundation.tanh(z[1]))
        case .relu: return SIMD2().replacing(with: z, where: z .> 0)
        case .identity: return z
        }
    }
}

extension SIMD2 where Scalar == Double {
    /// The lanes' bit patterns.
    @inline(__always)
    var bitPatterns: SIMD2<UInt64> { unsafeBitCast(self, to: SIMD2<UInt64>.self) }

    /// Lanes from their bit patterns.
    @inline(__always)
    init(bitPatterns bits: SIMD2<UInt64>) { self = unsafeBitCast(bits, to: SIMD2<Double>.self) }
}
