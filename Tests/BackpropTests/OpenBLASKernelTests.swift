import Testing
@testable import Backprop

/// The tuned kernel behind the multiply seam: the CPU → OpenBLAS core choice, and
/// `cblas_dgemm` agreeing with the Swift loops on every transpose, α, β and shape (when
/// OpenBLAS is installed; the kernel is called directly, never installed globally, so the
/// other tests keep running on the Swift loops).
@Suite("OpenBLAS kernel")
struct OpenBLASKernelTests {
    @Test("core type from the CPU flags: AVX-512 → SkylakeX, AVX2 + FMA → Haswell, else OpenBLAS decides")
    func coreType() {
        #expect(OpenBLAS.coreType(flags: ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw"]) == "SkylakeX")
        #expect(OpenBLAS.coreType(flags: ["sse2", "avx", "avx2", "fma", "avx512f"]) == "Haswell")
        #expect(OpenBLAS.coreType(flags: ["sse2", "avx", "avx2", "fma"]) == "Haswell")
        #expect(OpenBLAS.coreType(flags: ["sse2", "avx", "avx2"]) == nil)
        #expect(OpenBLAS.coreType(flags: ["sse2", "sse3"]) == nil)
        #expect(OpenBLAS.coreType(flags: []) == nil)
    }

    @Test("cblas_dgemm = the Swift loops (row-major, all transposes, α, β) to 1e-13")
    func agreesWithSwiftLoops() throws {
        guard case .success(let library) = OpenBLAS.shared else { return }  // not installed
        #expect(library.description.hasPrefix("OpenBLAS"))
        let kernel = library.gemm
        var generator = SeededGenerator(seed: 42)
        let shapes = [(1, 1, 1), (2, 1, 2), (3, 5, 7), (16, 16, 16), (33, 17, 65), (128, 64, 100), (10, 300, 9)]
        for (m, n, k) in shapes {
            for transA in [false, true] {
                for transB in [false, true] {
                    for (alpha, beta) in [(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25)] {
                        let lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 3
                        let a = (0..<((transA ? k : m) * lda)).map { _ in generator.uniform() - 0.5 }
                        let b = (0..<((transB ? n : k) * ldb)).map { _ in generator.uniform() - 0.5 }
                        let c0 = (0..<(m * ldc)).map { _ in generator.uniform() - 0.5 }
                        var swift = c0, blas = c0
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in
                                swift.withUnsafeMutableBufferPointer { pc in
                                    // The Swift loops: below any threshold, no external kernel.
                                    MatrixMultiply.loops(
                                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                        a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                        beta: beta, c: pc.baseAddress!, ldc: ldc)
                                }
                                blas.withUnsafeMutableBufferPointer { pc in
                                    kernel(transA, transB, m, n, k, alpha, pa.baseAddress!, lda,
                                           pb.baseAddress!, ldb, beta, pc.baseAddress!, ldc)
                                }
                            }
                        }
                        var worst = 0.0
                        for i in 0..<m {
                            for j in 0..<n {
                                let x = swift[i * ldc + j], y = blas[i * ldc + j]
                                worst = max(worst, abs(x - y) / max(abs(x), 1))
                            }
                            // Padding between rows untouched.
                            for j in n..<ldc { #expect(blas[i * ldc + j] == c0[i * ldc + j]) }
                        }
                        #expect(worst < 1e-13, "\(m)×\(n)×\(k) transA \(transA) transB \(transB) α \(alpha) β \(beta)")
                    }
                }
            }
        }
    }
}
