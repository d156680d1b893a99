import Backprop
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How `data load FILE.csv` reads a table.
struct CSVOptions: Equatable, Sendable, Codable {
    /// Whether the first row names the columns; nil: guess (a row with a non-number).
    var header: Bool?
    /// The target columns, 1-based; empty: the last column.
    var targets: [Int] = []
    /// Treat the (single) target column as class labels and one-hot encode them.
    var oneHot: Bool?
    enum Scaling: String, Codable, Sendable { case none, minmax, standard }
    var scale: Scaling = .none
}

/// A comma-separated table read into a data set: inputs x, targets y (one-hot for class
/// labels), with optional scaling of the inputs.
enum CSVReader {
    struct Table {
        var dataset: Dataset
        var classes: [String]?
    }

    static func read(path: String, options: CSVOptions) throws(ShellError) -> Table {
        let text = try FileText.read(path)
        return try parse(text, options: options, name: path)
    }

    static func parse(_ raw: String, options: CSVOptions, name: String) throws(ShellError) -> Table {
        var text = raw
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        rows.removeAll { $0.allSatisfy(\.isEmpty) }
        guard let first = rows.first else { throw ShellError("\(name) is empty") }
        // A header: some cell of the first row is not a number where the row below has one
        // (a column of class names is not a header).
        let hasHeader = options.header ?? (rows.count == 1
            ? first.contains { Double($0) == nil }
            : first.indices.contains { c in
                Double(first[c]) == nil && c < rows[1].count && Double(rows[1][c]) != nil
            })
        if hasHeader { rows.removeFirst() }
        guard !rows.isEmpty else { throw ShellError("\(name) has a header but no rows") }
        let width = first.count
        guard width >= 2 else { throw ShellError("\(name) needs at least two columns (inputs and a target)") }
        for (index, row) in rows.enumerated() where row.count != width {
            throw ShellError("\(name) line \(index + 1 + (hasHeader ? 1 : 0)) has \(row.count) columns, the first has \(width)")
        }
        let targets = options.targets.isEmpty ? [width] : options.targets
        for t in targets where t < 1 || t > width {
            throw ShellError("target column \(t) does not exist: \(name) has \(width) columns")
        }
        let targetIndices = targets.map { $0 - 1 }
        let inputIndices = (0..<width).filter { !targetIndices.contains($0) }
        guard !inputIndices.isEmpty else { throw ShellError("every column is a target: no inputs are left") }
        let n = rows.count
        var x = Matrix(rows: inputIndices.count, cols: n)
        for (k, row) in rows.enumerated() {
            for (r, c) in inputIndices.enumerated() {
                guard let v = Double(row[c]), v.isFinite else {
                    throw ShellError("\(name) line \(k + 1 + (hasHeader ? 1 : 0)), column \(c + 1): '\(row[c])' is not a finite number")
                }
                x[r, k] = v
            }
        }
        // Targets: numbers, or class labels (one-hot) for a single non-numeric column.
        let labels = rows.map { row in targetIndices.map { row[$0] } }
        let numeric = labels.allSatisfy { $0.allSatisfy { Double($0)?.isFinite == true } }
        let oneHot = options.oneHot ?? (targetIndices.count == 1 && (!numeric || isSmallIntegerColumn(labels)))
        var y: Matrix
        var classes: [String]?
        if oneHot {
            guard targetIndices.count == 1 else { throw ShellError("one-hot targets need a single target column") }
            let values = labels.map { $0[0] }
            let distinct = Array(Set(values)).sorted { a, b in
                if let da = Double(a), let db = Double(b) { return da < db }
                return a < b
            }
            guard distinct.count >= 2 else { throw ShellError("the target column has a single class '\(distinct.first ?? "")'") }
            guard distinct.count <= 1000 else { throw ShellError("the target column has \(distinct.count) classes; at most 1000") }
            y = Matrix(rows: distinct.count, cols: n)
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            for (k, v) in values.enumerated() { y[index[v]!, k] = 1 }
            classes = distinct
        } else {
            guard numeric else { throw ShellError("the target columns are not all numbers; one-hot needs a single column") }
            y = Matrix(rows: targetIndices.count, cols: n)
            for (k, row) in labels.enumerated() {
                for (r, v) in row.enumerated() { y[r, k] = Double(v)! }
            }
        }
        scale(&x, options.scale)
        do throws(EngineError) {
            return Table(dataset: try Dataset(x: x, y: y), classes: classes)
        } catch {
            throw ShellError(Describe.engineError(error, Renderer(style: Style())))
        }
    }

