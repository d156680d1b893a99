/// Matrix products of the sizes a mini-batch of a small network makes (a few tens of
/// rows and columns: digits' 64-32-10 in batches of 32), with the sums of a tile of C
/// kept in vector registers: below about 10⁵ multiply-adds a tuned library spends more
/// on copying its operands into its own layout than on the products.
///
///     C ← α · op(A) · op(B) + β · C      (row-major, as `MatrixMultiply.gemm`)
///
/// Every element of C is computed the same way wherever it lies in C (in a full tile or
/// at an edge), so the numbers do not depend on where a product is cut in halves.
enum SmallProduct {
    /// Products of at most this many multiply-adds take these loops.
    static let limit = 1 << 17

    /// Whether `gemm` takes a product of this shape and these transposes: at most
    /// `limit` multiply-adds, at least one full tile of C (4 × 8) and sums of two terms
    /// or more, and not both operands transposed. (The products of one sample, a column
    /// of C or sums of one term, stay in `MatrixMultiply`'s own loops, whose order of
    /// operations the fused steps of `sampleSteps` repeat.)
    @inline(__always)
    static func takes(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> Bool {
        !(transA && transB) && m >= 4 && n >= 8 && k >= 2 && m &* n &* k <= limit
    }

    // swiftlint:disable:next function_parameter_count
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if transB {
            // op(B) = Bᵀ copied out (k × n, row p contiguous), then as below.
            withUnsafeTemporaryAllocation(of: Double.self, capacity: k &* n) { buffer in
                let t = buffer.baseAddress!
                transpose(b, ldb, rows: n, columns: k, into: t)
                rows(transA: false, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: t, ldb: n, beta: beta,
                     c: c, ldc: ldc)
            }
        } else if transA {
            rows(transA: true, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                 c: c, ldc: ldc)
        } else {
            rows(transA: false, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                 c: c, ldc: ldc)
        }
    }

    /// t (columns × rows, row-major) ← the transpose of the rows × columns matrix at b
    /// (row stride ldb): t[p·rows + j] = b[j·ldb + p]. Blocks of 4 × 4 go through
    /// registers (four rows read, four rows of t written, each as vectors), the edges
    /// one element at a time.
    @inline(__always)
    static func transpose(
        _ b: UnsafePointer<Double>, _ ldb: Int, rows n: Int, columns k: Int, into t: UnsafeMutablePointer<Double>
    ) {
        var j = 0
        while j &+ 4 <= n {
            let r0 = b + j &* ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb
            var p = 0
            while p &+ 4 <= k {
                let v0 = load(r0 + p), v1 = load(r1 + p), v2 = load(r2 + p), v3 = load(r3 + p)
                let out = UnsafeMutableRawPointer(t + (p &* n &+ j))
                let stride = n &* 8
                out.storeBytes(of: SIMD4(v0[0], v1[0], v2[0], v3[0]), as: SIMD4<Double>.self)
                (out + stride).storeBytes(of: SIMD4(v0[1], v1[1], v2[1], v3[1]), as: SIMD4<Double>.self)
                (out + 2 &* stride).storeBytes(of: SIMD4(v0[2], v1[2], v2[2], v3[2]), as: SIMD4<Double>.self)
                (out + 3 &* stride).storeBytes(of: SIMD4(v0[3], v1[3], v2[3], v3[3]), as: SIMD4<Double>.self)
                p &+= 4
            }
            while p < k {
                let row = t + (p &* n &+ j)
                row[0] = r0[p]; row[1] = r1[p]; row[2] = r2[p]; row[3] = r3[p]
                p &+= 1
            }
            j &+= 4
        }
        while j < n {
            let row = b + j &* ldb
            for p in 0..<k { t[p &* n &+ j] = row[p] }
            j &+= 1
        }
    }

    /// cᵢⱼ ← α s + β cᵢⱼ (β = 0: without reading c).
    @inline(__always)
    static func finish(_ s: SIMD4<Double>, _ c: UnsafeMutablePointer<Double>, _ alpha: Double, _ beta: Double) {
        let r = UnsafeMutableRawPointer(c)
        var v = SIMD4<Double>(repeating: alpha) * s
        if beta != 0 { v += SIMD4<Double>(repeating: beta) * r.loadUnaligned(as: SIMD4<Double>.self) }
        r.storeBytes(of: v, as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func finish(_ s: Double, _ c: UnsafeMutablePointer<Double>, _ alpha: Double, _ beta: Double) {
        c.pointee = beta != 0 ? alpha * s + beta * c.pointee : alpha * s
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// op(B) = B: row p of B is contiguous, so each step adds A(i, p) · B[p, j ..< j + 8]
    /// to a tile of 4 rows × 8 columns of sums (8 vectors). A(i, p) is a[i·lda + p], or
    /// a[p·lda + i] when `transA`.
    @inline(__always)
    static func rows(
        transA: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        let (ai, ap) = transA ? (1, lda) : (lda, 1)
        var i = 0
        while i < m {
            let h = Swift.min(4, m &- i)
            let a0 = a + i &* ai, a1 = a0 + (h > 1 ? ai : 0), a2 = a0 + (h > 2 ? 2 &* ai : 0)
            let a3 = a0 + (h > 3 ? 3 &* ai : 0)
            var j = 0
            while j &+ 8 <= n {
                var s00 = SIMD4<Double>(), s01 = SIMD4<Double>(), s10 = SIMD4<Double>(), s11 = SIMD4<Double>()
                var s20 = SIMD4<Double>(), s21 = SIMD4<Double>(), s30 = SIMD4<Double>(), s31 = SIMD4<Double>()
                var bp = b + j
                for p in 0..<k {
                    let b0 = load(bp), b1 = load(bp + 4)
                    let o = p &* ap
                    let x0 = SIMD4<Double>(repeating: a0[o]), x1 = SIMD4<Double>(repeating: a1[o])
                    let x2 = SIMD4<Double>(repeating: a2[o]), x3 = SIMD4<Double>(repeating: a3[o])
                    s00 = s00.addingProduct(x0, b0); s01 = s01.addingProduct(x0, b1)
                    s10 = s10.addingProduct(x1, b0); s11 = s11.addingProduct(x1, b1)
                    s20 = s20.addingProduct(x2, b0); s21 = s21.addingProduct(x2, b1)
                    s30 = s30.addingProduct(x3, b0); s31 = s31.addingProduct(x3, b1)
                    bp += ldb
                }
                let row = c + (i &* ldc &+ j)
                finish(s00, row, alpha, beta); finish(s01, row + 4, alpha, beta)
                if h > 1 { finish(s10, row + ldc, alpha, beta); finish(s11, row + (ldc &+ 4), alpha, beta) }
                if h > 2 { finish(s20, row + 2 &* ldc, alpha, beta); finish(s21, row + (2 &* ldc &+ 4), alpha, beta) }
                if h > 3 { finish(s30, row + 3 &* ldc, alpha, beta); finish(s31, row + (3 &* ldc &+ 4), alpha, beta) }
                j &+= 8
            }
            // The last columns, one at a time.
            while j < n {
                for r in 0..<h {
                    let ar = a + (i &+ r) &* ai
                    var s = 0.0
                    for p in 0..<k { s = s.addingProduct(ar[p &* ap], b[p &* ldb &+ j]) }
                    finish(s, c + ((i &+ r) &* ldc &+ j), alpha, beta)
                }
                j &+= 1
            }
            i &+= h
        }
    }
}
