/// The fused sample steps of any network (`Trace.sampleSteps`, `Trace.sampleEpochs`):
/// one step per sample, layer by layer on the trace's buffer, with the sizes read from
/// its layout. (Networks with one hidden layer of at most 2 units take
/// `oneHiddenLayerEpochs` when there is nothing to report.)
extension Trace {
    /// One step per sample of `samples` for any network: L forward kernels, the output's
    /// J and δ, L backward kernels, on the trace's buffer at p (see `sampleSteps`).
    /// Compiled for size: its loops run a few times each, where unrolled or vectorised
    /// copies cost more than they save.
    @inline(never) @_optimize(size)
    static func layerByLayerSteps(
        _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ samples: Span<Int>,
        correct: inout Int, epochCost: inout Double
    ) -> Int {
        let L = layout.count - 1, output = StepLayer(p, layout[L]), count = run.count
        var steps = 0
        while steps < samples.count {
            let k = run.sample(samples[steps])
            let x = run.x + k, y = run.y + k
            for l in 1...L {
                let (input, stride) = l == 1 ? (x, count) : (UnsafePointer(p + layout[l - 1].a), 1)
                forwardKernel(StepLayer(p, layout[l]), activations[l], input: input, stride: stride)
            }
            let J = outputErrors(output, activations[L], y: y, stride: count, run, correct: &correct)
            var l = L
            while l >= 1 {
                let below = l > 1 ? StepLayer(p, layout[l - 1]) : nil
                let (input, stride) = l == 1 ? (x, count) : (UnsafePointer(p + layout[l - 1].a), 1)
                backwardKernel(StepLayer(p, layout[l]), below: below, activations[l - 1], input: input, stride: stride,
                               lambda: run.lambda, alpha: run.alpha)
                l -= 1
            }
            epochCost += J
            steps += 1
            if run.stops(after: epochCost) { break }
        }
        return steps
    }

    /// The epochs of `sampleEpochs` for any network, with `layerByLayerSteps`; the
    /// parameters are the first `parameterCount` numbers at p.
    static func layerByLayerEpochs(
        _ p: UnsafeMutablePointer<Double>, parameterCount: Int, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: parameterCount) {
            layerByLayerEpochs(p, FusedEpochs.Parameters(p: p, saved: $0.baseAddress!, count: parameterCount),
                               layout, activations, run, &epochs)
        }
    }

    /// `layerByLayerEpochs` with room for the saved parameters.
    @inline(never)
    private static func layerByLayerEpochs(
        _ p: UnsafeMutablePointer<Double>, _ parameters: FusedEpochs.Parameters,
        _ layout: UnsafeBufferPointer<LayerLayout>, _ activations: UnsafeBufferPointer<Activation>,
        _ run: SampleRun, _ epochs: inout FusedEpochs
    ) -> TrainingStop {
        var correct = 0
        return epochs.run(parameters, cancel: run.cancel, sumOfSquaredWeights: {
            Trace.sumOfSquaredWeights(UnsafePointer(p), layout)
        }, steps: { samples, epochCost in
            layerByLayerSteps(p, layout, activations, run, samples, correct: &correct, epochCost: &epochCost)
        })
    }
}
