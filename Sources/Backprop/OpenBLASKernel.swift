#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS behind the multiply seam, loaded at run time with `dlopen` so that the
/// engine builds and runs without it.
///
/// Debian's OpenBLAS 0.3.21 picks its kernel once, when it is loaded, from
/// `OPENBLAS_CORETYPE` or its own CPU detection, and does not recognise recent
/// processors (it falls back to the SSE3 "Prescott" kernel, 3–5× slower). So before
/// loading it this sets, unless the caller already did:
///
/// - `OPENBLAS_CORETYPE` from the CPU flags: avx512f + avx512bw → SkylakeX,
///   avx2 + fma → Haswell (the same kernels OpenBLAS uses for AMD Zen), otherwise
///   left to OpenBLAS;
/// - `OPENBLAS_NUM_THREADS` to 1: the engine splits its products over the processors
///   itself (`ThreadPair`), so each call of OpenBLAS runs on the thread that made it.
///
/// Products smaller than `MatrixKernel.externalThreshold` multiply-adds stay in the
/// engine's Swift loops, where a library call costs more than the work.
extension MatrixKernel {
    /// Loads OpenBLAS (once) and routes large products through `cblas_dgemm`. Returns
    /// whether OpenBLAS is in use; when it cannot be loaded the Swift loops stay, and
    /// `name` says why. Setting `BACKPROP_OPENBLAS=off` in the environment keeps the
    /// Swift loops; `BACKPROP_OPENBLAS=/path/libopenblas.so` loads that library.
    ///
    /// `lazily`: load it on the first product of at least the threshold instead of now, so
    /// that a run whose products are all small (a 2-2-1 network) never starts OpenBLAS's
    /// threads, which spin on the other cores for a while after start-up. Returns true;
    /// `name` says "Swift loops" until a large product comes.
    @discardableResult
    public static func enableOpenBLAS(lazily: Bool = false) -> Bool {
        if lazily {
            external = { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
                // Replaces itself with OpenBLAS, or with nothing when it cannot be loaded.
                if enableOpenBLAS(), let gemm = external {
                    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
                } else {
                    MatrixMultiply.loops(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
                }
            }
            externalThreshold = OpenBLAS.threshold
            name = "Swift loops (no product reached \(OpenBLAS.threshold) multiply-adds: OpenBLAS not loaded)"
            return true
        }
        switch OpenBLAS.shared {
        case .success(let library):
            external = library.gemm
            externalThreshold = OpenBLAS.threshold
            name = library.description
            return true
        case .failure(let reason):
            external = nil
            name = "Swift loops (\(reason))"
            return false
        }
    }
}

/// The loaded library: `cblas_dgemm` and what it says about itself.
struct OpenBLAS: Sendable {
    typealias CBLASGemm = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
        UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32
    ) -> Void

    struct LoadFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Products of fewer multiply-adds (m · n · k) stay in the Swift loops. A call of
    /// `cblas_dgemm` costs about 0.1 µs before any work; measured on an AMD EPYC (Zen 3,
    /// Haswell kernel), the Swift loops are faster up to about 100 multiply-adds (2×1×2:
    /// 0.02 µs against 0.08 µs), OpenBLAS from about 200 on (16×16×16: 0.37 µs against
    /// 1.3 µs; 10×10×30: 0.42 µs against 1.25 µs).
    static let threshold = 128

    /// Loaded on first use, after the environment is set.
    static let shared: Result<OpenBLAS, LoadFailure> = load()

    let dgemm: CBLASGemm
    let version: String
    let core: String
    let threads: Int

    var description: String {
        "\(version) \(core), \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// The engine's row-major gemm on top of `cblas_dgemm` (CblasRowMajor = 101,
    /// CblasNoTrans = 111, CblasTrans = 112).
    var gemm: MatrixKernel.Gemm {
        let dgemm = self.dgemm
        return { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            dgemm(101, transA ? 112 : 111, transB ? 112 : 111, Int32(m), Int32(n), Int32(k),
                  alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// The library files tried in order: Debian's pthread build, then the loader's search.
    static var candidates: [String] {
        #if arch(x86_64)
        let multiarch = "x86_64-linux-gnu"
        #elseif arch(arm64)
        let multiarch = "aarch64-linux-gnu"
        #else
        let multiarch = ""
        #endif
        var paths: [String] = []
        if !multiarch.isEmpty {
            paths.append("/usr/lib/\(multiarch)/openblas-pthread/libopenblas.so.0")
        }
        paths += ["libopenblas.so.0", "libopenblas.so"]
        return paths
    }

    static func load() -> Result<OpenBLAS, LoadFailure> {
        var paths = candidates
        if let chosen = environment("BACKPROP_OPENBLAS") {
            if chosen == "off" || chosen == "0" {
                return .failure(LoadFailure(description: "BACKPROP_OPENBLAS=off"))
            }
            paths = [chosen]
        }
        configureEnvironment()
        guard let handle = paths.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            return .failure(LoadFailure(description: "libopenblas not found"))
        }
        guard let gemmSymbol = dlsym(handle, "cblas_dgemm") else {
            return .failure(LoadFailure(description: "no cblas_dgemm in libopenblas"))
        }
        let dgemm = unsafeBitCast(gemmSymbol, to: CBLASGemm.self)

        typealias GetString = @convention(c) () -> UnsafeMutablePointer<CChar>?
        typealias GetInt = @convention(c) () -> Int32
        typealias SetInt = @convention(c) (Int32) -> Void
        func string(_ symbol: String) -> String? {
            guard let f = dlsym(handle, symbol), let p = unsafeBitCast(f, to: GetString.self)() else {
                return nil
            }
            return String(cString: p)
        }
        if let set = dlsym(handle, "openblas_set_num_threads"),
           let wanted = environment("OPENBLAS_NUM_THREADS").flatMap({ Int32($0) }), wanted > 0 {
            unsafeBitCast(set, to: SetInt.self)(wanted)
        }
        let threads = dlsym(handle, "openblas_get_num_threads").map {
            Int(unsafeBitCast($0, to: GetInt.self)())
        } ?? 1
        // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64" → "OpenBLAS 0.3.21"
        let config = string("openblas_get_config") ?? "OpenBLAS"
        let version = config.split(separator: " ").prefix(2).joined(separator: " ")
        let core = string("openblas_get_corename") ?? "unknown core"
        return .success(OpenBLAS(dgemm: dgemm, version: version, core: core, threads: threads))
    }

    /// Sets OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS unless they are set already.
    static func configureEnvironment() {
        if environment("OPENBLAS_CORETYPE") == nil, let core = bestCoreType() {
            setenv("OPENBLAS_CORETYPE", core, 0)
        }
        if environment("OPENBLAS_NUM_THREADS") == nil {
            setenv("OPENBLAS_NUM_THREADS", "1", 0)
        }
    }

    /// The best OpenBLAS 0.3.21 kernel for this CPU, from the flags in /proc/cpuinfo, or
    /// nil to let OpenBLAS decide.
    static func bestCoreType() -> String? {
        guard let flags = cpuFlags() else { return nil }
        return coreType(flags: flags)
    }

    static func coreType(flags: Set<Substring>) -> String? {
        if flags.contains("avx512f") && flags.contains("avx512bw") { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The flags of the first processor in /proc/cpuinfo.
    static func cpuFlags() -> Set<Substring>? {
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("flags") || text.hasPrefix("Features"),
               let colon = text.firstIndex(of: ":") {
                return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }))
            }
        }
        return nil
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
