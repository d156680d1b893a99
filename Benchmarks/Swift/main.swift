// backprop-bench: the Swift engine as a benchmark peer (see Benchmarks/README.md).
//
//     backprop-bench SPEC.json OUT.json [--swift-loops] [--dense] [--chunk N]
//     backprop-bench --dgemm [N]
//
// The first form follows the peers' interface: it reads the workload, trains
// `repeats` times from the initial weights with `Network.train` (mean reduction, no
// shuffling, batches of m), times the training loop only and writes OUT.json and the
// final weights next to it. `--swift-loops` keeps every product in the engine's
// Swift loops; `--dense` keeps layer 1 dense even where most inputs are zero (the
// engine skips them otherwise); `--chunk N` streams the data from disk N samples at a time (N a
// multiple of the batch size) to show the training loop's own memory.
// The second form measures the machine's DGEMM rate with the engine's tuned kernel.
import Backprop
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU seconds (user + system, every thread) the process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let t = [usage.ru_utime, usage.ru_stime]
    return t.reduce(0) { $0 + Double($1.tv_sec) + Double($1.tv_usec) * 1e-6 }
}

/// Peak resident memory of the process so far, in bytes.
func peakRSS() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

/// Resident memory now, in bytes (from /proc/self/statm).
func currentRSS() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

// MARK: - The workload

struct Spec {
    let name: String
    let layers: [Int]
    let samples: Int
    let epochs: Int
    let alpha: Double
    let batch: Int
    let repeats: Int
    /// Untimed runs before the timed ones (as every peer does; default 1).
    let warmup: Int
    let x: String
    let y: String
    let weights: String

    init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let data = try Data(contentsOf: url)
        guard let raw = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError("\(path): not a JSON object")
        }
        guard raw["format"] as? String == "backprop-peer-spec/1" else {
            throw BenchError("\(path): format is not backprop-peer-spec/1")
        }
        func number(_ key: String) throws -> Double {
            guard let v = raw[key] as? NSNumber else { throw BenchError("\(path): no \(key)") }
            return v.doubleValue
        }
        func file(_ key: String) throws -> String {
            guard let p = raw[key] as? String else { throw BenchError("\(path): no \(key)") }
            return p.hasPrefix("/") ? p : url.deletingLastPathComponent().appendingPathComponent(p).path
        }
        name = raw["name"] as? String ?? "?"
        guard let layers = raw["layers"] as? [NSNumber] else { throw BenchError("\(path): no layers") }
        self.layers = layers.map(\.intValue)
        samples = Int(try number("samples"))
        epochs = Int(try number("epochs"))
        alpha = try number("alpha")
        batch = Int(try number("batch"))
        repeats = (raw["repeats"] as? NSNumber)?.intValue ?? 3
        warmup = (raw["warmup"] as? NSNumber)?.intValue ?? 1
        x = try file("x")
        y = try file("y")
        weights = try file("weights")
    }

    var weightCount: Int { zip(layers, layers.dropFirst()).reduce(0) { $0 + $1.1 * ($1.0 + 1) } }
}

/// Reads `count` little-endian float64 values starting at value `offset`.
func readDoubles(_ path: String, offset: Int = 0, count: Int) throws -> [Double] {
    guard let file = fopen(path, "rb") else { throw BenchError("cannot open \(path)") }
    defer { fclose(file) }
    if offset > 0 { fseeko(file, off_t(offset * 8), SEEK_SET) }
    let values = try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        let read = fread(buffer.baseAddress, 8, count, file)
        guard read == count else { throw BenchError("\(path): \(read) of \(count) values") }
        initialized = count
    }
    #if _endian(big)
    return values.map { Double(bitPattern: UInt64(littleEndian: $0.bitPattern)) }
    #else
    return values
    #endif
}

func checkSize(_ path: String, values: Int) throws {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
    guard size == values * 8 else {
        throw BenchError("\(path): \(size) bytes, expected \(values * 8)")
    }
}