    /// Whole numbers with few distinct values read as class labels.
    private static func isSmallIntegerColumn(_ labels: [[String]]) -> Bool {
        let values = labels.compactMap { Double($0[0]) }
        let distinct = Set(values)
        return values.allSatisfy { $0 == $0.rounded() && $0 >= 0 } && distinct.count > 2 && distinct.count <= 100
    }

    /// Scales each input row: min-max to [0, 1], or to mean 0 and standard deviation 1.
    static func scale(_ x: inout Matrix, _ scaling: CSVOptions.Scaling) {
        guard scaling != .none, x.cols > 0 else { return }
        for r in 0..<x.rows {
            let row = x.row(r)
            switch scaling {
            case .minmax:
                let lo = row.min()!, hi = row.max()!
                let span = hi - lo
                for c in 0..<x.cols { x[r, c] = span > 0 ? (row[c] - lo) / span : 0 }
            case .standard:
                let mean = row.reduce(0, +) / Double(row.count)
                let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(row.count)
                let sd = variance.squareRoot()
                for c in 0..<x.cols { x[r, c] = sd > 0 ? (row[c] - mean) / sd : 0 }
            case .none: break
            }
        }
    }
}

/// Reading a whole text file with one clear error for each way it can fail.
enum FileText {
    static let maximumBytes = 512 * 1024 * 1024

    static func read(_ path: String) throws(ShellError) -> String {
        let data = try bytes(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShellError("\(path) is not UTF-8 text")
        }
        return text
    }

    /// The bytes of a regular file. Opened first and checked on the open descriptor, so
    /// what is checked is what is read: a directory, a device, a pipe or a socket (such
    /// as /dev/zero or /dev/stdin, which would never end) is refused before any read.
    static func bytes(_ path: String) throws(ShellError) -> Data {
        let expanded = (path as NSString).expandingTildeInPath
        let fd = open(expanded, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR, ELOOP: throw ShellError("no such file: \(path)")
            case EACCES, EPERM: throw ShellError("\(path) cannot be read (permission denied)")
            case EISDIR: throw ShellError("\(path) is a directory, not a file")
            default: throw ShellError("\(path) cannot be read")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ShellError("\(path) cannot be read") }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw ShellError("\(path) is a directory, not a file") }
        guard type == S_IFREG else {
            throw ShellError("\(path) is not a regular file (a device, pipe or socket cannot be read as data)")
        }
        if Int(info.st_size) > maximumBytes {
            throw ShellError("\(path) is \(Int(info.st_size) / 1_000_000) MB; the limit is \(maximumBytes / 1_000_000) MB")
        }
        // The size is a hint (files in /proc say 0): read to the end, within the limit.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ShellError("\(path) cannot be read")
            }
            data.append(contentsOf: buffer[0..<n])
            if data.count > maximumBytes {
                throw ShellError("\(path) is more than \(maximumBytes / 1_000_000) MB; the limit is \(maximumBytes / 1_000_000) MB")
            }
        }
        return data
    }
}

/// read(2), named apart from `FileText.read`.
private func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, p, count)
    #elseif canImport(Musl)
    Musl.read(fd, p, count)
    #else
    Darwin.read(fd, p, count)
    #endif
}
