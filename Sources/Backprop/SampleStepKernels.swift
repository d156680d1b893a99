/// The arithmetic of one fused sample step (`Trace.sampleSteps`), layer by layer, for a
/// layer of n = n_l units with k = n_(l−1) inputs xⱼ = input[j · stride] (column k of x
/// for layer 1, a⁽ˡ⁻¹⁾ otherwise).
///
/// Each formula is the general path's for m = 1, with its roundings in its order:
/// `MatrixMultiply.tiny` (and `loops`) sum C ← α op(A) op(B) + β C element by element in
/// ascending p from βC (α = 1 there, and 1 · θ = θ), `gradients` computes λΘ first and
/// then adds s · `MatrixMultiply.dot`, which for one sample is ((0 + δᵢ xⱼ) + 0) + (0 + 0)
/// = 0 + δᵢ xⱼ exactly (never −0), with s = 1 (sum, and mean over one sample), and
/// `gradientStep` takes θ − α · (∂J/∂θ).
extension Trace {
    /// Where one layer's numbers are for the kernels below: Θ (n × k, row-major), b,
    /// z, a, δ (n each).
    struct StepLayer {
        let theta: UnsafeMutablePointer<Double>
        /// b, read with `readsBias` (else 0: z starts at 0 without bias, b = 0 may stand in
        /// for it) and stepped with `stepsBias`.
        let b: UnsafeMutablePointer<Double>
        let readsBias: Bool, stepsBias: Bool
        let z: UnsafeMutablePointer<Double>, a: UnsafeMutablePointer<Double>, delta: UnsafeMutablePointer<Double>
        /// n_l and n_(l−1).
        let n: Int, k: Int

        /// Layer `layer` of the trace's buffer at p.
        @inline(__always)
        init(_ p: UnsafeMutablePointer<Double>, _ layer: LayerLayout) {
            self.init(theta: p + layer.theta, b: p + max(layer.b, 0), readsBias: layer.b >= 0,
                      stepsBias: layer.b >= 0, z: p + layer.z, a: p + layer.a, delta: p + layer.delta,
                      n: layer.n, k: layer.k)
        }

        @inline(__always)
        init(theta: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>, readsBias: Bool, stepsBias: Bool,
             z: UnsafeMutablePointer<Double>, a: UnsafeMutablePointer<Double>, delta: UnsafeMutablePointer<Double>,
             n: Int, k: Int) {
            self.theta = theta
            self.b = b
            self.readsBias = readsBias
            self.stepsBias = stepsBias
            self.z = z
            self.a = a
            self.delta = delta
            self.n = n
            self.k = k
        }
    }

    /// The forward pass of one layer:
    ///
    ///     zᵢ = (…((bᵢ + θᵢ₀ x₀) + θᵢ₁ x₁) + …)   (0 in place of bᵢ without bias),   aᵢ = g(zᵢ)
    ///
    /// (g of two units at a time where it can: `Activation.g(_: SIMD2)`.)
    @inline(__always)
    static func forwardKernel(_ layer: StepLayer, _ g: Activation, input: UnsafePointer<Double>, stride: Int) {
        let n = layer.n, k = layer.k
        for i in 0..<n {
            var sum = layer.readsBias ? layer.b[i] : 0
            for j in 0..<k { sum += layer.theta[i &* k &+ j] * input[j &* stride] }
            layer.z[i] = sum
        }
        var i = 0
        while i &+ 2 <= n {
            let a = g.inStep(SIMD2(layer.z[i], layer.z[i &+ 1]))
            layer.a[i] = a[0]
            layer.a[i &+ 1] = a[1]
            i &+= 2
        }
        if i < n { layer.a[i] = g.inStep(layer.z[i]) }
    }

    /// The output layer (targets yᵢ = y[i · stride]): returns
    /// J⁽ᵏ⁾ = (…(0 + cost(y₀, a₀)) + …) + cost(yₙ₋₁, aₙ₋₁) (as `dataCost` sums it), counts
    /// the sample in `correct` when its predicted class is right (with `countingCorrect`),
    /// and sets
    ///
    ///     δᵢ⁽ᴸ⁾ = (aᵢ − yᵢ) g′(zᵢ)   squared error,   δᵢ⁽ᴸ⁾ = aᵢ − yᵢ   cross-entropy
    @inline(__always)
    static func outputErrors(
        _ output: StepLayer, _ g: Activation, y: UnsafePointer<Double>, stride: Int, _ run: SampleRun,
        correct: inout Int
    ) -> Double {
        let n = output.n
        var J = 0.0
        for i in 0..<n {
            J += run.cost.unitCost(z: output.z[i], a: output.a[i], y: y[i &* stride])
        }
        if run.countingCorrect,
           Evaluation.classOf(output.a, n, stride: 1) == Evaluation.classOf(y, n, stride: stride) {
            correct += 1
        }
        for i in 0..<n {
            let a = output.a[i], error = a - y[i &* stride]
            output.delta[i] = run.cost == .squared ? g.timesDerivativeInStep(error, z: output.z[i], a: a) : error
        }
        return J
    }

    /// The backward pass of one layer: the errors of layer l − 1 (`below`, activation g;
    /// none for l = 1) from the Θ⁽ˡ⁾ of before the step, then the step of layer l,
    ///
    ///     δⱼ⁽ˡ⁻¹⁾ = (…((0 + θ₀ⱼ δ₀) + θ₁ⱼ δ₁) + …) g′(zⱼ⁽ˡ⁻¹⁾)
    ///     θᵢⱼ ← θᵢⱼ − α ((λ θᵢⱼ or nothing) + (0 + δᵢ xⱼ)),   bᵢ ← bᵢ − α (0 + δᵢ)
    @inline(__always)
    static func backwardKernel(
        _ layer: StepLayer, below: StepLayer?, _ g: Activation, input: UnsafePointer<Double>, stride: Int,
        lambda: Double, alpha: Double
    ) {
        let n = layer.n, k = layer.k, theta = layer.theta, delta = layer.delta
        if let below {
            for j in 0..<k {
                var sum = 0.0
                for i in 0..<n { sum += theta[i &* k &+ j] * delta[i] }
                below.delta[j] = g.timesDerivativeInStep(sum, z: below.z[j], a: below.a[j])
            }
        }
        for i in 0..<n {
            let d = delta[i], row = theta + i &* k
            if lambda == 0 {
                for j in 0..<k { row[j] -= alpha * (0 + d * input[j &* stride]) }
            } else {
                for j in 0..<k { row[j] -= alpha * (lambda * row[j] + (0 + d * input[j &* stride])) }
            }
            if layer.stepsBias { layer.b[i] -= alpha * (0 + d) }
        }
    }
}
