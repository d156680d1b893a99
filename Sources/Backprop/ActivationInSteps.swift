/// The activations as the fused sample steps call them: the sigmoid (the lecture's g)
/// inline, the others out of line, so that the steps' unrolled code stays short (few
/// branches) where every unit would otherwise carry all four. Same numbers as `g`,
/// `Activation.g(_: SIMD2)` and `timesDerivative`.
extension Activation {
    /// a = g(z).
    @inline(__always)
    func inStep(_ z: Double) -> Double {
        self == .sigmoid ? Activation.sigmoid(z) : outOfLine(z)
    }

    /// a = g(z) for two units.
    @inline(__always)
    func inStep(_ z: SIMD2<Double>) -> SIMD2<Double> {
        self == .sigmoid ? Activation.sigmoid(z) : outOfLine(z)
    }

    /// v g′(z) (a = g(z)).
    @inline(__always)
    func timesDerivativeInStep(_ v: Double, z: Double, a: Double) -> Double {
        self == .sigmoid ? v * (a * (1 - a)) : timesDerivativeOutOfLine(v, z: z, a: a)
    }

    @inline(never)
    private func outOfLine(_ z: Double) -> Double { g(z) }

    @inline(never)
    private func outOfLine(_ z: SIMD2<Double>) -> SIMD2<Double> { g(z) }

    @inline(never)
    private func timesDerivativeOutOfLine(_ v: Double, z: Double, a: Double) -> Double {
        timesDerivative(v, z: z, a: a)
    }
}
