import CPrefetch

/// Layer 1's products over the nonzero inputs only, for data sets whose inputs are
/// mostly zero (pixels of handwritten digits: about 85% of MNIST's are 0).
///
/// A zero input x_j adds nothing to z⁽¹⁾ = Θ⁽¹⁾x + b⁽¹⁾ and nothing to
/// ∂J/∂θᵢⱼ⁽¹⁾ = s Σ_k δᵢ⁽ᵏ⁾ x_j⁽ᵏ⁾, so both sums may skip it: the same numbers (up to
/// the order of the roundings) for a fraction of the work. For this, Θ⁽¹⁾ is kept
/// transposed while a run lasts: row j of (Θ⁽¹⁾)ᵀ holds the weights of input j into
/// every unit, so that each nonzero x_j of a sample adds x_j · (row j) to that sample's
/// z⁽¹⁾, and each row of Θ⁽¹⁾ᵀ takes its step once per batch from the samples in which
/// x_j ≠ 0:
///
///     z⁽¹⁾⁽ᵏ⁾ = b⁽¹⁾ + Σ_{j: x_j⁽ᵏ⁾ ≠ 0} x_j⁽ᵏ⁾ (Θ⁽¹⁾ᵀ)_j
///     (Θ⁽¹⁾ᵀ)_j ← (Θ⁽¹⁾ᵀ)_j − α (s Σ_{k: x_j⁽ᵏ⁾ ≠ 0} x_j⁽ᵏ⁾ (δ⁽¹⁾⁽ᵏ⁾)ᵀ + λ (Θ⁽¹⁾ᵀ)_j)
///
/// Each batch's nonzero inputs are listed row by row (input j, then the samples in
/// ascending order), once for each half of the batch's samples when the forward pass
/// is cut in halves (`Trace.splitsColumns`), so that each thread lists and uses its own
/// half; every sum runs in the same order on one thread or two.
struct SparseInput {
    /// Inputs at most this dense (the fraction of nonzero x_j, sampled) take this path.
    static let maximumDensity = 0.3
    /// Layer 1 must have at least this many weights for the path to pay.
    static let minimumWeights = 4096
    /// Units per block of the products (32 doubles: a quarter of a kilobyte per sample).
    static let block = 32

    /// n₀ and n₁.
    let inputs: Int, units: Int
    /// The largest m.
    let capacity: Int
    /// Offsets in `numbers`: Θ⁽¹⁾ᵀ (n₀ × n₁); z⁽¹⁾ᵀ and δ⁽¹⁾ᵀ (capacity × n₁, sample k's
    /// row k); one accumulator of n₁ per half; then the nonzero values of each half's
    /// list (n₀ · capacity each). The three matrices are stored by blocks of `block`
    /// units (see `offset`).
    private let zT: Int, deltaT: Int, sums: Int, values: Int
    /// Offsets in `indices` of each half's list: the start of each input's entries
    /// (n₀ + 1), then the sample of each entry (n₀ · capacity).
    private let listSize: Int
    private(set) var numbers: [Double]
    private(set) var indices: [Int]

    /// Whether the inputs of `x` are sparse enough for this path, judged from up to 256
    /// samples spread over the data set, and layer 1 of `sizes` large enough.
    static func suits(_ x: Matrix, sizes: [Int]) -> Bool {
        guard sizes.count >= 2, sizes[0] * sizes[1] >= minimumWeights, x.cols > 0 else { return false }
        let picks = min(x.cols, 256)
        var nonzero = 0
        x.elements.withUnsafeBufferPointer { e in
            for t in 0..<picks {
                let k = t * x.cols / picks
                for j in 0..<x.rows where e[j * x.cols + k] != 0 { nonzero += 1 }
            }
        }
        return Double(nonzero) <= maximumDensity * Double(picks * x.rows)
    }

    /// Buffers for layer 1 of `trace`, with Θ⁽¹⁾ᵀ taken from the trace.
    init(for trace: Trace) {
        inputs = trace.layout[0].n
        units = trace.layout[1].n
        capacity = trace.capacity
        zT = inputs * units
        deltaT = zT + capacity * units
        sums = deltaT + capacity * units
        values = sums + 2 * units
        numbers = Array(repeating: 0, count: values + 4 * inputs * capacity)
        listSize = inputs + 1 + inputs * capacity + capacity + 1 + inputs * capacity
        indices = Array(repeating: 0, count: 2 * listSize)
        takeWeights(from: trace)
    }

