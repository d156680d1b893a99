import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the two threads of `Trace.pairedSteps` share: the worker's own copy of the
/// trace's buffer (the same layout, on the same 64-byte boundaries), the rows of a⁽¹⁾
/// they pass each other every step, and how far each has got.
final class PairedWorkspace: @unchecked Sendable {
    /// A step counter, padded so that the threads' counters never share a cache line:
    /// each thread's arrivals (the number of the step whose rows of a⁽¹⁾ it has written),
    /// and where the worker stopped.
    final class Counter: @unchecked Sendable {
        let step = Atomic<Int>(0)
        /// The turns this thread spun waiting for the other in the last run (written by
        /// the thread, read by the caller once the run is over).
        var spins = 0
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// The worker's buffer: as many doubles as the trace's, starting at the same offset
    /// from a 64-byte boundary, so that the trace's layout fits it.
    let buffer: UnsafeMutablePointer<Double>
    /// Two regions (by step parity) that hold a step's a⁽¹⁾ (n₁ × m: each thread writes
    /// its rows there, and both read all of it there) and where each thread leaves its
    /// columns of Θ⁽²⁾ (n₂ × n₁ after a⁽¹⁾). A thread writes a region again two steps
    /// later, after the meeting of the step in between: the other has read it by then.
    let exchange: UnsafeMutablePointer<Double>
    /// The doubles of one exchange region.
    let region: Int
    let arrivals = [Counter(), Counter()]
    /// The number of steps after which the worker stopped early (a cost that is not
    /// finite), Int.max while it goes on.
    let stoppedAfter = Counter()
    /// The most steps of one run, and where a run leaves Σ_k cost and the number of right
    /// answers of each of its steps (the caller adds them up in order).
    let capacity: Int
    let costs: UnsafeMutableBufferPointer<Double>
    let rights: UnsafeMutableBufferPointer<Int>
    /// Layer 1's units of the caller's thread, 0 ..< cut; the worker's are cut ..< n₁.
    /// Half each at first; moved after each run toward the thread that waited more
    /// (`balance`), since on a shared machine one processor may run slower than the
    /// other for a while. Where layer 1 is cut changes no number. 1 … n₁ − 1.
    var cut: Int {
        didSet { precondition(cut >= 1 && cut < units, "each thread keeps some of layer 1's units") }
    }
    private let units: Int
    /// Whether the cut may move: when layer 1's products in halves all run in
    /// `SmallProduct`'s tiles, which compute each element the same way in a product of
    /// any size, so that every cut gives the bits of the halves (`stepCuttingUnits`).
    /// The threads' products then stay in the tiles wherever the cut is.
    let balances: Bool
    private let raw: UnsafeMutableRawPointer

    /// A workspace for `trace` (its buffer's size and alignment, its layer 1 and m), for
    /// runs of up to `steps` steps.
    init(for trace: Trace, steps: Int) {
        capacity = steps
        costs = .allocate(capacity: steps)
        costs.initialize(repeating: .nan)
        rights = .allocate(capacity: steps)
        rights.initialize(repeating: 0)
        let count = trace.storage.count
        let misalignment = trace.storage.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress!) % 64 }
        let first = trace.layout[1], second = trace.layout[2]
        units = first.n
        cut = first.n >> 1
        stoppedAfter.step.store(Int.max, ordering: .relaxed)
        let m = trace.capacity, n0 = trace.layout[0].n, n2 = second.n
        func tiled(_ transA: Bool, _ transB: Bool, _ rows: Int, _ columns: Int, _ depth: Int) -> Bool {
            rows * columns * depth > MatrixMultiply.tinyProduct
                && SmallProduct.takes(transA: transA, transB: transB, m: rows, n: columns, k: depth)
        }
        balances = [first.n >> 1, first.n - first.n >> 1].allSatisfy { r in
            tiled(false, false, r, m, n0) && tiled(true, false, r, m, n2) && tiled(false, true, r, n0, m)
                && tiled(false, true, n2, r, m)
        }
        region = (first.n * trace.capacity + second.n * second.k + 7) & ~7
        let exchangeOffset = (64 + 8 * count + 63) / 64 * 64
        raw = .allocate(byteCount: exchangeOffset + 8 * 2 * region, alignment: 64)
        buffer = (raw + misalignment).bindMemory(to: Double.self, capacity: count)
        buffer.initialize(repeating: 0, count: count)
        exchange = (raw + exchangeOffset).bindMemory(to: Double.self, capacity: 2 * region)
        exchange.initialize(repeating: 0, count: 2 * region)
    }

    deinit {
        raw.deallocate()
        costs.deallocate()
        rights.deallocate()
    }

    /// The most turns of one wait that `balance` counts (a few microseconds).
    static let turnsCounted = 4096

    /// Thread `part`'s units of layer 1.
    func units(_ part: Int) -> Range<Int> {
        part == 0 ? 0..<cut : cut..<units
    }

    /// Thread `part` has passed on its rows of step `step` (1-based); waits until the
    /// other has too, adding the turns to `spins`, at most `turnsCounted`: a wait longer
    /// than that is the other thread losing its processor for a while, not a share of
    /// work too large, and would move the cut on one stall. False when the worker
    /// stopped before that step instead.
    @inline(__always)
    func meet(_ part: Int, at step: Int, spins: inout Int) -> Bool {
        arrivals[part].step.store(step, ordering: .releasing)
        let other = arrivals[1 - part]
        var turns = 0
        defer { spins &+= Swift.min(turns, PairedWorkspace.turnsCounted) }
        while true {
            let reached = other.step.load(ordering: .acquiring)
            if reached >= step { return true }
            if stoppedAfter.step.load(ordering: .acquiring) < step { return false }
            turns &+= 1
            if turns & 1023 == 0 { sched_yield() }  // let a descheduled thread go on
        }
    }

    /// After a run of `steps` steps: moves 4 units (a tile's rows) of layer 1 to the
    /// thread that waited more, when it waited more than twice as long as the other and
    /// over 200 turns a step, keeping 4 units or more on each side (when it `balances`).
    func balance(steps: Int) {
        guard balances else { return }
        let caller = arrivals[0].spins, worker = arrivals[1].spins
        let enough = 200 * steps
        if caller > 2 * worker && caller > enough && cut + 4 <= units - 4 {
            cut += 4
        } else if worker > 2 * caller && worker > enough && cut - 4 >= 4 {
            cut -= 4
        }
    }
}

