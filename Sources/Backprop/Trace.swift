/// Everything one forward and backward pass computes for a batch of m samples, in the
/// lecture's batched form: column k of every matrix is sample k.
///
/// The step-through shell keeps a trace to show and explain it; the training loop
/// reuses one trace as its workspace. Both run the same `forward`, `cost`, `backward`
/// and `descend`.
///
/// All numbers live in one buffer, so that a training step reaches them through a
/// single pointer: the parameters Θ⁽ˡ⁾, b⁽ˡ⁾ the pass used (copied from the network),
/// the gradients ∂J/∂Θ⁽ˡ⁾, ∂J/∂b⁽ˡ⁾ in the same order right after them (so that
/// Θ ← Θ − α ∂J/∂Θ is one loop), then a⁽⁰⁾ = x, y, and z⁽ˡ⁾, a⁽ˡ⁾, δ⁽ˡ⁾ of every layer.
/// Each n × m matrix is stored row-major with row stride m, in a region sized for the
/// largest batch (`capacity`), so a smaller last batch of an epoch reuses the trace.
public struct Trace: Sendable {
    /// Where one layer's numbers are in `storage`. Layer 0 has only `a` (= x).
    struct LayerLayout: Sendable {
        /// n_l and n_(l−1).
        let n: Int, k: Int
        /// Offsets of Θ⁽ˡ⁾ (∂J/∂Θ⁽ˡ⁾ at `theta + parameterCount`) and of b⁽ˡ⁾ (−1 without bias).
        let theta: Int, b: Int
        /// Offsets of the n × capacity regions of z⁽ˡ⁾, a⁽ˡ⁾, δ⁽ˡ⁾.
        let z: Int, a: Int, delta: Int
    }

    /// m, the number of samples (columns).
    public internal(set) var batchSize: Int
    /// The largest m the buffers hold.
    let capacity: Int
    /// The number of weights and biases, P.
    let parameterCount: Int
    /// Σ_l n_l n_(l−1): the multiply-adds of one forward pass for one sample.
    let weightCount: Int
    /// Layers 0 … L.
    let layout: [LayerLayout]
    /// g of layers 1 … L at indices 1 … L.
    var activations: [Activation]
    /// Offset of y, n_L × capacity.
    let yOffset: Int
    var storage: [Double]

    /// J of the batch under `objective` (set by `cost`).
    public internal(set) var J: Double = .nan
    /// The objective J and the gradients were computed under.
    public internal(set) var objective = Objective()
    /// Whether `cost` and `backward` have run since the last `forward`.
    public internal(set) var hasCost = false
    public internal(set) var hasBackward = false