    /// Where element (r, i) of a `rows` × n₁ matrix stored by blocks of units is: the
    /// units c ..< c + w of a block (w = `block`, less in the last) lie together, row by
    /// row, so that one block of every row is one contiguous run (read in order, the
    /// processor fetches it ahead), after the c · rows elements of the blocks before.
    @inline(__always)
    static func offset(_ r: Int, _ i: Int, rows: Int, units: Int) -> Int {
        let c = i / block * block, w = Swift.min(block, units - c)
        return c * rows + r * w + (i - c)
    }

    /// Θ⁽¹⁾ᵀ ← (Θ⁽¹⁾ of the trace)ᵀ.
    mutating func takeWeights(from trace: Trace) {
        let n = units, k = inputs, theta = trace.layout[1].theta
        trace.storage.withUnsafeBufferPointer { source in
            numbers.withUnsafeMutableBufferPointer { target in
                for i in 0..<n {
                    for j in 0..<k { target[Self.offset(j, i, rows: k, units: n)] = source[theta + i * k + j] }
                }
            }
        }
    }

    /// Θ⁽¹⁾ of the trace ← (Θ⁽¹⁾ᵀ)ᵀ: the trace describes the weights again.
    func giveWeights(to trace: inout Trace) {
        let n = units, k = inputs, theta = trace.layout[1].theta
        numbers.withUnsafeBufferPointer { source in
            trace.storage.withUnsafeMutableBufferPointer { target in
                for i in 0..<n {
                    for j in 0..<k { target[theta + i * k + j] = source[Self.offset(j, i, rows: k, units: n)] }
                }
            }
        }
    }

    /// Runs `body` on pointers to the numbers and the indices.
    mutating func withBuffers<R>(_ body: (Pointers) -> R) -> R {
        let layout = (zT: zT, deltaT: deltaT, sums: sums, values: values, listSize: listSize)
        let (n0, n1, capacity) = (inputs, units, capacity)
        return numbers.withUnsafeMutableBufferPointer { numbers in
            indices.withUnsafeMutableBufferPointer { indices in
                let d = numbers.baseAddress!, i = indices.baseAddress!
                return body(Pointers(inputs: n0, units: n1, capacity: capacity, thetaT: d, zT: d + layout.zT,
                                     deltaT: d + layout.deltaT, sums: d + layout.sums,
                                     values: (d + layout.values, d + layout.values + 2 * n0 * capacity),
                                     lists: (i, i + layout.listSize)))
            }
        }
    }

