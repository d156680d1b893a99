/// How many samples each gradient-descent step uses.
public enum BatchSize: Equatable, Sendable {
    /// One sample per step (stochastic gradient descent).
    case stochastic
    /// m samples per step; the last batch of an epoch may be smaller.
    case mini(Int)
    /// All N samples per step: the lecture's batch gradient descent.
    case full

    func size(of n: Int) -> Int {
        switch self {
        case .stochastic: return 1
        case .mini(let m): return min(max(m, 1), n)
        case .full: return n
        }
    }
}

/// The settings of a training run.
public struct TrainingOptions: Equatable, Sendable {
    public var epochs: Int
    /// α > 0, the learning rate.
    public var alpha: Double
    public var batch: BatchSize
    public var objective: Objective
    /// Visit the samples in a new random order each epoch (from `seed`), or in order.
    public var shuffle: Bool
    public var seed: UInt64
    /// Whether layer 1 may skip the zero inputs when most inputs are zero (`SparseInput`):
    /// the same sums without their zero terms, so the same numbers up to the order of
    /// the roundings. False keeps every product dense (to compare the two).
    public var sparseInputs: Bool

    public init(epochs: Int = 100, alpha: Double = 0.5, batch: BatchSize = .full,
                objective: Objective = Objective(), shuffle: Bool = true, seed: UInt64 = 1,
                sparseInputs: Bool = true) {
        self.epochs = epochs
        self.alpha = alpha
        self.batch = batch
        self.objective = objective
        self.shuffle = shuffle
        self.seed = seed
        self.sparseInputs = sparseInputs
    }
}

/// Where a run is, reported after every epoch and every `TrainingProgress.batchInterval`
/// batches within an epoch.
public struct TrainingProgress: Sendable {
    /// The epoch under way or just finished, 1-based.
    public let epoch: Int
    public let epochs: Int
    /// Samples visited since the run started.
    public let samplesSeen: Int
    /// Whether `epoch` has just finished.
    public let isEpochEnd: Bool
    /// J over the epoch so far: s Σ_k J⁽ᵏ⁾ of every sample visited (each measured before
    /// the step it took part in) + λ/2 Σθ² of the weights at the start of the epoch. With
    /// batch=all this is exactly J of the weights at the start of the epoch.
    public let J: Double
    /// The fraction of the samples visited in the epoch so far whose predicted class was
    /// right, each measured by the forward pass of the step it took part in (like J).
    public let trainingAccuracy: Double
    /// At the end of an epoch, when a test set was given: the fraction of it the network
    /// classifies right with the weights at the end of the epoch. Measured after the
    /// last epoch and whenever 4 × |test| samples were trained since the last time
    /// (every epoch when the test set is at most a quarter of the training set), so that
    /// measuring costs at most about a tenth of training; nil at the other epoch ends.
    public let testAccuracy: Double?

    public static let batchInterval = 256
}

/// Why a run stopped early because the numbers blew up.
public enum Divergence: Equatable, Sendable {
    /// J became NaN or infinite.
    case nonFiniteCost
    /// A weight or bias became NaN or infinite.
    case nonFiniteWeights
    /// J grew more than a hundredfold over the first epoch's.
    case exploding(from: Double, to: Double)
}

/// How a run ended.
public enum TrainingStop: Equatable, Sendable {
    case completed
    /// The cancellation flag was set; the weights of the last finished step are kept.
    case cancelled
    /// The run diverged in `epoch`; the weights from the start of that epoch (the last
    /// finite ones) were restored.
    case diverged(Divergence, epoch: Int)
}

/// The outcome of `train`.
public struct TrainingResult: Equatable, Sendable {
    public let stop: TrainingStop
    /// J of each finished epoch (see `TrainingProgress.J`).
    public let history: [Double]
    public let epochsCompleted: Int
    public let samplesSeen: Int
}

