/// Everything one forward and backward pass computes for a batch of m samples, in the
/// lecture's batched form: column k of every matrix is sample k.
///
/// The step-through shell keeps a trace to show and explain it; the training loop
/// reuses one trace per batch size as its workspace. Both run the same `forward`,
/// `cost` and `backward`.
public struct Trace: Sendable {
    /// m, the number of samples (columns).
    public private(set) var batchSize: Int
    /// L.
    public var L: Int { a.count - 1 }
    /// a⁽⁰⁾ … a⁽ᴸ⁾, each n_l × m; a⁽⁰⁾ = x.
    public internal(set) var a: [Matrix]
    /// z⁽¹⁾ … z⁽ᴸ⁾ at indices 1 … L (index 0 is an empty 0 × m matrix).
    public internal(set) var z: [Matrix]
    /// y, n_L × m.
    public internal(set) var y: Matrix
    /// J of the batch under `objective` (set by `cost`).
    public internal(set) var J: Double = .nan
    /// δ⁽¹⁾ … δ⁽ᴸ⁾ at indices 1 … L (set by `backward`).
    public internal(set) var delta: [Matrix]
    /// ∂J/∂Θ⁽ˡ⁾ at indices 1 … L (set by `backward`).
    public internal(set) var gradTheta: [Matrix]
    /// ∂J/∂b⁽ˡ⁾ at indices 1 … L, empty without bias (set by `backward`).
    public internal(set) var gradB: [[Double]]
    /// The objective J and the gradients were computed under.
    public internal(set) var objective = Objective()
    /// Whether `cost` and `backward` have run since the last `forward`.
    public internal(set) var hasCost = false
    public internal(set) var hasBackward = false

    /// Buffers for a network of `sizes` and a batch of m samples (∂J/∂b empty when
    /// the network has no bias).
    public init(sizes: [Int], batchSize m: Int, bias: Bool = true) {
        batchSize = m
        a = sizes.map { Matrix(rows: $0, cols: m) }
        z = sizes.enumerated().map { Matrix(rows: $0.offset == 0 ? 0 : $0.element, cols: m) }
        delta = z
        y = Matrix(rows: sizes.last ?? 0, cols: m)
        gradTheta = [Matrix(rows: 0, cols: 0)]
            + (1..<max(sizes.count, 1)).map { Matrix(rows: sizes[$0], cols: sizes[$0 - 1]) }
        gradB = sizes.enumerated().map { Array(repeating: 0, count: $0.offset == 0 || !bias ? 0 : $0.element) }
    }

    /// Whether this trace's buffers fit `network` and m.
    func fits(_ network: Network, batchSize m: Int) -> Bool {
        m == batchSize && a.map(\.rows) == network.sizes
    }

    /// Sets x (column k of `source`, for k in `columns`) into a⁽⁰⁾ and the same columns
    /// of `targets` into y.
    mutating func load(x source: Matrix, y targets: Matrix, columns: ArraySlice<Int>) {
        precondition(columns.count == batchSize)
        Trace.gather(columns, of: source, into: &a[0].elements)
        Trace.gather(columns, of: targets, into: &y.elements)
    }

    /// dst ← the given columns of `matrix`, as a rows × columns.count matrix. Consecutive
    /// columns (training in order) are copied as runs, row by row.
    private static func gather(_ columns: ArraySlice<Int>, of matrix: Matrix, into dst: inout [Double]) {
        let m = columns.count
        let columns = columns.span
        let cols = matrix.cols
        let rows = matrix.rows
        guard m > 0 else { return }
        let first = columns[0]
        var consecutive = true
        for k in 1..<m where columns[k] != first &+ k { consecutive = false; break }
        matrix.elements.span.withUnsafeBufferPointer { src in
            dst.withUnsafeMutableBufferPointer { dst in
                if consecutive {
                    precondition(first >= 0 && first + m <= cols)
                    for r in 0..<rows {
                        (dst.baseAddress! + r * m).update(from: src.baseAddress! + (r * cols + first), count: m)
                    }
                } else {
                    for r in 0..<rows {
                        let row = r * cols
                        for k in 0..<m { dst[r * m + k] = src[row + columns[k]] }
                    }
                }
            }
        }
    }
}