extension Trace {
    /// Whether `pairedSteps` may train batches of m samples: layer 1 cut by units
    /// (`splitsUnits`) and the steps large enough to split (`splits`).
    func pairsSteps(_ m: Int) -> Bool {
        splitsUnits && splits(m) && layout[1].n >= 2
    }

    /// `steps` training steps of m samples each, batch s the columns
    /// order[s·m ..< (s + 1)·m], on the two threads of `ThreadPair` side by side, each
    /// with its own copy of the buffer (`workspace`). As in `stepCuttingUnits`, each
    /// thread owns half of layer 1's units: its rows of z⁽¹⁾, a⁽¹⁾, δ⁽¹⁾, Θ⁽¹⁾ and b⁽¹⁾.
    /// Every step, the threads meet once (each has written its rows of a⁽¹⁾ into the shared
    /// exchange); then each runs the layers above on its own copy, the same sums on the same numbers:
    ///
    ///     both:  z⁽¹⁾ᵢ = Θ⁽¹⁾ᵢ a⁽⁰⁾ + b⁽¹⁾ᵢ,  a⁽¹⁾ᵢ = g(z⁽¹⁾ᵢ)               i in its half
    ///            ── meeting: all of a⁽¹⁾ is in the exchange ──
    ///     both:  layers 2 … L forward, δ⁽ᴸ⁾ … δ⁽²⁾, the steps of Θ⁽ˡ⁾, b⁽ˡ⁾ for l ≥ 2
    ///            δ⁽¹⁾ᵢ = ((Θ⁽²⁾)ᵀ δ⁽²⁾)ᵢ ⊙ g′(z⁽¹⁾ᵢ), the steps of Θ⁽¹⁾ᵢ, b⁽¹⁾ᵢ   i in its half
    ///
    /// so one meeting a step instead of the four hand-overs of `stepCuttingUnits`, for
    /// the layers above layer 1 computed twice. Every element is the sum `step` computes,
    /// in the same order: the weights come out as those of `step`, to the bit.
    /// Writes Σ_k cost of batch s (unscaled, as `step` returns it) to the workspace's
    /// costs[s] and, with `countingCorrect`, its number of right answers to rights[s].
    /// Stops after a step whose cost is not finite. Returns the number of steps done;
    /// nil when nothing ran (the pair busy, or no pair on one processor).
    mutating func pairedSteps(
        x: Matrix, y: Matrix, order: UnsafeBufferPointer<Int>, steps: Int, batchSize m: Int,
        objective: Objective, alpha: Double, countingCorrect: Bool, workspace: PairedWorkspace,
        bySamples: InputsBySamples? = nil
    ) -> Int? {
        precondition(m <= capacity && order.count >= steps * m && steps <= workspace.capacity && pairsSteps(m)
                     && x.rows == layout[0].n && y.rows == layout[L].n)
        precondition(bySamples.map { $0.fits(x) } ?? true)
        guard let pair = ThreadPair.shared else { return nil }
        batchSize = m
        self.objective = objective
        let yOffset = yOffset, count = parameterCount, first = layout[1]
        let half = workspace.units(1)
        workspace.arrivals[0].step.store(0, ordering: .relaxed)
        workspace.arrivals[1].step.store(0, ordering: .relaxed)
        workspace.stoppedAfter.step.store(Int.max, ordering: .relaxed)
        var done = [0, 0]
        let ran = withBuffer { p, layout, activations in
            workspace.buffer.update(from: p, count: count)
            let ran = done.withUnsafeMutableBufferPointer { done in
                x.elements.withUnsafeBufferPointer { elements in
                    pair.runTogether { part in
                        done[part] = Trace.pairedPart(
                            part, part == 0 ? p : workspace.buffer, layout, activations, m, yOffset, count,
                            objective, alpha, x: x, elements: elements.baseAddress!, bySamples: bySamples, y: y,
                            order: order, steps: steps, workspace: workspace, countingCorrect: countingCorrect)
                    }
                }
            }
            guard ran else { return false }
            // The worker's rows of Θ⁽¹⁾ and b⁽¹⁾, and columns of Θ⁽²⁾, back into the trace.
            Trace.passColumns(half, of: layout[2], from: workspace.buffer + layout[2].theta, to: p + layout[2].theta)
            let theta = first.theta + half.lowerBound * first.k
            (p + theta).update(from: workspace.buffer + theta, count: half.count * first.k)
            if first.b >= 0 {
                (p + first.b + half.lowerBound).update(from: workspace.buffer + first.b + half.lowerBound,
                                                       count: half.count)
            }
            workspace.balance(steps: steps)
            return true
        }
        hasCost = false
        hasBackward = false
        return ran ? done[0] : nil
    }