/// Samples `start ..< start + count` of a file of N rows × `width` (one sample a row), as the
/// engine's width × count matrix (one sample a column), read `block` rows at a time so that
/// no second copy of the whole file is ever held.
func readSamples(_ path: String, width: Int, start: Int, count: Int) throws -> Matrix {
    guard let file = fopen(path, "rb") else { throw BenchError("cannot open \(path)") }
    defer { fclose(file) }
    fseeko(file, off_t(start * width * 8), SEEK_SET)
    let block = 1024
    var rowBuffer = [Double](repeating: 0, count: block * width)
    let elements = try [Double](unsafeUninitializedCapacity: width * count) { out, initialized in
        var done = 0
        while done < count {
            let rows = min(block, count - done)
            let read = rowBuffer.withUnsafeMutableBytes { fread($0.baseAddress, 8, rows * width, file) }
            guard read == rows * width else { throw BenchError("\(path): short read") }
            rowBuffer.withUnsafeBufferPointer { src in
                for k in 0..<rows {
                    for r in 0..<width { out[r * count + done + k] = src[k * width + r] }
                }
            }
            done += rows
        }
        initialized = width * count
    }
    return Matrix(rows: width, cols: count, elements: elements)
}

func network(_ spec: Spec, weights flat: [Double]) throws -> Network {
    var net = try Network(sizes: spec.layers, activation: .sigmoid, bias: true)
    var at = 0
    for l in 1..<spec.layers.count {
        let (n, p) = (spec.layers[l], spec.layers[l - 1])
        try net.setTheta(l, Matrix(rows: n, cols: p, elements: Array(flat[at..<(at + n * p)])))
        at += n * p
        try net.setBias(l, Array(flat[at..<(at + n)]))
        at += n
    }
    return net
}

func flatWeights(_ net: Network) -> [Double] {
    var out: [Double] = []
    for l in 1...net.L {
        out += net.theta(l).elements
        out += net.b(l) ?? []
    }
    return out
}

