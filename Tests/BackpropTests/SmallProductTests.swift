import Testing
@testable import Backprop

/// The register-tiled products of `SmallProduct` against the definition
/// cᵢⱼ ← α Σ_p op(A)ᵢₚ op(B)ₚⱼ + β cᵢⱼ written out as plain loops here, on every edge of
/// the tiles (rows not a multiple of 4, columns not a multiple of 8), with strides wider
/// than the rows.
@Suite("small products") struct SmallProductTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (3, 5, 7), (4, 8, 2), (5, 9, 3), (7, 17, 1), (32, 32, 64),
                                            (10, 32, 32), (32, 64, 5), (9, 8, 33), (2, 3, 0)]

    @Test("op(A) op(B) against the definition, every transpose the engine uses, α and β",
          arguments: [(false, false), (true, false), (false, true)])
    func againstTheDefinition(_ transposes: (Bool, Bool)) {
        let (transA, transB) = transposes
        var g = SeededGenerator(seed: 12)
        for (m, n, k) in Self.shapes {
            for (alpha, beta) in [(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25)] {
                // op(A) is m × k: A is m × k, or k × m when transposed; 3 extra columns of stride.
                let (aRows, aCols) = transA ? (k, m) : (m, k)
                let (bRows, bCols) = transB ? (n, k) : (k, n)
                let lda = aCols + 3, ldb = bCols + 2, ldc = n + 1
                let a = (0..<(max(aRows, 1) * lda)).map { _ in g.uniform() - 0.5 }
                let b = (0..<(max(bRows, 1) * ldb)).map { _ in g.uniform() - 0.5 }
                let c0 = (0..<(m * ldc)).map { _ in g.uniform() - 0.5 }
                var expected = c0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0
                        for p in 0..<k {
                            let aip = transA ? a[p * lda + i] : a[i * lda + p]
                            let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                            s += aip * bpj
                        }
                        expected[i * ldc + j] = alpha * s + beta * c0[i * ldc + j]
                    }
                }
                var c = c0
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            SmallProduct.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                              a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb, beta: beta,
                                              c: c.baseAddress!, ldc: ldc)
                        }
                    }
                }
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n { worst = max(worst, abs(c[i * ldc + j] - expected[i * ldc + j])) }
                    // The padding between rows of C is left alone.
                    if n < ldc { #expect(c[i * ldc + n] == c0[i * ldc + n]) }
                }
                #expect(worst <= 1e-14 * Double(max(k, 1)), "\(m)×\(n)×\(k) α \(alpha) β \(beta): \(worst)")
            }
        }
    }

    @Test("an element is computed the same wherever the product is cut")
    func sameBitsInHalves() {
        var g = SeededGenerator(seed: 4)
        let (m, n, k) = (12, 21, 13)
        let a = (0..<(m * k)).map { _ in g.uniform() - 0.5 }, b = (0..<(k * n)).map { _ in g.uniform() - 0.5 }
        var whole = [Double](repeating: 0, count: m * n), cut = whole
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                whole.withUnsafeMutableBufferPointer { c in
                    SmallProduct.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!,
                                      lda: k, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
                }
                cut.withUnsafeMutableBufferPointer { c in
                    // Rows 0 ..< 5 and 5 ..< 12; then the columns 0 ..< 11 and 11 ..< 21 of the second part.
                    SmallProduct.gemm(transA: false, transB: false, m: 5, n: n, k: k, alpha: 1, a: a.baseAddress!,
                                      lda: k, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
                    for (j0, w) in [(0, 11), (11, 10)] {
                        SmallProduct.gemm(transA: false, transB: false, m: 7, n: w, k: k, alpha: 1,
                                          a: a.baseAddress! + 5 * k, lda: k, b: b.baseAddress! + j0, ldb: n, beta: 0,
                                          c: c.baseAddress! + 5 * n + j0, ldc: n)
                    }
                }
            }
        }
        #expect(whole.map(\.bitPattern) == cut.map(\.bitPattern))
    }
}
