import Foundation

/// The activation g of a layer, a⁽ˡ⁾ = g(z⁽ˡ⁾), and its derivative g′.
public enum Activation: String, CaseIterable, Sendable, Codable {
    /// g(z) = 1 / (1 + e^(−z)),  g′(z) = a (1 − a)  — the lecture's choice.
    case sigmoid
    /// g(z) = tanh z,  g′(z) = 1 − a².
    case tanh
    /// g(z) = max(0, z),  g′(z) = 1 if z > 0 else 0.
    case relu
    /// g(z) = z,  g′(z) = 1.
    case identity

    /// a = g(z).
    @inline(__always)
    public func g(_ z: Double) -> Double {
        switch self {
        case .sigmoid: return Activation.sigmoid(z)
        case .tanh: return Foundation.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .identity: return z
        }
    }

    /// g′(z), written with a = g(z) where that is the lecture's form: sigmoid a (1 − a),
    /// tanh 1 − a², ReLU [z > 0], identity 1.
    @inline(__always)
    public func gPrime(z: Double, a: Double) -> Double {
        switch self {
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        case .identity: return 1
        }
    }

    /// The logistic g(z) = 1 / (1 + e^(−z)), evaluated so that no intermediate
    /// overflows: with e = e^(−|z|) ∈ (0, 1], g(z) = 1 / (1 + e) for z ≥ 0 and
    /// e / (1 + e) = e^z / (1 + e^z) for z < 0. Written without a branch (the sign only
    /// picks the numerator) and with the engine's own e^x, so that `apply` vectorises and
    /// the numbers do not depend on the platform's libm.
    @inline(__always)
    public static func sigmoid(_ z: Double) -> Double {
        let e = exponentialOfNonPositive(-abs(z))
        return (z >= 0 ? 1 : e) / (1 + e)
    }

    /// softplus(z) = ln(1 + e^z), without overflow: max(z, 0) + ln(1 + e^(−|z|)).
    @inline(__always)
    static func softplus(_ z: Double) -> Double {
        max(z, 0) + log1p(exp(-abs(z)))
    }

    /// a ← g(z) over `count` elements.
    @inline(__always)
    func apply(_ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, _ count: Int) {
        switch self {
        case .sigmoid: for i in 0..<count { a[i] = Activation.sigmoid(z[i]) }
        case .tanh: for i in 0..<count { a[i] = Foundation.tanh(z[i]) }
        case .relu: for i in 0..<count { a[i] = z[i] > 0 ? z[i] : 0 }
        case .identity: for i in 0..<count { a[i] = z[i] }
        }
    }

    /// v ← v ⊙ g′(z) over `count` elements (a = g(z) given alongside).
    @inline(__always)
    func multiplyByDerivative(
        _ v: UnsafeMutablePointer<Double>, z: UnsafePointer<Double>, a: UnsafePointer<Double>,
        _ count: Int
    ) {
        switch self {
        case .sigmoid: for i in 0..<count { v[i] *= a[i] * (1 - a[i]) }
        case .tanh: for i in 0..<count { v[i] *= 1 - a[i] * a[i] }
        case .relu: for i in 0..<count where !(z[i] > 0) { v[i] = 0 }
        case .identity: break
        }
    }

    /// v g′(z) for one unit (a = g(z) given alongside), rounded as `multiplyByDerivative`
    /// rounds it: sigmoid v (a (1 − a)), tanh v (1 − a²), ReLU v if z > 0 else 0,
    /// identity v.
    @inline(__always)
    func timesDerivative(_ v: Double, z: Double, a: Double) -> Double {
        switch self {
        case .sigmoid: return v * (a * (1 - a))
        case .tanh: return v * (1 - a * a)
        case .relu: return z > 0 ? v : 0
        case .identity: return v
        }
    }
}