    /// Columns `columns` of Θ⁽ˡ⁾ (`layer`'s weights out of those units of layer l − 1)
    /// from the matrix at `source` to the one at `destination` (n_l × n_(l−1) each).
    @inline(__always)
    static func passColumns(
        _ columns: Range<Int>, of layer: LayerLayout, from source: UnsafePointer<Double>,
        to destination: UnsafeMutablePointer<Double>
    ) {
        for i in 0..<layer.n {
            let offset = i * layer.k + columns.lowerBound
            (destination + offset).update(from: source + offset, count: columns.count)
        }
    }

    /// Thread `part`'s side of `pairedSteps`, on its buffer p. Returns the steps done.
    // swiftlint:disable:next function_parameter_count
    @inline(__always)
    static func pairedPart(
        _ part: Int, _ p: UnsafeMutablePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>,
        _ activations: UnsafeBufferPointer<Activation>, _ m: Int, _ yOffset: Int, _ count: Int,
        _ objective: Objective, _ alpha: Double, x: Matrix, elements: UnsafePointer<Double>,
        bySamples: InputsBySamples?, y: Matrix, order: UnsafeBufferPointer<Int>, steps: Int,
        workspace: PairedWorkspace, countingCorrect: Bool
    ) -> Int {
        let units = layout[1].n, L = layout.count - 1, output = layout[L]
        let mine = workspace.units(part), theirs = workspace.units(1 - part)
        var spins = 0
        defer { workspace.arrivals[part].spins = spins }
        let second = layout[2], costs = workspace.costs, rights = workspace.rights
        let tiles = workspace.balances
        for s in 0..<steps {
            let columns = UnsafeBufferPointer(rebasing: order[(s * m)..<(s * m + m)])
            let inputs = BatchInputs(columns, of: x, elements, bySamples: bySamples)
            if inputs == nil { gather(columns.span, of: x, into: p + layout[0].a) }
            gather(columns.span, of: y, into: p + yOffset)
            // a⁽¹⁾ lives in the exchange (both halves, n₁ × m): each thread writes its rows
            // there and reads the other's there, with no copy.
            let exchange = workspace.exchange + (s & 1) * workspace.region
            forward(p, layout, activations, m, units: mine, x: inputs, tiles: tiles, a1: exchange)
            passColumns(mine, of: second, from: p + second.theta, to: exchange + units * m)
            guard workspace.meet(part, at: s + 1, spins: &spins) else { return s }
            passColumns(theirs, of: second, from: exchange + units * m, to: p + second.theta)
            forward(p, layout, activations, m, columns: 0..<m, from: 2, input: exchange)
            errors(p, layout, activations, yOffset, m, objective.cost, columns: 0..<m, downTo: 2)
            var cost = 0.0
            // The worker sums the cost, the caller counts the right answers (when counting):
            // both have the batch's a⁽ᴸ⁾ and y, and the caller's thread goes on to the next
            // step's bookkeeping after the run.
            if part == 1 {
                cost = dataCost(p, output, yOffset, output.n * m, objective.cost)
                costs[s] = cost
            } else if countingCorrect {
                rights[s] = correctCount(p, output, yOffset, m)
            }
            if L >= 3 {
                gradients(p, layout, count, m, objective, part: 0, of: 1, descending: alpha, from: 3)
            }
            errors(p, layout, activations, m, layer: 1, units: mine, tiles: tiles, a: exchange)
            gradients(p, layout, count, m, objective, part: part, of: 2, descending: alpha, through: 1, x: inputs,
                      units: mine, tiles: tiles)
            gradients(p, layout, count, m, objective, layer: 2, inputs: mine, bias: true, descending: alpha,
                      tiles: tiles, input: exchange)
            if part == 1 && !cost.isFinite {
                workspace.stoppedAfter.step.store(s + 1, ordering: .releasing)
                return s + 1
            }
        }
        return steps
    }
}