    /// Buffers for a network of `sizes` and batches of up to m samples (∂J/∂b empty
    /// when the network has no bias); parameters zero, every layer sigmoid.
    public init(sizes: [Int], batchSize m: Int, bias: Bool = true) {
        precondition(!sizes.isEmpty && m >= 0, "a trace needs a layer 0 and m ≥ 0")
        batchSize = m
        capacity = m
        self.sizes = sizes
        var layout: [LayerLayout] = []
        var offset = 0
        for l in sizes.indices where l >= 1 {
            let theta = offset
            offset += sizes[l] * sizes[l - 1]
            let b = bias ? offset : -1
            if bias { offset += sizes[l] }
            layout.append(LayerLayout(n: sizes[l], k: sizes[l - 1], theta: theta, b: b, z: 0, a: 0, delta: 0))
        }
        let p = offset
        parameterCount = p
        weightCount = layout.reduce(0) { $0 + $1.n * $1.k }
        // Each n × m region starts on a 64-byte boundary of the buffer, and takes a
        // multiple of 8 doubles: then the two threads of a batch cut in halves of
        // columns (at a multiple of 8, `columnShare`) never write the same cache line.
        // (Regions packed end to end shared a line at every row's cut: for 64-32-10 in
        // batches of 32, two threads ran slower than one.) The boundary is that of the
        // buffer as allocated here; a copy of the trace may lose it, which costs speed,
        // never numbers.
        func whole(_ count: Int) -> Int { (count + 7) & ~7 }
        var total = 2 * p + 7 + whole(sizes[0] * m) + whole(sizes[sizes.count - 1] * m)
        for parameters in layout { total += 3 * whole(parameters.n * m) }
        let storage = [Double](repeating: 0, count: total)
        let address = storage.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress!) }
        offset = 2 * p
        let past = (address + 8 * offset) % 64  // bytes past a boundary: a multiple of 8
        if past != 0 { offset += (64 - past) / 8 }
        var layers = [LayerLayout(n: sizes[0], k: 0, theta: 0, b: -1, z: 0, a: offset, delta: 0)]
        offset += whole(sizes[0] * m)
        yOffset = offset
        offset += whole(sizes[sizes.count - 1] * m)
        for parameters in layout {
            let region = whole(parameters.n * m)
            layers.append(LayerLayout(n: parameters.n, k: parameters.k, theta: parameters.theta, b: parameters.b,
                                      z: offset, a: offset + region, delta: offset + 2 * region))
            offset += 3 * region
        }
        self.layout = layers
        activations = Array(repeating: .sigmoid, count: sizes.count)
        self.storage = storage
    }

    /// L.
    public var L: Int { layout.count - 1 }
    /// n₀ … n_L.
    let sizes: [Int]
    /// Whether the parameters include b⁽ˡ⁾.
    var hasBias: Bool { layout.count > 1 && layout[1].b >= 0 }

    /// Whether this trace's buffers fit `network` and m.
    func fits(_ network: Network, batchSize m: Int) -> Bool {
        m == batchSize && sizes == network.sizes && hasBias == network.hasBias
    }

    // MARK: Reading the numbers

    /// The rows × m matrix stored at `offset`.
    private func matrix(at offset: Int, rows: Int) -> Matrix {
        Matrix(rows: rows, cols: batchSize, elements: Array(storage[offset..<(offset + rows * batchSize)]))
    }

    /// a⁽⁰⁾ … a⁽ᴸ⁾, each n_l × m; a⁽⁰⁾ = x.
    public var a: [Matrix] { layout.map { matrix(at: $0.a, rows: $0.n) } }
    /// z⁽¹⁾ … z⁽ᴸ⁾ at indices 1 … L (index 0 is an empty 0 × m matrix).
    public var z: [Matrix] {
        [Matrix(rows: 0, cols: batchSize)] + layout.dropFirst().map { matrix(at: $0.z, rows: $0.n) }
    }
    /// δ⁽¹⁾ … δ⁽ᴸ⁾ at indices 1 … L (set by `backward`; index 0 is empty).
    public var delta: [Matrix] {
        [Matrix(rows: 0, cols: batchSize)] + layout.dropFirst().map { matrix(at: $0.delta, rows: $0.n) }
    }
    /// y, n_L × m.
    public var y: Matrix { matrix(at: yOffset, rows: layout[L].n) }
    /// ∂J/∂Θ⁽ˡ⁾ at indices 1 … L (set by `backward`; index 0 is 0 × 0).
    public var gradTheta: [Matrix] {
        [Matrix(rows: 0, cols: 0)] + layout.dropFirst().map { layer in
            let start = parameterCount + layer.theta
            return Matrix(rows: layer.n, cols: layer.k, elements: Array(storage[start..<(start + layer.n * layer.k)]))
        }
    }
    /// ∂J/∂b⁽ˡ⁾ at indices 1 … L, empty without bias (set by `backward`).
    public var gradB: [[Double]] {
        [[]] + layout.dropFirst().map { layer in
            guard layer.b >= 0 else { return [] }
            let start = parameterCount + layer.b
            return Array(storage[start..<(start + layer.n)])
        }
    }

    /// One element of the n × m matrix at `offset`: row i, column k (0-based).
    @inline(__always)
    func element(_ offset: Int, _ i: Int, _ k: Int) -> Double {
        storage[offset + i * batchSize + k]
    }

    /// Runs `body` on the buffer's first element, the layout and the activations, with
    /// one uniqueness check of the buffer: the storage is moved out while `body` runs, so
    /// that `body` may read the rest of the trace (a training step calls this once).
    @inline(__always)
    mutating func withBuffer<R>(
        _ body: (UnsafeMutablePointer<Double>, UnsafeBufferPointer<LayerLayout>, UnsafeBufferPointer<Activation>) -> R
    ) -> R {
        var buffer: [Double] = []
        swap(&buffer, &storage)
        defer { swap(&buffer, &storage) }
        return buffer.withUnsafeMutableBufferPointer { buffer in
            layout.withUnsafeBufferPointer { layout in
                activations.withUnsafeBufferPointer { activations in
                    body(buffer.baseAddress!, layout, activations)
                }
            }
        }
    }

    // MARK: Two halves, two threads

    /// A batch's passes are cut in two halves (rows of each layer in the gradients and
    /// the step; columns, that is samples, in the forward pass and the errors; or layer
    /// 1 alone by units, see `splitsUnits`) from this
    /// many multiply-adds per pass on, and the halves run on the two threads of
    /// `ThreadPair` (below it a split costs more than it saves).
    ///
    /// Whether a pass is cut depends on the shapes alone, never on the threads: a tuned
    /// matrix product may round an element differently in a half-sized product than in
    /// the whole one, so the halves are computed even on one thread (one after the
    /// other), and the numbers are the same on one thread or two, on any machine.
    static let splitWork = 16_384

    /// Whether the gradients and the step of passes over m samples are cut in halves
    /// (by rows).
    @inline(__always)
    func splits(_ m: Int) -> Bool {
        weightCount &* m >= Trace.splitWork
    }

    /// Whether the forward pass and the errors over m samples are cut in halves (by
    /// columns): only from 16 samples on, cut at a multiple of 8 columns, so that the two
    /// threads never write the same 64-byte cache line of a row of z, a or δ (with fewer,
    /// the threads would pass the lines to and fro, slower than one thread alone).
    @inline(__always)
    func splitsColumns(_ m: Int) -> Bool {
        m >= 16 && splits(m)
    }

    /// Whether a training step cut in halves cuts layer 1 by units (each thread its half
    /// of z⁽¹⁾, a⁽¹⁾, δ⁽¹⁾ over the whole batch, of Θ⁽¹⁾'s rows and of Θ⁽²⁾'s columns;
    /// the rest of the layers above on one thread, see `stepCuttingUnits`), rather than
    /// cutting every layer's samples and rows: when layer 1 holds most of the weights
    /// (3/4 or more), the threads then pass each other only half of a⁽¹⁾ and δ⁽²⁾,
    /// where a cut by samples passes half of Θ⁽¹⁾ every step.
    var splitsUnits: Bool {
        L >= 2 && 4 * layout[1].n * layout[1].k >= 3 * weightCount
    }

    /// Whether the halves run on two threads: false keeps them on the caller's (a
    /// training run sets it from its `SplitChoice`).
    var splitAllowed = true

    /// Whether this trace's halves may run on the two threads of `ThreadPair`.
    var runsHalvesInParallel: Bool {
        splitAllowed && ThreadPair.enabled && ThreadPair.shared != nil
    }

    /// Part `part` of 0 ..< count cut in `parts` (1 or 2) consecutive runs: all of it,
    /// or its first or second half.
    @inline(__always)
    static func share(_ count: Int, _ part: Int, _ parts: Int) -> Range<Int> {
        parts == 1 ? 0..<count : part == 0 ? 0..<(count >> 1) : (count >> 1)..<count
    }

    /// Columns `part` of `parts` of m: all of them, or the two sides of a cut at the
    /// multiple of 8 nearest m / 2.
    @inline(__always)
    static func columnShare(_ m: Int, _ part: Int, _ parts: Int) -> Range<Int> {
        let cut = ((m >> 1) + 4) & ~7
        return parts == 1 ? 0..<m : part == 0 ? 0..<cut : cut..<m
    }

    /// body(0, 2) and body(1, 2): on two threads (the first half here, the second on
    /// the worker) when `parallel`, else one after the other here. (Callers run
    /// body(0, 1) themselves when not split, so that it inlines.)
    @inline(never)
    static func inHalves(parallel: Bool, _ body: (Int, Int) -> Void) {
        guard parallel, let pair = ThreadPair.shared else {
            body(0, 2)
            body(1, 2)
            return
        }
        pair.run { body($0, 2) }
    }

    // MARK: Parameters

    /// Copies Θ⁽ˡ⁾, b⁽ˡ⁾ and g of every layer of `network` (of this trace's shape) in.
    mutating func setParameters(from network: Network) {
        precondition(network.sizes == sizes && network.hasBias == hasBias, "the trace does not fit the network")
        let layout = self.layout
        storage.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            for l in 1..<layout.count {
                let layer = network.layers[l - 1]
                layer.theta.elements.withUnsafeBufferPointer { theta in
                    (p + layout[l].theta).update(from: theta.baseAddress!, count: theta.count)
                }
                if let b = layer.b, layout[l].b >= 0 {
                    b.withUnsafeBufferPointer { b in (p + layout[l].b).update(from: b.baseAddress!, count: b.count) }
                }
            }
        }
        for l in 1..<layout.count where activations[l] != network.layers[l - 1].activation {
            activations[l] = network.layers[l - 1].activation
        }
    }

    /// Copies this trace's Θ⁽ˡ⁾ and b⁽ˡ⁾ into `network` (of this trace's shape).
    func copyParameters(into network: inout Network) {
        precondition(network.sizes == sizes && network.hasBias == hasBias, "the trace does not fit the network")
        let layout = self.layout
        storage.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            network.layers.withUnsafeMutableBufferPointer { layers in
                for l in 1..<layout.count {
                    layers[l - 1].theta.elements.withUnsafeMutableBufferPointer { theta in
                        theta.baseAddress!.update(from: p + layout[l].theta, count: theta.count)
                    }
                    if layout[l].b >= 0 {
                        layers[l - 1].b!.withUnsafeMutableBufferPointer { b in
                            b.baseAddress!.update(from: p + layout[l].b, count: b.count)
                        }
                    }
                }
            }
        }
    }

    /// The parameter block (every Θ⁽ˡ⁾ and b⁽ˡ⁾) copied into `saved`, which keeps its
    /// storage from one call to the next.
    func saveParameters(into saved: inout [Double]) {
        if saved.count != parameterCount { saved = Array(repeating: 0, count: parameterCount) }
        storage.withUnsafeBufferPointer { buffer in
            saved.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: buffer.baseAddress!, count: parameterCount) }
        }
    }

    /// The parameter block set back to what `saveParameters` kept.
    mutating func restoreParameters(from saved: [Double]) {
        precondition(saved.count == parameterCount)
        saved.withUnsafeBufferPointer { saved in
            storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: saved.baseAddress!, count: saved.count) }
        }
    }

    /// True when every weight and bias in the trace is finite.
    var parametersAreFinite: Bool {
        storage.withUnsafeBufferPointer { buffer in
            var finite = true
            for i in 0..<parameterCount where !buffer[i].isFinite { finite = false; break }
            return finite
        }
    }

    /// Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)² of the trace's parameters, biases excluded.
    var sumOfSquaredWeights: Double {
        storage.withUnsafeBufferPointer { buffer in
            layout.withUnsafeBufferPointer { Trace.sumOfSquaredWeights(buffer.baseAddress!, $0) }
        }
    }

    /// Σ_l Σ_i Σ_j (θᵢⱼ⁽ˡ⁾)² of the parameters in the buffer at `p` laid out as `layout`,
    /// biases excluded: each layer summed in order, then the layers' sums.
    static func sumOfSquaredWeights(_ p: UnsafePointer<Double>, _ layout: UnsafeBufferPointer<LayerLayout>) -> Double {
        var total = 0.0
        for layer in layout.dropFirst() {
            var sum = 0.0
            for index in layer.theta..<(layer.theta + layer.n * layer.k) { sum += p[index] * p[index] }
            total += sum
        }
        return total
    }

    // MARK: Loading a batch

    /// Sets m = columns.count (at most the capacity), then x (column k of `source`, for k
    /// in `columns`) into a⁽⁰⁾ and the same columns of `targets` into y.
    mutating func load(x source: Matrix, y targets: Matrix, columns: ArraySlice<Int>) {
        precondition(columns.count <= capacity && source.rows == layout[0].n && targets.rows == layout[L].n)
        batchSize = columns.count
        let a0 = layout[0].a, y = yOffset
        storage.withUnsafeMutableBufferPointer { buffer in
            Trace.gather(columns.span, of: source, into: buffer.baseAddress! + a0)
            Trace.gather(columns.span, of: targets, into: buffer.baseAddress! + y)
        }
        hasCost = false
        hasBackward = false
    }

    /// Columns `range` of dst (rows × stride m) ← the columns `order[range]` of `matrix`
    /// (one half of a batch, gathered by the thread that uses it). Consecutive columns
    /// (training in order) are copied as runs, row by row.
    static func gather(
        _ order: Span<Int>, of matrix: Matrix, columns range: Range<Int>, into dst: UnsafeMutablePointer<Double>,
        stride m: Int
    ) {
        let cols = matrix.cols, rows = matrix.rows, c0 = range.lowerBound, w = range.count
        guard w > 0 else { return }
        let first = order[c0]
        var consecutive = true
        for k in range where order[k] != first &+ (k &- c0) { consecutive = false; break }
        matrix.elements.span.withUnsafeBufferPointer { src in
            if consecutive {
                precondition(first >= 0 && first + w <= cols)
                let base = src.baseAddress! + first
                if w < 8 {  // a few samples: a loop costs less than calls to memmove
                    for r in 0..<rows {
                        for k in 0..<w { dst[r &* m &+ c0 &+ k] = base[r &* cols &+ k] }
                    }
                } else {
                    for r in 0..<rows { (dst + (r * m + c0)).update(from: base + r * cols, count: w) }
                }
            } else {
                for r in 0..<rows {
                    let row = r * cols
                    for k in range { dst[r * m + k] = src[row + order[k]] }
                }
            }
        }
    }

    /// dst ← the given columns of `matrix`, as a rows × columns.count matrix.
    static func gather(_ columns: Span<Int>, of matrix: Matrix, into dst: UnsafeMutablePointer<Double>) {
        gather(columns, of: matrix, columns: 0..<columns.count, into: dst, stride: columns.count)
    }
}
