/// e^x for x ≤ 0 from arithmetic alone, branch-free so that loops over it vectorise
/// (the sigmoid of every unit of every batch goes through here):
///
///     e^x = 2^n · e^r,   n = round(x / ln 2),   r = x − n ln 2 ∈ [−½ ln 2, ½ ln 2]
///     e^r = 1 + (r + r² Q(r)),   Q(r) = Σ_{i=2}^{13} r^(i−2) / i!
///
/// ln 2 is split in two (Cody and Waite) so that r is exact to the last bits; Q is
/// evaluated by Estrin's scheme (short dependency chains); the truncation error r¹⁴/14!
/// is below 10⁻¹⁷. Within 1 ulp of the platform's exp on x ∈ [−708, 0]. Below −708 the
/// result is 0 (where e^x would be subnormal, under 2.2 · 10⁻³⁰⁸); NaN stays NaN.
@inline(__always)
func exponentialOfNonPositive(_ x: Double) -> Double {
    let tiny = x < -708
    let x = tiny ? -708 : x
    // x / ln 2 rounded to the nearest integer n, by adding 1.5 · 2⁵²: the low bits of t
    // then hold n, and t − 1.5 · 2⁵² is n as a Double.
    let shifter = 0x1.8p52
    let t = x * 0x1.71547652b82fep0 + shifter
    let n = t - shifter
    let r = (x - n * 0x1.62e42fee00000p-1) - n * 0x1.a39ef35793c76p-33
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let q1 = 1.0 / 2 + r * (1.0 / 6)
    let q2 = 1.0 / 24 + r * (1.0 / 120)
    let q3 = 1.0 / 720 + r * (1.0 / 5040)
    let q4 = 1.0 / 40320 + r * (1.0 / 362880)
    let q5 = 1.0 / 3628800 + r * (1.0 / 39916800)
    let q6 = 1.0 / 479001600 + r * (1.0 / 6227020800)
    let q = (q1 + r2 * q2) + r4 * (q3 + r2 * q4) + r8 * (q5 + r2 * q6)
    let expR = 1 + (r + r2 * q)
    // 2^n from its bits: exponent field n + 1023 (1 … 1023 here), taken from t's low bits.
    let twoToN = Double(bitPattern: (t.bitPattern &+ 1023) << 52)
    return tiny ? 0 : expR * twoToN
}