extension Network {
    /// Gradient descent over `data`, epoch after epoch: for each batch B of the epoch
    /// (in order, or shuffled from the seed),
    ///
    ///     forward, J, backward on B,   Θ⁽ˡ⁾ ← Θ⁽ˡ⁾ − α ∂J/∂Θ⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − α ∂J/∂b⁽ˡ⁾
    ///
    /// with the same `Trace.forward`/`backward` the step-through uses (one sample at a time
    /// on a small network, the same arithmetic fused into runs of steps, to the same bits:
    /// `Trace.sampleEpochs`, `Trace.sampleSteps`). Stops early when `cancel` is set
    /// (keeping the weights) or when J or a weight stops being finite (restoring the
    /// weights from the start of that epoch).
    ///
    /// With `progress`, the run also counts the samples it classifies right (the class of
    /// an output is `Evaluation.classOf`), and with a `test` set as well, measures the
    /// test set's accuracy at the end of epochs (see `TrainingProgress.testAccuracy`).
    public mutating func train(
        on data: Dataset, test: Dataset? = nil, options: TrainingOptions, cancel: CancellationFlag? = nil,
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws(EngineError) -> TrainingResult {
        try train(on: data, test: test, options: options, cancel: cancel, fusingSampleSteps: true, progress: progress)
    }

    /// `train`, with `fusingSampleSteps: false` keeping every step on the general path
    /// (`Trace.step`) even where `Trace.sampleSteps` would take one sample at a time: the
    /// switch exists for the tests that check the two give the same bits.
    mutating func train(
        on data: Dataset, test: Dataset?, options: TrainingOptions, cancel: CancellationFlag?,
        fusingSampleSteps: Bool, progress: ((TrainingProgress) -> Void)?
    ) throws(EngineError) -> TrainingResult {
        guard data.x.rows == sizes[0] else {
            throw .shapeMismatch(what: "x", expectedRows: sizes[0], expectedCols: data.count,
                                 rows: data.x.rows, cols: data.count)
        }
        guard data.y.rows == sizes[L] else {
            throw .shapeMismatch(what: "y", expectedRows: sizes[L], expectedCols: data.count,
                                 rows: data.y.rows, cols: data.count)
        }
        guard options.epochs >= 1 else {
            throw .invalidParameter(name: "epochs", value: Double(options.epochs), requirement: "epochs ≥ 1")
        }
        guard options.alpha > 0 && options.alpha.isFinite else {
            throw .invalidParameter(name: "alpha", value: options.alpha, requirement: "α > 0")
        }
        if case .mini(let m) = options.batch, m < 1 {
            throw .invalidParameter(name: "batch", value: Double(m), requirement: "batch ≥ 1")
        }
        try validate(options.objective)
        if let test, test.x.rows != sizes[0] || test.y.rows != sizes[L] {
            throw .shapeMismatch(what: "test x", expectedRows: sizes[0], expectedCols: test.count,
                                 rows: test.x.rows, cols: test.count)
        }
        let countCorrect = progress != nil

        let n = data.count
        let m = options.batch.size(of: n)
        let objective = options.objective
        var order = Array(0..<n)
        var generator = SeededGenerator(seed: options.seed)
        // The workspace holds the weights during the run; they are copied back into the
        // network when the run stops.
        var trace = Trace(sizes: sizes, batchSize: m, bias: hasBias)
        trace.setParameters(from: self)
        // Mostly zero inputs: layer 1 over the nonzero ones, Θ⁽¹⁾ held transposed there
        // (`sync` puts it back into the trace wherever the trace's weights are read).
        var sparse = trainsOverNonzeroInputs(data, options: options) ? SparseInput(for: trace) : nil
        func sync() { sparse?.giveWeights(to: &trace) }
        var history: [Double] = []
        history.reserveCapacity(options.epochs)
        var seen = 0
        var lastGood: [Double] = []
        var trainedSinceTest = 0
        // Split steps or not, as measured (`SplitChoice`); the worker stays awake between
        // steps while they are split or measured.
        // Over nonzero inputs only the batches whose samples are cut in halves too are
        // worth two threads: with the forward pass on one thread, the steps of Θ⁽¹⁾ alone
        // in halves ran slower than one thread (784-30-10 in batches of 10: 133–178 k
        // samples/s against 172–180 k, measured one after the other).
        // Batches over nonzero inputs too small to cut in halves have the next batch's
        // inputs listed beside each step instead (`stepListingAhead`).
        let listsAhead = sparse != nil && !trace.splitsColumns(m)
        let mayRunInHalves = sparse != nil ? trace.splitsColumns(m) || listsAhead : trace.splits(m)
        var splitChoice = SplitChoice(active: mayRunInHalves && trace.runsHalvesInParallel)
        defer { splitChoice.finish() }
        // Layer 1 cut by units: runs of split steps side by side on the two threads, one
        // meeting a step (`pairedSteps`), each run up to where this loop has to look. Steps
        // cut by units read a batch in order where it lies in x, and in a copy of x by
        // samples for small data sets (`InputsBySamples`).
        let paired = sparse == nil && trace.pairsSteps(m) && trace.runsHalvesInParallel
            ? PairedWorkspace(for: trace, steps: TrainingProgress.batchInterval) : nil
        let bySamples = sparse == nil && trace.splitsUnits && trace.splits(m) ? InputsBySamples(data.x) : nil
        // One sample at a time on a small network: the steps fused (`Trace.sampleEpochs`,
        // `Trace.sampleSteps`).
        let fused = fusingSampleSteps && trace.fusesSampleSteps(m)

        func stop(_ reason: TrainingStop) -> TrainingResult {
            TrainingResult(stop: reason, history: history, epochsCompleted: history.count, samplesSeen: seen)
        }

        // Nothing to report: every epoch runs fused, with what this loop does between
        // epochs done the same way there.
        if fused && progress == nil {
            let reason = trace.sampleEpochs(
                x: data.x, y: data.y, epochs: options.epochs, shuffle: options.shuffle, objective: objective,
                alpha: options.alpha, cancel: cancel, order: &order, generator: &generator, history: &history,
                seen: &seen)
            trace.copyParameters(into: &self)
            return stop(reason)
        }

        for epoch in 1...options.epochs {
            trace.saveParameters(into: &lastGood)
            let penalty = objective.lambda == 0 ? 0 : objective.lambda / 2 * trace.sumOfSquaredWeights
            if options.shuffle { Network.shuffle(&order, &generator) }
            var epochCost = 0.0
            var correct = 0
            var batchIndex = 0
            var start = 0
            var listed = 0
            if listsAhead { trace.list(order.span.extracting(0..<min(m, n)), of: data.x, sparse: &sparse!) }
            while start < n {
                if fused {
                    // Up to where this loop has to look: a progress report, the epoch's end.
                    let interval = TrainingProgress.batchInterval
                    let end = min(n, start + interval - batchIndex % interval)
                    let steps = trace.sampleSteps(x: data.x, y: data.y, samples: order.span.extracting(start..<end),
                                                  objective: objective, alpha: options.alpha,
                                                  countingCorrect: countCorrect, correct: &correct,
                                                  epochCost: &epochCost, cancel: cancel)
                    start += steps
                    seen += steps
                    batchIndex += steps
                } else {
                    let count = min(m, n - start)
                    trace.splitAllowed = mayRunInHalves && splitChoice.nextStepSplits()
                    let columns = order.span.extracting(start..<(start + count))
                    let interval = TrainingProgress.batchInterval
                    let run = min((n - start) / m, interval - batchIndex % interval)
                    var batches = 1  // stepped here, of `count` samples each
                    if let paired, trace.splitAllowed, run >= 1,
                       let done = order.withUnsafeBufferPointer({ order in
                           trace.pairedSteps(
                               x: data.x, y: data.y, order: UnsafeBufferPointer(rebasing: order[start..<(start + run * m)]),
                               steps: run, batchSize: m, objective: objective, alpha: options.alpha,
                               countingCorrect: countCorrect, workspace: paired, bySamples: bySamples)
                       }) {
                        for s in 0..<done {
                            epochCost += paired.costs[s]
                            if countCorrect { correct += paired.rights[s] }
                        }
                        batches = done  // full batches: count = m
                        splitChoice.countSteps(done - 1)
                    } else if listsAhead {
                        let next = (start + count)..<min(n, start + count + m)
                        epochCost += trace.stepListingAhead(
                            x: data.x, y: data.y, order: order.span, batch: start..<(start + count), listed: listed,
                            next: next, objective: objective, alpha: options.alpha, countingCorrect: countCorrect,
                            correct: &correct, sparse: &sparse!)
                        listed = 1 - listed
                    } else if sparse != nil {
                        epochCost += trace.step(x: data.x, y: data.y, columns: columns, objective: objective,
                                                alpha: options.alpha, countingCorrect: countCorrect,
                                                correct: &correct, sparse: &sparse!)
                    } else {
                        epochCost += trace.step(x: data.x, y: data.y, columns: columns, objective: objective,
                                                alpha: options.alpha, countingCorrect: countCorrect,
                                                correct: &correct, bySamples: bySamples)
                    }
                    start += batches * count
                    seen += batches * count
                    batchIndex += batches
                }
                if !epochCost.isFinite {
                    trace.restoreParameters(from: lastGood)
                    trace.copyParameters(into: &self)
                    return stop(.diverged(.nonFiniteCost, epoch: epoch))
                }
                if let cancel, cancel.isSet {
                    sync()
                    trace.copyParameters(into: &self)
                    return stop(.cancelled)
                }
                if let progress, batchIndex % TrainingProgress.batchInterval == 0, start < n {
                    progress(TrainingProgress(epoch: epoch, epochs: options.epochs, samplesSeen: seen,
                                              isEpochEnd: false,
                                              J: Network.epochJ(epochCost, start, objective, penalty),
                                              trainingAccuracy: Double(correct) / Double(start), testAccuracy: nil))
                }
            }
            let J = Network.epochJ(epochCost, n, objective, penalty)
            sync()
            if let divergence = Network.divergence(parametersAreFinite: trace.parametersAreFinite, J: J,
                                                   first: history.first) {
                trace.restoreParameters(from: lastGood)
                trace.copyParameters(into: &self)
                return stop(.diverged(divergence, epoch: epoch))
            }
            history.append(J)
            if let progress {
                var testAccuracy: Double?
                trainedSinceTest += n
                if let test, trainedSinceTest >= 4 * test.count || epoch == options.epochs {
                    trainedSinceTest = 0
                    trace.copyParameters(into: &self)
                    testAccuracy = try evaluate(test, objective: objective).accuracy
                }
                progress(TrainingProgress(epoch: epoch, epochs: options.epochs, samplesSeen: seen,
                                          isEpochEnd: true, J: J, trainingAccuracy: Double(correct) / Double(n),
                                          testAccuracy: testAccuracy))
            }
        }
        trace.copyParameters(into: &self)
        return stop(.completed)
    }

    /// Whether `train` on `data` with `options` runs layer 1 over the nonzero inputs only
    /// (most inputs of `data` are zero, layer 1 is large, and `options.sparseInputs`).
    public func trainsOverNonzeroInputs(_ data: Dataset, options: TrainingOptions) -> Bool {
        options.sparseInputs && SparseInput.suits(data.x, sizes: sizes)
    }
}

extension Trace {
    /// One training step on the batch `columns` of (x, y), all on the trace's buffer:
    /// load the batch, forward, J, backward, then Θ ← Θ − α ∂J/∂Θ, b ← b − α ∂J/∂b on
    /// the trace's parameters. Returns Σ_k cost of the batch before the step (unscaled,
    /// without the λ term).
    /// With `countingCorrect`, adds to `correct` the number of samples whose predicted
    /// class was right.
    mutating func step(
        x: Matrix, y: Matrix, columns: Span<Int>, objective: Objective, alpha: Double,
        countingCorrect: Bool, correct: inout Int, bySamples: InputsBySamples? = nil
    ) -> Double {
        precondition(columns.count <= capacity && x.rows == layout[0].n && y.rows == layout[L].n)
        let m = columns.count
        batchSize = m
        self.objective = objective
        let a0 = layout[0].a, yOffset = yOffset, parameters = parameterCount
        let splitColumns = splitsColumns(m), splitRows = splits(m), parallel = runsHalvesInParallel
        let output = layout[L]
        let splitUnits = splitRows && splitsUnits
        let cost = withBuffer { p, layout, activations in
            Trace.gather(columns, of: y, into: p + yOffset)
            if splitUnits {
                // A batch in order is read where it lies in x (`BatchInputs`).
                return columns.withUnsafeBufferPointer { columns in
                    x.elements.withUnsafeBufferPointer { elements in
                        let inputs = BatchInputs(columns, of: x, elements.baseAddress!, bySamples: bySamples)
                        if inputs == nil { Trace.gather(columns.span, of: x, into: p + a0) }
                        return Trace.stepCuttingUnits(p, layout, activations, m, yOffset, parameters, objective,
                                                      alpha: alpha, parallel: parallel, x: inputs)
                    }
                }
            }
            Trace.gather(columns, of: x, into: p + a0)
            if splitColumns {
                Trace.inHalves(parallel: parallel) { part, parts in
                    let columns = Trace.columnShare(m, part, parts)
                    Trace.forward(p, layout, activations, m, columns: columns)
                    Trace.errors(p, layout, activations, yOffset, m, objective.cost, columns: columns)
                }
            } else {
                Trace.forward(p, layout, activations, m, columns: 0..<m)
                Trace.errors(p, layout, activations, yOffset, m, objective.cost, columns: 0..<m)
            }
            let cost = Trace.dataCost(p, output, yOffset, output.n * m, objective.cost)
            if splitRows {
                Trace.inHalves(parallel: parallel) { part, parts in
                    Trace.gradients(p, layout, parameters, m, objective, part: part, of: parts, descending: alpha)
                }
            } else {
                Trace.gradients(p, layout, parameters, m, objective, part: 0, of: 1, descending: alpha)
            }
            return cost
        }
        // The step changed the parameters only: a⁽ᴸ⁾ and y are still the batch's.
        if countingCorrect {
            correct += storage.withUnsafeBufferPointer { Trace.correctCount($0.baseAddress!, output, yOffset, m) }
        }
        // The parameters moved: the trace no longer describes them.
        hasCost = false
        hasBackward = false
        return cost
    }
}
