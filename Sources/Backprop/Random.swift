/// The project's own random numbers: SplitMix64 (Steele, Lea, Flood 2014), so the same
/// seed gives the same weights on every machine. Every derived number uses only IEEE
/// operations that are exact or correctly rounded (+, −, ×, ÷, √) and the series in
/// `naturalLog`, never the platform's libm.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// u ∈ [0, 1): the top 53 bits, u = (next >> 11) · 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal number by Marsaglia's polar method: draw u, v uniform in
    /// (−1, 1) until 0 < s = u² + v² < 1, then return u · √(−2 ln s / s)
    /// (the second value v · √(…) is discarded, so each call is self-contained).
    public mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * SeededGenerator.naturalLog(s) / s).squareRoot()
            }
        }
    }

    /// An integer uniform in 0 ..< n (n ≥ 1), as next() mod n.
    public mutating func index(below n: Int) -> Int {
        Int(next() % UInt64(n))
    }

    /// ln x for 0 < x < ∞ from arithmetic alone: x = f · 2^e with f ∈ [√½, √2),
    /// ln x = e ln 2 + 2 atanh(t), t = (f − 1)/(f + 1), atanh t = Σ t^(2n+1)/(2n+1).
    static func naturalLog(_ x: Double) -> Double {
        var f = x.significand  // [1, 2)
        var e = Double(x.exponent)
        if f >= 1.4142135623730951 {
            f /= 2
            e += 1
        }
        let t = (f - 1) / (f + 1)
        let t2 = t * t
        var term = t
        var sum = 0.0
        var n = 1.0
        while true {
            let next = sum + term / n
            if next == sum { break }
            sum = next
            term *= t2
            n += 2
        }
        return e * 0.6931471805599453 + 2 * sum
    }
}