func writeDoubles(_ values: [Double], to path: String) throws {
    guard let file = fopen(path, "wb") else { throw BenchError("cannot write \(path)") }
    defer { fclose(file) }
    let written = values.withUnsafeBytes { fwrite($0.baseAddress, 8, values.count, file) }
    guard written == values.count else { throw BenchError("\(path): short write") }
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

// MARK: - Training

/// `--dense`: every product dense, even where most inputs are zero (`TrainingOptions.sparseInputs`).
nonisolated(unsafe) var denseOnly = false

func options(_ spec: Spec, epochs: Int) -> TrainingOptions {
    TrainingOptions(epochs: epochs, alpha: spec.alpha, batch: .mini(spec.batch),
                    objective: Objective(cost: .squared, reduction: .mean, lambda: 0),
                    shuffle: false, seed: 1, sparseInputs: !denseOnly)
}

/// Trains `warmup` times untimed, then `repeats` times on the whole data set in memory;
/// returns the seconds of each timed run and the final weights of the last.
func trainInMemory(_ spec: Spec, _ initial: [Double], _ data: Dataset) throws -> ([Double], [Double], Network) {
    var times: [Double] = [], cpu: [Double] = []
    var last = try network(spec, weights: initial)
    for _ in 0..<max(spec.warmup, 0) {
        var net = try network(spec, weights: initial)
        _ = try net.train(on: data, options: options(spec, epochs: spec.epochs))
    }
    for _ in 0..<max(spec.repeats, 1) {
        var net = try network(spec, weights: initial)  // its own buffers: no copy-on-write in the loop
        let (t0, c0) = (seconds(), cpuSeconds())
        let result = try net.train(on: data, options: options(spec, epochs: spec.epochs))
        times.append(seconds() - t0)
        cpu.append(cpuSeconds() - c0)
        guard result.stop == .completed else { throw BenchError("training stopped: \(result.stop)") }
        last = net
    }
    return (times, cpu, last)
}

/// The same run with the data read from disk `chunk` samples at a time: one epoch over
/// consecutive chunks whose sizes are multiples of m visits the same batches in the same
/// order as one epoch over the whole set. Only the `train` calls are timed.
func trainStreaming(_ spec: Spec, _ initial: [Double], chunk: Int) throws -> ([Double], [Double], Network) {
    guard chunk % spec.batch == 0 else { throw BenchError("--chunk must be a multiple of the batch size") }
    let (n0, nL) = (spec.layers[0], spec.layers[spec.layers.count - 1])
    var times: [Double] = [], cpu: [Double] = []
    var last = try network(spec, weights: initial)
    for _ in 0..<max(spec.repeats, 1) {
        var net = try network(spec, weights: initial)
        var elapsed = 0.0, used = 0.0
        for _ in 0..<spec.epochs {
            var start = 0
            while start < spec.samples {
                let count = min(chunk, spec.samples - start)
                let data = try Dataset(x: readSamples(spec.x, width: n0, start: start, count: count),
                                       y: readSamples(spec.y, width: nL, start: start, count: count))
                let (t0, c0) = (seconds(), cpuSeconds())
                let result = try net.train(on: data, options: options(spec, epochs: 1))
                elapsed += seconds() - t0
                used += cpuSeconds() - c0
                guard result.stop == .completed else { throw BenchError("training stopped: \(result.stop)") }
                start += count
            }
        }
        times.append(elapsed)
        cpu.append(used)
        last = net
    }
    return (times, cpu, last)
}

// MARK: - DGEMM rate

/// GFLOP/s of C ← A B at n × n × n through the engine's tuned kernel (best of several).
func dgemmRate(n: Int) -> (gflops: Double, seconds: Double)? {
    guard let gemm = MatrixKernel.external else { return nil }
    var a = [Double](repeating: 0, count: n * n)
    var b = [Double](repeating: 0, count: n * n)
    var c = [Double](repeating: 0, count: n * n)
    var generator = SeededGenerator(seed: 1)
    for i in 0..<(n * n) { a[i] = generator.uniform() - 0.5; b[i] = generator.uniform() - 0.5 }
    var best = Double.infinity
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                let (a, b, c) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                let run = { gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n) }
                run()  // warm-up: threads started, pages touched
                let start = seconds()
                var count = 0
                while count < 3 || (seconds() - start < 2 && count < 20) {
                    let t0 = seconds()
                    run()
                    best = min(best, seconds() - t0)
                    count += 1
                }
            }
        }
    }
    return (2 * Double(n) * Double(n) * Double(n) / best / 1e9, best)
}

// MARK: - Main

