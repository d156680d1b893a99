/// The engine's one seam for matrix products, with BLAS's dgemm contract in row-major
/// order:
///
///     C ← α · op(A) · op(B) + β · C,   op(X) = X or Xᵀ,
///
/// op(A) is m × k, op(B) is k × n and C is m × n; `lda`, `ldb`, `ldc` are the row
/// strides. Every product of the forward and backward passes goes through here, so a
/// tuned kernel replaces these loops without touching the math.
enum MatrixMultiply {
    /// Inlined into each caller, whose transposes are constants there: a tiny product
    /// (a small network, one sample at a time) runs as loops specialised to them.
    /// `tiles` takes `SmallProduct` whatever the shape: a part of a product cut anywhere
    /// then has each element's bits from the same loops as the whole (`PairedSteps`).
    // swiftlint:disable:next function_parameter_count
    @inline(__always)
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, tiles: Bool = false
    ) {
        if m == 0 || n == 0 { return }
        if m * n * k <= tinyProduct && !tiles {
            tiny(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        if tiles || SmallProduct.takes(transA: transA, transB: transB, m: m, n: n, k: k) {
            SmallProduct.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                              a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        if m * n * k >= MatrixKernel.externalThreshold, let kernel = MatrixKernel.external {
            kernel(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        loops(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
              a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// The engine's own loops, for the products below the tuned kernel's threshold (and
    /// all of them without one).
    // swiftlint:disable:next function_parameter_count
    static func loops(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if m * n * k <= tinyProduct {
            tiny(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // β · C first, so the loops below only accumulate.
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                for j in 0..<n { row[j] = 0 }
            } else if beta != 1 {
                for j in 0..<n { row[j] *= beta }
            }
        }
        if k == 0 || alpha == 0 { return }
        switch (transA, transB) {
        case (false, false):
            // C[i,:] += α A[i,p] B[p,:]
            for i in 0..<m {
                let row = c + i * ldc
                for p in 0..<k {
                    let s = alpha * a[i * lda + p]
                    let bRow = b + p * ldb
                    for j in 0..<n { row[j] += s * bRow[j] }
                }
            }
        case (true, false):
            // C[i,:] += α A[p,i] B[p,:]
            for p in 0..<k {
                let aRow = a + p * lda
                let bRow = b + p * ldb
                for i in 0..<m {
                    let s = alpha * aRow[i]
                    let row = c + i * ldc
                    for j in 0..<n { row[j] += s * bRow[j] }
                }
            }
        case (false, true):
            // C[i,j] += α Σ_p A[i,p] B[j,p]
            for i in 0..<m {
                let aRow = a + i * lda
                let row = c + i * ldc
                for j in 0..<n {
                    row[j] += alpha * dot(aRow, b + j * ldb, k)
                }
            }
        case (true, true):
            // C[i,j] += α Σ_p A[p,i] B[j,p]
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n {
                    var s = 0.0
                    for p in 0..<k { s += a[p * lda + i] * b[j * ldb + p] }
                    row[j] += alpha * s
                }
            }
        }
    }

    /// Products of at most this many multiply-adds take `tiny`.
    static let tinyProduct = 64

    /// A product of a few multiply-adds (a small network, one sample at a time): one
    /// element of C at a time, the transposes as strides, nothing to set up. Each element
    /// is summed in the same order, with the same roundings, as in the loops below, so the
    /// results do not depend on which of the two ran.
    @inline(__always)
    static func tiny(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        // op(A)[i, p] = a[i · ai + p · ap],  op(B)[p, j] = b[p · bp + j · bj]
        // (wrapping arithmetic: these are indices of elements that exist).
        let (ai, ap) = transA ? (1, lda) : (lda, 1)
        let (bp, bj) = transB ? (1, ldb) : (ldb, 1)
        for i in 0..<m {
            for j in 0..<n {
                let cij = c + (i &* ldc &+ j)
                var s = beta == 0 ? 0 : beta == 1 ? cij.pointee : beta * cij.pointee
                if k > 0 && alpha != 0 {
                    let x = a + i &* ai, y = b + j &* bj
                    switch (transA, transB) {
                    case (_, false):
                        // C[i,j] += (α A[i,p]) B[p,j], p = 0, 1, …
                        for p in 0..<k { s += alpha * x[p &* ap] * y[p &* bp] }
                    case (false, true):
                        s += alpha * dot(x, y, k)
                    case (true, true):
                        var d = 0.0
                        for p in 0..<k { d += x[p &* ap] * y[p &* bp] }
                        s += alpha * d
                    }
                }
                cij.pointee = s
            }
        }
    }

    /// Σ_p x_p y_p over k contiguous elements, four partial sums at a time.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ k: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var p = 0
        while p + 4 <= k {
            s0 += x[p] * y[p]
            s1 += x[p + 1] * y[p + 1]
            s2 += x[p + 2] * y[p + 2]
            s3 += x[p + 3] * y[p + 3]
            p += 4
        }
        while p < k { s0 += x[p] * y[p]; p += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// C ← α · op(A) · op(B) + β · C on whole matrices.
    static func gemm(
        _ a: Matrix, _ b: Matrix, transA ta: Bool = false, transB tb: Bool = false,
        into c: inout Matrix, alpha: Double = 1, beta: Double = 0
    ) {
        let m = ta ? a.cols : a.rows
        let k = ta ? a.rows : a.cols
        let n = tb ? b.rows : b.cols
        precondition((tb ? b.cols : b.rows) == k && c.rows == m && c.cols == n, "gemm shapes")
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in c.elements.indices { c.elements[i] = beta == 0 ? 0 : beta * c.elements[i] }
            return
        }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha,
                         a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                         beta: beta, c: pc.baseAddress!, ldc: c.cols)
                }
            }
        }
    }
}

/// An optional tuned dgemm (row-major, same arguments as `MatrixMultiply.gemm`) that
/// takes over products of at least `externalThreshold` multiply-adds.
public enum MatrixKernel {
    public typealias Gemm = @Sendable (
        Bool, Bool, Int, Int, Int, Double, UnsafePointer<Double>, Int,
        UnsafePointer<Double>, Int, Double, UnsafeMutablePointer<Double>, Int
    ) -> Void
    // Read on every product: no dynamic exclusivity checks (set them once, at start-up).
    @exclusivity(unchecked) nonisolated(unsafe) public static var external: Gemm?
    @exclusivity(unchecked) nonisolated(unsafe) public static var externalThreshold = 4096
    /// A short name of the code path products take, for benchmarks.
    nonisolated(unsafe) public static var name = "Swift loops"
    /// Products of up to this many multiply-adds take the engine's register tiles
    /// (`SmallProduct`), not the tuned kernel.
    public static var smallProductLimit: Int { SmallProduct.limit }
    /// The threads a training step runs on: 2 when the machine has two processors or
    /// more (the batch is split between them), else 1; BACKPROP_THREADS=1 keeps one.
    public static var threads: Int { ThreadPair.threads }
}
