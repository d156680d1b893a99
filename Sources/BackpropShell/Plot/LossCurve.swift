import Foundation

/// What `plot` draws: J of each logged epoch, and the accuracies where the log has
/// them, on a linear or logarithmic J axis.
struct LossCurve {
    /// The epoch number of each point, in log order.
    let epochs: [Int]
    let J: [Double]
    /// Accuracies in [0, 1] at some points (`index` into `epochs`).
    let trainAccuracy: [(index: Int, value: Double)]
    let testAccuracy: [(index: Int, value: Double)]
    let logScale: Bool

    enum Problem: Error, Equatable {
        case empty
        case nonPositive
    }

    /// The curve of a training log; epochs whose J is not finite are left out.
    init(_ log: [EpochLog], logScale: Bool = false) throws(Problem) {
        let kept = log.filter { $0.J.isFinite }
        guard !kept.isEmpty else { throw .empty }
        if logScale, kept.contains(where: { $0.J <= 0 }) { throw .nonPositive }
        epochs = kept.map(\.epoch)
        J = kept.map(\.J)
        trainAccuracy = kept.enumerated().compactMap { i, e in e.trainAccuracy.flatMap { $0.isFinite ? (i, $0) : nil } }
        testAccuracy = kept.enumerated().compactMap { i, e in e.testAccuracy.flatMap { $0.isFinite ? (i, $0) : nil } }
        self.logScale = logScale
    }

    var count: Int { J.count }
    var hasAccuracy: Bool { !trainAccuracy.isEmpty || !testAccuracy.isEmpty }

    /// The J range shown: [min, max] of J, widened when flat so the line sits mid-height.
    var range: (lo: Double, hi: Double) {
        let lo = J.min()!, hi = J.max()!
        if hi > lo { return (lo, hi) }
        if logScale { return (lo / 2, hi * 2) }
        let pad = lo == 0 ? 1 : abs(lo) * 0.5
        return (lo - pad, hi + pad)
    }

    /// Where J sits between the bottom (0) and the top (1) of the chart.
    func height(_ value: Double) -> Double {
        let (lo, hi) = range
        return height(value, lo: lo, hi: hi)
    }

    /// Where J sits between `lo` (0) and `hi` (1).
    func height(_ value: Double, lo: Double, hi: Double) -> Double {
        if logScale { return (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) }
        return (value - lo) / (hi - lo)
    }

    /// The value at a height in [0, 1] (for a middle tick).
    func value(atHeight h: Double) -> Double {
        let (lo, hi) = range
        if logScale { return pow(10, log10(lo) + h * (log10(hi) - log10(lo))) }
        return lo + h * (hi - lo)
    }

    /// Round tick values (1, 2 or 5 × 10ᵏ apart) inside [lo, hi], about `count` of them.
    static func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let step = niceStep(lo, hi, count: count)
        var ticks: [Double] = []
        var k = ceil(lo / step - 1e-9)
        while k * step <= hi + step * 1e-9 {
            let t = k * step
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        return ticks
    }

    /// A round distance (1, 2 or 5 × 10ᵏ) that cuts [lo, hi] into about `count` parts.
    static func niceStep(_ lo: Double, _ hi: Double, count: Int = 5) -> Double {
        let raw = (hi - lo) / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let f = raw / magnitude
        return magnitude * (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10)
    }

    /// Powers of ten inside [lo, hi] for a log axis (the ends when there are fewer than two).
    static func logTicks(_ lo: Double, _ hi: Double) -> [Double] {
        var ticks: [Double] = []
        var e = ceil(log10(lo) - 1e-9)
        while pow(10, e) <= hi * (1 + 1e-9) {
            ticks.append(pow(10, e))
            e += 1
        }
        return ticks.count >= 2 ? ticks : [lo, hi]
    }

    /// Points reduced to at most about `2 · buckets` by keeping, for each bucket of
    /// neighbouring epochs, its first, lowest, highest and last J in order (so spikes
    /// survive). Returns (index, J) pairs.
    func reduced(buckets: Int) -> [(index: Int, J: Double)] {
        let n = count
        guard n > 2 * buckets, buckets > 0 else { return J.enumerated().map { ($0.offset, $0.element) } }
        var out: [(index: Int, J: Double)] = []
        for b in 0..<buckets {
            let start = b * n / buckets, end = (b + 1) * n / buckets
            guard start < end else { continue }
            var lo = start, hi = start
            for i in start..<end {
                if J[i] < J[lo] { lo = i }
                if J[i] > J[hi] { hi = i }
            }
            for i in Set([start, lo, hi, end - 1]).sorted() { out.append((i, J[i])) }
        }
        return out
    }
}
