/// How well a network fits a data set: J, and for classification the predicted and true
/// classes. The class of an output a is argmax_i aᵢ (one output: a ≥ 0.5).
public struct Evaluation: Equatable, Sendable {
    /// J over the whole set under the objective (λ term included).
    public let J: Double
    /// Predicted and true class of each sample (0-based).
    public let predicted: [Int]
    public let actual: [Int]
    /// The number of classes (2 for a single output).
    public let classCount: Int

    /// The fraction of samples whose predicted class is the true one.
    public var accuracy: Double {
        guard !predicted.isEmpty else { return 0 }
        return Double(zip(predicted, actual).filter { $0 == $1 }.count) / Double(predicted.count)
    }

    /// confusion[t][p]: samples of true class t predicted as p.
    public var confusion: [[Int]] {
        var m = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (p, t) in zip(predicted, actual) { m[t][p] += 1 }
        return m
    }

    /// The class of one output vector: argmax, or a ≥ 0.5 for a single output.
    public static func classOf(_ output: [Double]) -> Int {
        guard !output.isEmpty else { return 0 }
        return output.withUnsafeBufferPointer { classOf($0.baseAddress!, output.count, stride: 1) }
    }

    /// The class of the n outputs at v[0], v[stride], …, v[(n − 1) · stride] (one column
    /// of a batch): the first largest, or a ≥ 0.5 for n = 1.
    @inline(__always)
    static func classOf(_ v: UnsafePointer<Double>, _ n: Int, stride: Int) -> Int {
        if n == 1 { return v[0] >= 0.5 ? 1 : 0 }
        var best = 0
        for i in 1..<max(n, 1) where v[i * stride] > v[best * stride] { best = i }
        return best
    }
}

extension Network {
    /// Runs `forward` over the data in chunks and measures J and the classes.
    public func evaluate(_ data: Dataset, objective: Objective, chunk: Int = 256) throws(EngineError) -> Evaluation {
        try validate(objective)
        let n = data.count
        var total = 0.0
        var predicted: [Int] = []
        var actual: [Int] = []
        predicted.reserveCapacity(n)
        actual.reserveCapacity(n)
        var start = 0
        while start < n {
            let count = min(chunk, n - start)
            var trace = Trace(sizes: sizes, batchSize: count, bias: hasBias)
            trace.load(x: data.x, y: data.y, columns: Array(start..<(start + count))[...])
            trace.forward(self)
            total += trace.dataCost(objective.cost)
            let output = trace.a[L], targets = trace.y
            for k in 0..<count {
                predicted.append(Evaluation.classOf(output.column(k)))
                actual.append(Evaluation.classOf(targets.column(k)))
            }
            start += count
        }
        var J = objective.reduction == .sum ? total : total / Double(n)
        if objective.lambda != 0 { J += objective.lambda / 2 * sumOfSquaredWeights }
        return Evaluation(J: J, predicted: predicted, actual: actual, classCount: max(sizes[L], 2))
    }

    /// a⁽ᴸ⁾ for one input x.
    public func predict(_ x: [Double]) throws(EngineError) -> [Double] {
        let trace = try Trace.forward(self, x: .column(x), y: Matrix(rows: sizes[L], cols: 1))
        return trace.a[L].column(0)
    }
}
