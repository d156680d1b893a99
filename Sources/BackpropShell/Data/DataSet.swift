import Backprop

/// Where a session's data set came from, so `save` can record it and `load` redo it.
enum DataSource: Equatable, Sendable, Codable {
    case builtin(String)
    case csv(path: String, options: CSVOptions)
    case idx(images: String, labels: String)
}

/// The data a session trains on: the training set, the held-out test set (after
/// `split`), the class names (for one-hot targets) and where it came from.
struct SessionData: Sendable {
    var name: String
    var source: DataSource
    var train: Dataset
    var test: Dataset?
    var classes: [String]?
    /// The split that made `test` (fraction, seed), to redo it after `load`.
    var split: (fraction: Double, seed: UInt64)?
    /// Every sample in the order it was read, so that a split is the same whatever
    /// split came before it.
    var all: Dataset

    init(name: String, source: DataSource, train: Dataset, test: Dataset? = nil, classes: [String]? = nil) {
        self.name = name
        self.source = source
        self.train = train
        self.test = test
        self.classes = classes
        self.all = test.map { train.joined(with: $0) } ?? train
    }
}

extension Dataset {
    /// The samples of both sets, self's first.
    func joined(with other: Dataset) -> Dataset {
        func concat(_ a: Matrix, _ b: Matrix) -> Matrix {
            var out = Matrix(rows: a.rows, cols: a.cols + b.cols)
            for r in 0..<a.rows {
                for c in 0..<a.cols { out[r, c] = a[r, c] }
                for c in 0..<b.cols { out[r, a.cols + c] = b[r, c] }
            }
            return out
        }
        return try! Dataset(x: concat(x, other.x), y: concat(y, other.y))
    }
}

/// The small data sets built in: the truth tables of XOR, AND and OR.
enum BuiltinData {
    static let names = ["xor", "and", "or", "iris", "digits"]

    static func truthTable(_ name: String) -> Dataset? {
        let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
        let outputs: [Double]
        switch name {
        case "xor": outputs = [0, 1, 1, 0]
        case "and": outputs = [0, 0, 0, 1]
        case "or": outputs = [0, 1, 1, 1]
        default: return nil
        }
        let x = try! Matrix(inputs).transposed
        return try! Dataset(x: x, y: Matrix(rows: 1, cols: 4, elements: outputs))
    }
}
