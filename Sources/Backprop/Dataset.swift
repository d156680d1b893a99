/// Samples in the batched form: X is n₀ × N and Y is n_L × N, column k is sample k.
public struct Dataset: Equatable, Sendable {
    public let x: Matrix
    public let y: Matrix

    public init(x: Matrix, y: Matrix) throws(EngineError) {
        guard x.cols == y.cols else {
            throw .shapeMismatch(what: "y", expectedRows: y.rows, expectedCols: x.cols,
                                 rows: y.rows, cols: y.cols)
        }
        guard x.cols >= 1 else { throw .emptyData }
        guard x.isFinite else { throw .nonFinite(what: "x") }
        guard y.isFinite else { throw .nonFinite(what: "y") }
        self.x = x
        self.y = y
    }

    /// N, the number of samples.
    public var count: Int { x.cols }

    /// The samples at the given 0-based indices, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        func pick(_ m: Matrix) -> Matrix {
            var out = Matrix(rows: m.rows, cols: indices.count)
            for r in 0..<m.rows {
                for (k, c) in indices.enumerated() { out[r, k] = m[r, c] }
            }
            return out
        }
        // The shapes are already valid.
        return try! Dataset(x: pick(x), y: pick(y))
    }
}