    /// The buffers of a step, as pointers the two threads share.
    struct Pointers {
        let inputs: Int, units: Int, capacity: Int
        let thetaT: UnsafeMutablePointer<Double>
        let zT: UnsafeMutablePointer<Double>, deltaT: UnsafeMutablePointer<Double>
        let sums: UnsafeMutablePointer<Double>
        let values: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>)
        let lists: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>)

        /// Half `half`'s values: by input, then by sample.
        func values(_ half: Int) -> UnsafeMutablePointer<Double> { half == 0 ? values.0 : values.1 }
        /// Half `half`'s list by input: starts (n₀ + 1), then the samples of the entries;
        /// then the same entries by sample: starts (capacity + 1), then their inputs.
        func list(_ half: Int) -> UnsafeMutablePointer<Int> { half == 0 ? lists.0 : lists.1 }

        /// Lists, input by input, the nonzero x_j⁽ᵏ⁾ of the samples `columns` of the batch
        /// (x_j⁽ᵏ⁾ at x[j · stride + k]: a⁽⁰⁾, or the data set itself when the batch is
        /// consecutive columns of it) into half `half`'s list. Branch-free: every element
        /// is written, and the end moves on only past nonzeros (counted four at a time
        /// from a vector comparison, so that no branch guesses at the pattern of zeros).
        /// With `ahead` > 0, the elements `ahead` columns further on in each row (those of
        /// the next batch) are fetched into the cache meanwhile.
        func list(_ x: UnsafePointer<Double>, stride m: Int, columns: Range<Int>, half: Int, ahead: Int = 0) {
            let starts = list(half), samples = starts + (inputs + 1), values = values(half)
            let c0 = columns.lowerBound, c1 = columns.upperBound
            let zero = SIMD4<Double>(repeating: 0), none = SIMD4<Int64>(repeating: 0)
            var end = 0
            for j in 0..<inputs {
                starts[j] = end
                let row = x + j &* m
                if ahead > 0 {
                    var e = c0 &+ ahead
                    while e < c1 &+ ahead { backprop_prefetch(row + e); e &+= 8 }
                    backprop_prefetch(row + (c1 &+ ahead &- 1))
                }
                var k = c0
                while k &+ 4 <= c1 {
                    let v = SIMD4<Double>(row[k], row[k &+ 1], row[k &+ 2], row[k &+ 3])
                    let counts = none.replacing(with: 1, where: v .!= zero)
                    values[end] = v[0]
                    samples[end] = k
                    end &+= Int(counts[0])
                    values[end] = v[1]
                    samples[end] = k &+ 1
                    end &+= Int(counts[1])
                    values[end] = v[2]
                    samples[end] = k &+ 2
                    end &+= Int(counts[2])
                    values[end] = v[3]
                    samples[end] = k &+ 3
                    end &+= Int(counts[3])
                    k &+= 4
                }
                while k < c1 {
                    let v = row[k]
                    values[end] = v
                    samples[end] = k
                    end &+= v != 0 ? 1 : 0
                    k &+= 1
                }
            }
            starts[inputs] = end
            // The same entries sample by sample (inputs still ascending), counted first.
            let byStart = samples + inputs &* capacity, byInput = byStart + (capacity &+ 1)
            let byValue = values + inputs &* capacity
            for k in columns { byStart[k] = 0 }
            for e in 0..<end { byStart[samples[e]] &+= 1 }
            var total = 0
            for k in columns {
                let count = byStart[k]
                byStart[k] = total
                total &+= count
            }
            for j in 0..<inputs {
                for e in starts[j]..<starts[j &+ 1] {
                    let k = samples[e], at = byStart[k]
                    byInput[at] = j
                    byValue[at] = values[e]
                    byStart[k] = at &+ 1
                }
            }
            // Each start moved to the next sample's: the start of k is now the end of k − 1.
        }

        /// z⁽¹⁾ of the samples `columns` (those of half `half`'s list) into the trace's
        /// z⁽¹⁾ (n₁ × m, at `z`), and a⁽¹⁾ = g(z⁽¹⁾):
        ///
        ///     z⁽¹⁾⁽ᵏ⁾ = b⁽¹⁾ + Σ_{j: x_j⁽ᵏ⁾ ≠ 0} x_j⁽ᵏ⁾ (Θ⁽¹⁾ᵀ)_j
        func forward(
            _ p: UnsafeMutablePointer<Double>, _ layer: Trace.LayerLayout, _ g: Activation, _ m: Int,
            columns: Range<Int>, half: Int
        ) {
            let n = units, starts = list(half), samples = starts + (inputs + 1), values = values(half)
            let z = p + layer.z, a = p + layer.a
            // A block of units at a time: z⁽¹⁾ᵀ of the block over the batch stays in the
            // first-level cache while the block's rows of Θ⁽¹⁾ᵀ stream by.
            var c = 0
            while c < n {
                let w = Swift.min(SparseInput.block, n &- c)
                let thetaBlock = thetaT + c &* inputs, zBlock = zT + c &* capacity
                let bias: UnsafePointer<Double>? = layer.b >= 0 ? UnsafePointer(p + layer.b + c) : nil
                if w > 24 {
                    // Sample by sample, the block's sums in registers (`BlockSums`).
                    let byStart = samples + inputs &* capacity, byInput = byStart + (capacity &+ 1)
                    let byValue = values + inputs &* capacity
                    for k in columns {
                        var sums = SparseInput.BlockSums(bias, count: w)
                        for e in (k == columns.lowerBound ? 0 : byStart[k &- 1])..<byStart[k] {
                            sums.add(byValue[e], thetaBlock + byInput[e] &* w)
                        }
                        sums.store(zBlock + k &* w, count: w)
                    }
                } else {
                    // Input by input, each nonzero x_j added into its sample's sums.
                    for k in columns {
                        let zk = zBlock + k &* w
                        if let bias {
                            for i in 0..<w { zk[i] = bias[i] }
                        } else {
                            for i in 0..<w { zk[i] = 0 }
                        }
                    }
                    for j in 0..<inputs {
                        let theta = thetaBlock + j &* w
                        for e in starts[j]..<starts[j &+ 1] {
                            SparseInput.axpy(zBlock + samples[e] &* w, values[e], theta, w)
                        }
                    }
                }
                for i in 0..<w {
                    let row = (c &+ i) &* m
                    for k in columns { z[row &+ k] = zBlock[k &* w &+ i] }
                    g.apply(z + (row &+ columns.lowerBound), a + (row &+ columns.lowerBound), columns.count)
                }
                c &+= w
            }
        }

        /// (δ⁽¹⁾ᵀ)ₖ ← column k of the trace's δ⁽¹⁾ (n₁ × m, at `delta`), for k in `columns`.
        func transposeErrors(_ delta: UnsafePointer<Double>, _ m: Int, columns: Range<Int>) {
            let n = units
            var c = 0
            while c < n {
                let w = Swift.min(SparseInput.block, n &- c), dBlock = deltaT + c &* capacity
                for k in columns {
                    let row = dBlock + k &* w
                    for i in 0..<w { row[i] = delta[(c &+ i) &* m &+ k] }
                }
                c &+= w
            }
        }

        /// The step of rows `rows` of Θ⁽¹⁾ᵀ from the lists `lists` (both halves of a batch
        /// cut in two, or the one list of a whole batch):
        ///
        ///     (Θ⁽¹⁾ᵀ)_j ← (Θ⁽¹⁾ᵀ)_j − α (s Σ_{k: x_j⁽ᵏ⁾ ≠ 0} x_j⁽ᵏ⁾ (δ⁽¹⁾ᵀ)ₖ + λ (Θ⁽¹⁾ᵀ)_j)
        ///
        /// A row with no nonzero input in the batch has a zero sum: without λ it keeps its
        /// weights (θ − α · 0 = θ), and is skipped. `part` picks the accumulator.
        func descend(rows: Range<Int>, lists: Range<Int>, s: Double, lambda: Double, alpha: Double, part: Int) {
            let n = units, sum = sums + part &* n
            // A block of units at a time, so that δ⁽¹⁾ᵀ of those units over the samples
            // stays in the first-level cache while the inputs go by.
            var c = 0
            while c < n {
                let w = Swift.min(SparseInput.block, n &- c)
                let thetaBlock = thetaT + c &* inputs, dBlock = deltaT + c &* capacity
                for j in rows {
                    var touched = false
                    if w > 24 {
                        // The block's sums stay in registers from entry to entry.
                        var acc = SparseInput.BlockSums(nil, count: w)
                        for half in lists {
                            let starts = list(half), samples = starts + (inputs + 1), values = values(half)
                            for e in starts[j]..<starts[j &+ 1] {
                                touched = true
                                acc.add(values[e], dBlock + samples[e] &* w)
                            }
                        }
                        acc.store(sum, count: w)
                    } else {
                        for i in 0..<w { sum[i] = 0 }
                        for half in lists {
                            let starts = list(half), samples = starts + (inputs + 1), values = values(half)
                            for e in starts[j]..<starts[j &+ 1] {
                                touched = true
                                SparseInput.axpy(sum, values[e], dBlock + samples[e] &* w, w)
                            }
                        }
                    }
                    let theta = thetaBlock + j &* w
                    if lambda != 0 {
                        for i in 0..<w { theta[i] -= alpha * (lambda * theta[i] + s * sum[i]) }
                    } else if touched {
                        for i in 0..<w { theta[i] -= alpha * (s * sum[i]) }
                    }
                }
                c &+= w
            }
        }

        /// The step of b⁽¹⁾'s units `units`: bᵢ ← bᵢ − α s Σ_k δᵢ⁽ᵏ⁾ over the m samples.
        func descendBias(
            _ p: UnsafeMutablePointer<Double>, _ layer: Trace.LayerLayout, _ m: Int, units: Range<Int>,
            s: Double, alpha: Double
        ) {
            guard layer.b >= 0 else { return }
            let delta = p + layer.delta, b = p + layer.b
            for i in units {
                var sum = 0.0
                for k in 0..<m { sum += delta[i &* m &+ k] }
                b[i] -= alpha * (s * sum)
            }
        }
    }

    /// y ← y + v x over w elements, each a fused multiply-add, four at a time.
    @inline(__always)
    static func axpy(_ y: UnsafeMutablePointer<Double>, _ v: Double, _ x: UnsafePointer<Double>, _ w: Int) {
        let v4 = SIMD4<Double>(repeating: v)
        let yr = UnsafeMutableRawPointer(y), xr = UnsafeRawPointer(x)
        var i = 0
        while i &+ 16 <= w {
            let o = i &* 8
            let y0 = yr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let y1 = yr.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            let y2 = yr.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD4<Double>.self)
            let y3 = yr.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD4<Double>.self)
            let x0 = xr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let x1 = xr.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD4<Double>.self)
            let x2 = xr.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD4<Double>.self)
            let x3 = xr.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD4<Double>.self)
            yr.storeBytes(of: y0.addingProduct(v4, x0), toByteOffset: o, as: SIMD4<Double>.self)
            yr.storeBytes(of: y1.addingProduct(v4, x1), toByteOffset: o &+ 32, as: SIMD4<Double>.self)
            yr.storeBytes(of: y2.addingProduct(v4, x2), toByteOffset: o &+ 64, as: SIMD4<Double>.self)
            yr.storeBytes(of: y3.addingProduct(v4, x3), toByteOffset: o &+ 96, as: SIMD4<Double>.self)
            i &+= 16
        }
        while i &+ 4 <= w {
            let o = i &* 8
            let y0 = yr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let x0 = xr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            yr.storeBytes(of: y0.addingProduct(v4, x0), toByteOffset: o, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < w {
            y[i] = y[i].addingProduct(v, x[i])
            i &+= 1
        }
    }

    /// Up to 32 running sums Σ v x, four to a vector, kept in registers. `add` reads 32
    /// elements of x whatever the count (the buffers of `SparseInput` have room past
    /// each row): the sums past the count are never stored.
    struct BlockSums {
        private var s0: SIMD4<Double>, s1: SIMD4<Double>, s2: SIMD4<Double>, s3: SIMD4<Double>
        private var s4: SIMD4<Double>, s5: SIMD4<Double>, s6: SIMD4<Double>, s7: SIMD4<Double>

        /// Sums starting from `start[0 ..< count]`, or from 0.
        @inline(__always)
        init(_ start: UnsafePointer<Double>?, count: Int) {
            var lanes = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(),
                         SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
            if let start {
                withUnsafeMutableBytes(of: &lanes) { raw in
                    let d = raw.baseAddress!.assumingMemoryBound(to: Double.self)
                    for i in 0..<count { d[i] = start[i] }
                }
            }
            (s0, s1, s2, s3, s4, s5, s6, s7) = lanes
        }

        /// sums ← sums + v x over x's 32 elements, each a fused multiply-add.
        @inline(__always)
        mutating func add(_ v: Double, _ x: UnsafePointer<Double>) {
            let v4 = SIMD4<Double>(repeating: v), r = UnsafeRawPointer(x)
            s0 = s0.addingProduct(v4, r.loadUnaligned(fromByteOffset: 0, as: SIMD4<Double>.self))
            s1 = s1.addingProduct(v4, r.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self))
            s2 = s2.addingProduct(v4, r.loadUnaligned(fromByteOffset: 64, as: SIMD4<Double>.self))
            s3 = s3.addingProduct(v4, r.loadUnaligned(fromByteOffset: 96, as: SIMD4<Double>.self))
            s4 = s4.addingProduct(v4, r.loadUnaligned(fromByteOffset: 128, as: SIMD4<Double>.self))
            s5 = s5.addingProduct(v4, r.loadUnaligned(fromByteOffset: 160, as: SIMD4<Double>.self))
            s6 = s6.addingProduct(v4, r.loadUnaligned(fromByteOffset: 192, as: SIMD4<Double>.self))
            s7 = s7.addingProduct(v4, r.loadUnaligned(fromByteOffset: 224, as: SIMD4<Double>.self))
        }

        /// The first `count` sums into y.
        @inline(__always)
        func store(_ y: UnsafeMutablePointer<Double>, count: Int) {
            let r = UnsafeMutableRawPointer(y)
            if count == 32 {
                r.storeBytes(of: s0, toByteOffset: 0, as: SIMD4<Double>.self)
                r.storeBytes(of: s1, toByteOffset: 32, as: SIMD4<Double>.self)
                r.storeBytes(of: s2, toByteOffset: 64, as: SIMD4<Double>.self)
                r.storeBytes(of: s3, toByteOffset: 96, as: SIMD4<Double>.self)
                r.storeBytes(of: s4, toByteOffset: 128, as: SIMD4<Double>.self)
                r.storeBytes(of: s5, toByteOffset: 160, as: SIMD4<Double>.self)
                r.storeBytes(of: s6, toByteOffset: 192, as: SIMD4<Double>.self)
                r.storeBytes(of: s7, toByteOffset: 224, as: SIMD4<Double>.self)
                return
            }
            var lanes = (s0, s1, s2, s3, s4, s5, s6, s7)
            withUnsafeBytes(of: &lanes) { raw in
                let d = raw.baseAddress!.assumingMemoryBound(to: Double.self)
                for i in 0..<count { y[i] = d[i] }
            }
        }
    }
}
