/// The fused sample steps of a network with one hidden layer of at most 2 units (and at
/// most 2 inputs and outputs), the lecture's small networks such as XOR's 2-2-1, for
/// `Trace.sampleEpochs`: specialised for the three widths, so that every loop of the
/// kernels unrolls into straight code and every number of a step may stay in a register
/// from one step to the next.
extension Trace {
    /// The epochs of `sampleEpochs` for a network n₀-n₁-n₂ with every width 1 or 2
    /// (specialised for them: N0, then N1, then N2 picked); nil for other shapes.
    @inline(__always)
    static func oneHiddenLayerEpochs(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop? {
        guard layout.count == 3 else { return nil }
        switch layout[0].n {
        case 1: return oneHiddenLayerEpochs(Width1.self, p, layout, activations, run, &epochs)
        case 2: return oneHiddenLayerEpochs(Width2.self, p, layout, activations, run, &epochs)
        default: return nil
        }
    }

    @inline(__always)
    private static func oneHiddenLayerEpochs<N0: SmallWidth>(
        _ n0: N0.Type, _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop? {
        switch layout[1].n {
        case 1: oneHiddenLayerEpochs(n0, Width1.self, p, layout, activations, run, &epochs)
        case 2: oneHiddenLayerEpochs(n0, Width2.self, p, layout, activations, run, &epochs)
        default: nil
        }
    }

    @inline(__always)
    private static func oneHiddenLayerEpochs<N0: SmallWidth, N1: SmallWidth>(
        _ n0: N0.Type, _ n1: N1.Type, _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop? {
        switch layout[2].n {
        case 1: oneHiddenLayerEpochs(n0, n1, Width1.self, p, layout, activations, run, &epochs)
        case 2: oneHiddenLayerEpochs(n0, n1, Width2.self, p, layout, activations, run, &epochs)
        default: nil
        }
    }

    /// The epochs for a network n₀-n₁-n₂ (L = 2), specialised for N0, N1, N2: its
    /// parameters and the z, a, δ of a step in local storage at fixed places (copied in
    /// from the trace's buffer at p and back at the end), and the saved copy of the
    /// parameters in another, so that the compiler may keep all of them in registers.
    @inline(never)
    static func oneHiddenLayerEpochs<N0: SmallWidth, N1: SmallWidth, N2: SmallWidth>(
        _: N0.Type, _: N1.Type, _: N2.Type, _ p: UnsafeMutablePointer<Double>,
        _ layout: UnsafeBufferPointer<LayerLayout>, _ activations: UnsafeBufferPointer<Activation>,
        _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop {
        var numbers = OneHiddenLayer.Numbers(), saved = OneHiddenLayer.Numbers()
        return oneHiddenLayerEpochs(N0.self, N1.self, N2.self, &numbers, &saved, p, layout, activations, run,
                                    &epochs)
    }

    /// Where the numbers of a network n₀-n₁-n₂ are in the local storage of
    /// `oneHiddenLayerEpochs`: Θ⁽¹⁾, b⁽¹⁾, Θ⁽²⁾, b⁽²⁾ (the parameters, row by row), then
    /// z⁽¹⁾, a⁽¹⁾, δ⁽¹⁾, z⁽²⁾, a⁽²⁾, δ⁽²⁾.
    struct OneHiddenLayer {
        let n0: Int, n1: Int, n2: Int

        @inline(__always)
        init<N0: SmallWidth, N1: SmallWidth, N2: SmallWidth>(_: N0.Type, _: N1.Type, _: N2.Type) {
            (n0, n1, n2) = (N0.n, N1.n, N2.n)
        }

        var b1: Int { n1 * n0 }
        var theta2: Int { b1 + n1 }
        var b2: Int { theta2 + n2 * n1 }
        var parameterCount: Int { b2 + n2 }
        var size: Int { parameterCount + 3 * (n1 + n2) }

        /// Room for the numbers of the largest shape, 2-2-2 (a local value rather than a
        /// buffer, so that the compiler may keep them in registers; its memory, a tuple of
        /// Doubles, is bound to Double).
        struct Numbers {
            var numbers = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                           0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            static let count = 24
        }

        /// Layer 1 and layer 2 in the storage at q (b read always: it stays 0 without bias,
        /// and 0 + θx is how z starts then).
        @inline(__always)
        func layers(_ q: UnsafeMutablePointer<Double>, hasBias: Bool) -> (StepLayer, StepLayer) {
            let units = q + parameterCount
            return (StepLayer(theta: q, b: q + b1, readsBias: true, stepsBias: hasBias, z: units, a: units + n1,
                              delta: units + 2 * n1, n: n1, k: n0),
                    StepLayer(theta: q + theta2, b: q + b2, readsBias: true, stepsBias: hasBias, z: units + 3 * n1,
                              a: units + 3 * n1 + n2, delta: units + 3 * n1 + 2 * n2, n: n2, k: n1))
        }
    }

    /// `oneHiddenLayerEpochs` with its numbers and the saved parameters in the two
    /// `Numbers` at `numbers` and `saved`.
    @inline(__always)
    private static func oneHiddenLayerEpochs<N0: SmallWidth, N1: SmallWidth, N2: SmallWidth>(
        _: N0.Type, _: N1.Type, _: N2.Type, _ numbers: UnsafeMutableRawPointer, _ saved: UnsafeMutableRawPointer,
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop {
        let shape = OneHiddenLayer(N0.self, N1.self, N2.self)
        precondition(shape.size <= OneHiddenLayer.Numbers.count)
        let q = numbers.assumingMemoryBound(to: Double.self)
        let g1 = activations[1], g2 = activations[2]
        let (hidden, output) = shape.layers(q, hasBias: layout[1].b >= 0)
        copy(from: p, layout[1], to: hidden)
        copy(from: p, layout[2], to: output)
        let a1 = UnsafePointer(hidden.a), count = run.count
        var correct = 0
        let parameters = FusedEpochs.Parameters(p: q, saved: saved.assumingMemoryBound(to: Double.self),
                                                count: shape.parameterCount)
        let stop = epochs.run(parameters, cancel: run.cancel, sumOfSquaredWeights: {
            var total = 0.0, sum = 0.0
            for index in 0..<shape.b1 { sum += q[index] * q[index] }
            total += sum
            sum = 0
            for index in shape.theta2..<shape.b2 { sum += q[index] * q[index] }
            total += sum
            return total
        }, steps: { samples, epochCost in
            var steps = 0
            while steps < samples.count {
                let k = run.sample(samples[steps])
                let x = run.x + k, y = run.y + k
                forwardKernel(hidden, g1, input: x, stride: count)
                forwardKernel(output, g2, input: a1, stride: 1)
                let J = outputErrors(output, g2, y: y, stride: count, run, correct: &correct)
                backwardKernel(output, below: hidden, g1, input: a1, stride: 1, lambda: run.lambda, alpha: run.alpha)
                backwardKernel(hidden, below: nil, g1, input: x, stride: count, lambda: run.lambda, alpha: run.alpha)
                epochCost += J
                steps += 1
                if run.stops(after: epochCost) { break }
            }
            return steps
        })
        copy(hidden, to: p, layout[1])
        copy(output, to: p, layout[2])
        return stop
    }

    /// Θ and b of layer `trace` of the trace's buffer at p into `layer` (b zero without
    /// bias).
    @inline(__always)
    private static func copy(from p: UnsafePointer<Double>, _ trace: LayerLayout, to layer: StepLayer) {
        for index in 0..<(layer.n * layer.k) { layer.theta[index] = p[trace.theta &+ index] }
        for i in 0..<layer.n { layer.b[i] = layer.stepsBias ? p[trace.b &+ i] : 0 }
    }

    /// Θ and b of `layer` back into layer `trace` of the trace's buffer at p.
    @inline(__always)
    private static func copy(_ layer: StepLayer, to p: UnsafeMutablePointer<Double>, _ trace: LayerLayout) {
        for index in 0..<(layer.n * layer.k) { p[trace.theta &+ index] = layer.theta[index] }
        if layer.stepsBias { for i in 0..<layer.n { p[trace.b &+ i] = layer.b[i] } }
    }
}

/// A layer width fixed when compiling, for `Trace.oneHiddenLayerEpochs`.
protocol SmallWidth { static var n: Int { get } }
enum Width1: SmallWidth { static var n: Int { 1 } }
enum Width2: SmallWidth { static var n: Int { 2 } }
