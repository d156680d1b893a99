/// A batch's inputs a⁽⁰⁾ read where they lie in the data set instead of from the
/// trace's copy: `rows`, n₀ × m with its rows `stride` apart (columns first … first + m − 1
/// of x), and, when there is a copy of x by samples (`InputsBySamples`), `samples`, the
/// same batch as m × n₀ (rows first … of that copy), which is a⁽⁰⁾ᵀ as
/// ∂J/∂Θ⁽¹⁾ = δ⁽¹⁾ (a⁽⁰⁾)ᵀ reads it.
struct BatchInputs {
    let rows: UnsafePointer<Double>
    let stride: Int
    let samples: UnsafePointer<Double>?

    /// The batch `columns` of x (whose elements are at `elements`) in place, when its
    /// samples are consecutive (training in order); nil otherwise (gather them).
    init?(_ columns: UnsafeBufferPointer<Int>, of x: Matrix, _ elements: UnsafePointer<Double>,
          bySamples: InputsBySamples?) {
        guard let first = columns.first else { return nil }
        for k in columns.indices where columns[k] != first &+ k { return nil }
        rows = elements + first
        stride = x.cols
        samples = bySamples.map { UnsafePointer($0.buffer.baseAddress! + first * x.rows) }
    }
}

/// x by samples, N × n₀ (xᵀ, row k = sample k's inputs), made once for a training run
/// of a small data set: the gradient of layer 1 then reads a batch of consecutive
/// samples as it lies there, instead of transposing a⁽⁰⁾ every step.
final class InputsBySamples: @unchecked Sendable {
    /// Data sets up to this many numbers (32 MB) get the copy.
    static let limit = 1 << 22

    let buffer: UnsafeMutableBufferPointer<Double>
    private let rows: Int, cols: Int

    /// xᵀ of `x`, or nil when x holds more than `limit` numbers.
    init?(_ x: Matrix) {
        guard x.elements.count <= Self.limit, x.elements.count > 0 else { return nil }
        rows = x.rows
        cols = x.cols
        buffer = .allocate(capacity: x.elements.count)
        x.elements.withUnsafeBufferPointer { source in
            SmallProduct.transpose(source.baseAddress!, x.cols, rows: x.rows, columns: x.cols,
                                   into: buffer.baseAddress!)
        }
    }

    deinit { buffer.deallocate() }

    /// Whether this is a copy of a matrix of x's shape.
    func fits(_ x: Matrix) -> Bool { x.rows == rows && x.cols == cols }
}
