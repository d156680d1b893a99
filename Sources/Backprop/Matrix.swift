/// A dense matrix of `Double`s stored row-major: element (r, c) is `elements[r * cols + c]`.
///
/// The engine uses the lecture's batched form: Θ⁽ˡ⁾ is n_l × n_(l−1) (row i is unit i
/// of layer l), and activations z⁽ˡ⁾, a⁽ˡ⁾, δ⁽ˡ⁾ are n_l × m with one column per sample.
public struct Matrix: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    public var elements: [Double]

    /// A rows × cols matrix with every element equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.elements = Array(repeating: value, count: rows * cols)
    }

    /// A matrix from its rows; every row must have the same length.
    public init(_ rowsOfElements: [[Double]]) throws(EngineError) {
        let r = rowsOfElements.count
        let c = rowsOfElements.first?.count ?? 0
        for (index, row) in rowsOfElements.enumerated() where row.count != c {
            throw .raggedRows(row: index + 1, expected: c, found: row.count)
        }
        self.rows = r
        self.cols = c
        self.elements = rowsOfElements.flatMap { $0 }
    }

    /// A matrix over given row-major elements; `elements.count` must equal rows · cols.
    public init(rows: Int, cols: Int, elements: [Double]) {
        precondition(elements.count == rows * cols, "element count must be rows · cols")
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// The column vector v as an n × 1 matrix (one sample in the batched form).
    public static func column(_ v: [Double]) -> Matrix {
        Matrix(rows: v.count, cols: 1, elements: v)
    }

    public subscript(row: Int, col: Int) -> Double {
        get { elements[row * cols + col] }
        set { elements[row * cols + col] = newValue }
    }

    /// Row r as an array.
    public func row(_ r: Int) -> [Double] {
        Array(elements[(r * cols)..<((r + 1) * cols)])
    }

    /// Column c as an array (sample c of a batch).
    public func column(_ c: Int) -> [Double] {
        (0..<rows).map { elements[$0 * cols + c] }
    }

    /// Mᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows {
            for c in 0..<cols { t.elements[c * rows + r] = elements[r * cols + c] }
        }
        return t
    }

    /// True when every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// Resize to rows × cols, reusing storage when the size is unchanged.
    mutating func reshape(rows r: Int, cols c: Int) {
        if r * c != elements.count {
            elements = Array(repeating: 0, count: r * c)
        }
        rows = r
        cols = c
    }
}
