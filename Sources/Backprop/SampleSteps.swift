/// Training one sample at a time (batch 1) on a small network, fused: runs of
/// consecutive steps
///
///     a⁽⁰⁾ = x⁽ᵏ⁾,  z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ (+ b⁽ˡ⁾),  a⁽ˡ⁾ = g(z⁽ˡ⁾),  J⁽ᵏ⁾ = Σᵢ cost(yᵢ⁽ᵏ⁾, aᵢ⁽ᴸ⁾)
///     δ⁽ᴸ⁾ … δ⁽¹⁾,   Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾
///
/// in one call, with everything that stays the same from one step to the next (the
/// layout, the activations, where x and y are) set up once, x and y read where they are
/// (column k of the data set), and each product written as the plain loop it is for one
/// sample (no `gemm` dispatch, no gather): `sampleSteps` up to where `Network.train` has
/// to look (a progress report, the end of an epoch), `sampleEpochs` for a whole run when
/// there is nothing to report.
///
/// It is an optimisation of `Trace.step` and nothing else: every number is computed with
/// the same operations in the same order as the general path (`forward`, `errors`,
/// `gradients` through `MatrixMultiply.tiny` or `loops`, `gradientStep`), so a run gives
/// the same bits either way (see `forwardKernel`, `outputErrors`, `backwardKernel`).
/// What differs is only what is kept: the step of layer l runs as soon as δ⁽ˡ⁻¹⁾ has
/// taken its share of the old Θ⁽ˡ⁾ (nothing else reads Θ⁽ˡ⁾ after that), ∂J/∂Θ is not
/// stored, and x and y are not copied into the trace.
extension Trace {
    /// Networks of at most this many weights (Σ_l n_l n_(l−1)) train one sample at a time
    /// fused: their products for one sample stay far below the tuned kernel's
    /// (`MatrixKernel.externalThreshold`), so the general path runs the same loops, only
    /// with the set-up of a whole step around each product.
    static let fusedWeightLimit = 1024

    /// Whether steps over m samples may run fused.
    func fusesSampleSteps(_ m: Int) -> Bool {
        m == 1 && capacity == 1 && weightCount <= Trace.fusedWeightLimit
    }

    /// What stays the same over a run of fused steps.
    struct SampleRun {
        /// x (n₀ × N) and y (n_L × N), row-major: sample k's xⱼ at x[j · N + k].
        let x: UnsafePointer<Double>, y: UnsafePointer<Double>
        /// N, the row stride of x and y.
        let count: Int
        let cost: Cost
        let lambda: Double, alpha: Double
        let countingCorrect: Bool
        let cancel: CancellationFlag?

        /// Sample index k, checked to be one of the data set's (0 ..< N).
        @inline(__always)
        func sample(_ k: Int) -> Int {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: count), "sample index out of range")
            return k
        }

        /// Whether the run stops after a step whose running epoch cost is `total`: when it
        /// is not finite, or when the cancellation flag is set.
        @inline(__always)
        func stops(after total: Double) -> Bool {
            if !total.isFinite { return true }
            if let cancel, cancel.isSet { return true }
            return false
        }
    }

    /// One training step per entry k of `samples`, in order, on sample k of (x, y) (x is
    /// n₀ × N, y is n_L × N): the same as `step` on the one column k each time. Adds each
    /// step's Σᵢ cost (before its step, unscaled, without the λ term) to `epochCost`, and
    /// with `countingCorrect` counts the samples whose predicted class was right in
    /// `correct`.
    ///
    /// Stops after the step that makes `epochCost` non-finite, or after a step when
    /// `cancel` is set. Returns the number of steps taken.
    mutating func sampleSteps(
        x: Matrix, y: Matrix, samples: Span<Int>, objective: Objective, alpha: Double,
        countingCorrect: Bool, correct: inout Int, epochCost: inout Double, cancel: CancellationFlag?
    ) -> Int {
        withSampleRun(x: x, y: y, objective: objective, alpha: alpha, countingCorrect: countingCorrect,
                      cancel: cancel) { p, layout, activations, run in
            Trace.layerByLayerSteps(p, layout, activations, run, samples, correct: &correct, epochCost: &epochCost)
        }
    }

    /// Epochs 1 … `epochs` of `Network.train` with nothing to report (no progress), every
    /// step fused: at the start of each epoch the parameters are saved, λ/2 Σθ² taken and
    /// `order` shuffled (with `shuffle`); then one step per sample in that order; at its end
    /// J goes into `history` (empty before), or the run stops as `train` stops it (the
    /// parameters set back to the saved ones when it diverges). `seen` counts the steps.
    /// Returns why the run stopped.
    mutating func sampleEpochs(
        x: Matrix, y: Matrix, epochs: Int, shuffle: Bool, objective: Objective, alpha: Double,
        cancel: CancellationFlag?, order: inout [Int], generator: inout SeededGenerator, history: inout [Double],
        seen: inout Int
    ) -> TrainingStop {
        precondition(history.isEmpty && epochs >= 1)
        let parameterCount = parameterCount
        var stop = TrainingStop.completed
        history = [Double](unsafeUninitializedCapacity: epochs) { buffer, done in
            withSampleRun(x: x, y: y, objective: objective, alpha: alpha, countingCorrect: false,
                          cancel: cancel) { p, layout, activations, run in
                var fused = FusedEpochs(count: epochs, shuffle: shuffle, objective: objective, order: [],
                                        generator: generator, history: buffer.baseAddress!, seen: seen)
                swap(&order, &fused.order)  // (moved in and back: no copies)
                defer {
                    swap(&order, &fused.order)
                    generator = fused.generator
                    seen = fused.seen
                    done = fused.epochsDone
                }
                stop = Trace.oneHiddenLayerEpochs(p, layout, activations, run, &fused)
                    ?? Trace.layerByLayerEpochs(p, parameterCount: parameterCount, layout, activations, run, &fused)
            }
        }
        return stop
    }

    /// body(p, layout, activations, run) on the trace's buffer at p, with the run's
    /// constants, for m = 1; the trace no longer describes its parameters afterwards.
    @inline(__always)
    private mutating func withSampleRun<R>(
        x: Matrix, y: Matrix, objective: Objective, alpha: Double, countingCorrect: Bool, cancel: CancellationFlag?,
        _ body: (UnsafeMutablePointer<Double>, UnsafeBufferPointer<LayerLayout>, UnsafeBufferPointer<Activation>,
                 SampleRun) -> R
    ) -> R {
        let count = x.cols
        precondition(fusesSampleSteps(1) && x.rows == layout[0].n && y.rows == layout[L].n && y.cols == count)
        batchSize = 1
        self.objective = objective
        hasCost = false
        hasBackward = false
        // The buffer moved out while the steps run, so that the layout and the
        // activations may be read meanwhile (no copies of them).
        var buffer: [Double] = []
        swap(&buffer, &storage)
        defer { swap(&buffer, &storage) }
        let layout = self.layout.span, activations = self.activations.span
        let xs = x.elements.span, ys = y.elements.span
        return buffer.withUnsafeMutableBufferPointer { storage in
            layout.withUnsafeBufferPointer { layout in
                activations.withUnsafeBufferPointer { activations in
                    xs.withUnsafeBufferPointer { xs in
                        ys.withUnsafeBufferPointer { ys in
                            body(storage.baseAddress!, layout, activations, SampleRun(
                                x: xs.baseAddress!, y: ys.baseAddress!, count: count, cost: objective.cost,
                                lambda: objective.lambda, alpha: alpha, countingCorrect: countingCorrect,
                                cancel: cancel))
                        }
                    }
                }
            }
        }
    }
}