func json(_ object: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

func run() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var swiftLoops = false
    var chunk: Int?
    var dgemm: Int?
    var positional: [String] = []
    while !arguments.isEmpty {
        let a = arguments.removeFirst()
        switch a {
        case "--swift-loops": swiftLoops = true
        case "--dense": denseOnly = true
        case "--chunk":
            guard let v = arguments.first.flatMap({ Int($0) }), v > 0 else { throw BenchError("--chunk N") }
            chunk = v
            arguments.removeFirst()
        case "--dgemm":
            dgemm = 2048
            if let v = arguments.first.flatMap({ Int($0) }) { dgemm = v; arguments.removeFirst() }
        default: positional.append(a)
        }
    }
    // The machine's DGEMM rate is OpenBLAS on every processor (the engine itself calls
    // it on one thread per half of a batch).
    if dgemm != nil { setenv("OPENBLAS_NUM_THREADS", String(ProcessInfo.processInfo.activeProcessorCount), 0) }
    // Loaded at the first large product: a workload of small products only (W1) runs
    // without OpenBLAS's threads spinning beside it.
    if !swiftLoops { MatrixKernel.enableOpenBLAS(lazily: dgemm == nil) }

    if let n = dgemm {
        guard let rate = dgemmRate(n: n) else {
            print(try json(["kernel": MatrixKernel.name, "n": n, "gflops": NSNull()]))
            return
        }
        print(try json(["kernel": MatrixKernel.name, "n": n, "gflops": rate.gflops, "seconds": rate.seconds]))
        return
    }

    guard positional.count == 2 else {
        throw BenchError("usage: backprop-bench SPEC.json OUT.json [--swift-loops] [--dense] [--chunk N] | --dgemm [N]")
    }
    let spec = try Spec(path: positional[0])
    let outPath = positional[1]
    let (n0, nL) = (spec.layers[0], spec.layers[spec.layers.count - 1])
    try checkSize(spec.x, values: spec.samples * n0)
    try checkSize(spec.y, values: spec.samples * nL)
    try checkSize(spec.weights, values: spec.weightCount)
    let initial = try readDoubles(spec.weights, count: spec.weightCount)

    let times: [Double], cpu: [Double]
    let final: Network
    let rssBefore: Int
    // Whether layer 1 skips the zero inputs (judged on the first 6400 samples: the same
    // as on the whole set for these workloads).
    let first = try Dataset(x: readSamples(spec.x, width: n0, start: 0, count: min(spec.samples, 6400)),
                            y: readSamples(spec.y, width: nL, start: 0, count: min(spec.samples, 6400)))
    let sparse = try network(spec, weights: initial).trainsOverNonzeroInputs(first, options: options(spec, epochs: 1))
    let nonzero = Double(first.x.elements.lazy.filter { $0 != 0 }.count) / Double(first.x.elements.count)
    if let chunk {
        rssBefore = currentRSS()
        (times, cpu, final) = try trainStreaming(spec, initial, chunk: chunk)
    } else {
        let data = try Dataset(x: readSamples(spec.x, width: n0, start: 0, count: spec.samples),
                               y: readSamples(spec.y, width: nL, start: 0, count: spec.samples))
        rssBefore = currentRSS()
        (times, cpu, final) = try trainInMemory(spec, initial, data)
    }
    let peak = peakRSS()

    let out = URL(fileURLWithPath: outPath)
    let base = out.lastPathComponent.hasSuffix(".json")
        ? String(out.lastPathComponent.dropLast(5)) : out.lastPathComponent
    let weightsPath = out.deletingLastPathComponent().appendingPathComponent(base + ".weights.f64").path
    try writeDoubles(flatWeights(final), to: weightsPath)

    let med = median(times)
    let trained = spec.samples * spec.epochs
    var result: [String: Any] = [
        "peer": "backprop",
        "workload": spec.name,
        "layers": spec.layers,
        "samples_trained": trained,
        "samples_per_second": Double(trained) / med,
        "seconds": med,
        "seconds_all": times,
        "cpu_seconds_all": cpu,
        "repeats": times.count,
        "warmup_runs": chunk == nil ? max(spec.warmup, 0) : 0,
        "compile_seconds": NSNull(),
        "final_weights": URL(fileURLWithPath: weightsPath).standardizedFileURL.path,
        "kernel": MatrixKernel.name,
        "layer1": sparse ? String(format: "nonzero inputs only (%.1f%% of x nonzero)", 100 * nonzero)
            : denseOnly ? "dense (--dense)" : "dense",
        "small_product_limit": MatrixKernel.smallProductLimit,
        "threads": MatrixKernel.threads,
        "max_rss_bytes": peak,
        "rss_before_training_bytes": rssBefore,
        "data_bytes": spec.samples * (n0 + nL) * 8,
        "versions": ["swift": swiftVersion()],
        "streamed_chunk": chunk.map { $0 as Any } ?? NSNull(),
    ]
    if !swiftLoops { result["external_threshold"] = MatrixKernel.externalThreshold }
    try (try json(result) + "\n").write(toFile: outPath, atomically: true, encoding: .utf8)
}

func swiftVersion() -> String {
    #if compiler(>=6.3)
    return "6.3+"
    #elseif compiler(>=6.2)
    return "6.2"
    #else
    return "6.x"
    #endif
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("backprop-bench: \(error)\n".utf8))
    exit(1)
}
