import Backprop
import Foundation

/// MNIST's IDX files, `data load IMAGES LABELS`: the images become inputs scaled to
/// [0, 1] (each byte ÷ 255), the labels one-hot targets (label c sets unit c + 1).
///
/// An IDX file is a 4-byte magic number 0x00 0x00 TYPE DIMS, then DIMS big-endian
/// 32-bit sizes, then the data in row-major order. MNIST images are 0x00000803
/// (unsigned bytes, N × 28 × 28), labels 0x00000801 (unsigned bytes, N).
enum IDXReader {
    /// The header of one IDX file.
    struct Header: Equatable {
        /// The element type byte (0x08: unsigned byte).
        let type: UInt8
        /// The sizes of each dimension; the first counts the items.
        let dims: [Int]
        /// Where the data starts.
        let offset: Int
        /// Elements in the data part.
        let elements: Int
    }

    /// At most this many input values in memory (8 bytes each).
    static let maximumElements = 100_000_000
    /// The most classes the labels may name (a byte's range).
    static let typeNames: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "16-bit integer",
        0x0C: "32-bit integer", 0x0D: "float", 0x0E: "double",
    ]

    /// Reads and checks the header of `bytes` (the file `name`), with the data it
    /// announces against the bytes present.
    static func header(_ bytes: Data, name: String) throws(ShellError) -> Header {
        let b = [UInt8](bytes.prefix(4))
        if b.count >= 2 && b[0] == 0x1F && b[1] == 0x8B {
            throw ShellError("\(name) is gzip-compressed: unpack it first (gunzip \(name))")
        }
        guard bytes.count >= 4 else {
            throw ShellError("\(name) is too short to be an IDX file (\(bytes.count) byte\(bytes.count == 1 ? "" : "s"))")
        }
        let magic = b.reduce(0) { $0 << 8 | UInt32($1) }
        let magicText = "0x" + String(magic, radix: 16, uppercase: true).leftPadded(8)
        guard b[0] == 0 && b[1] == 0, typeNames[b[2]] != nil, b[3] >= 1 else {
            throw ShellError("\(name) is not an IDX file: its magic number is \(magicText); MNIST images start with 0x00000803, labels with 0x00000801")
        }
        guard b[2] == 0x08 else {
            throw ShellError("\(name) holds \(typeNames[b[2]]!)s (magic number \(magicText)); only unsigned bytes (0x08), as in MNIST, are read")
        }
        let count = Int(b[3])
        let offset = 4 + 4 * count
        guard bytes.count >= offset else {
            throw ShellError("\(name) is truncated: its header needs \(offset) bytes, the file has \(bytes.count)")
        }
        var dims: [Int] = []
        let start = bytes.startIndex
        for d in 0..<count {
            let at = start + 4 + 4 * d
            dims.append(Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]))
        }
        if let zero = dims.firstIndex(of: 0) {
            throw ShellError("\(name) has size 0 in dimension \(zero + 1) (\(shape(dims))): there is no data")
        }
        var elements = 1
        for d in dims {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maximumElements else {
                throw ShellError("\(name) announces \(shape(dims)) values; at most \(maximumElements) are read")
            }
            elements = product
        }
        let expected = offset + elements
        if bytes.count < expected {
            throw ShellError("\(name) is truncated: its header announces \(shape(dims)) bytes of data (\(expected) bytes in all), the file has \(bytes.count)")
        }
        if bytes.count > expected {
            throw ShellError("\(name) has \(bytes.count - expected) bytes more than its header announces (\(shape(dims)), \(expected) bytes in all)")
        }
        return Header(type: b[2], dims: dims, offset: offset, elements: elements)
    }

    /// "60000 × 28 × 28".
    static func shape(_ dims: [Int]) -> String {
        dims.map(String.init).joined(separator: " × ")
    }

    /// The data set in two IDX files' bytes: inputs x (features × N, each byte ÷ 255)
    /// and one-hot targets y (classes × N, classes = largest label + 1, at least 2).
    static func parse(images: Data, labels: Data, imagesName: String, labelsName: String)
        throws(ShellError) -> (dataset: Dataset, classes: [String]) {
        let ih = try header(images, name: imagesName)
        let lh = try header(labels, name: labelsName)
        guard ih.dims.count >= 2 else {
            throw ShellError("\(imagesName) has one dimension (\(shape(ih.dims))): it looks like a labels file; the images come first: data load IMAGES LABELS")
        }
        guard lh.dims.count == 1 else {
            throw ShellError("\(labelsName) has \(lh.dims.count) dimensions (\(shape(lh.dims))): labels have one; the labels come second: data load IMAGES LABELS")
        }
        let n = ih.dims[0]
        guard lh.dims[0] == n else {
            throw ShellError("\(imagesName) has \(n) image\(n == 1 ? "" : "s") but \(labelsName) has \(lh.dims[0]) label\(lh.dims[0] == 1 ? "" : "s")")
        }
        let features = ih.elements / n
        var x = Matrix(rows: features, cols: n)
        images.withUnsafeBytes { raw in
            let p = raw.bindMemory(to: UInt8.self).baseAddress! + ih.offset
            x.elements.withUnsafeMutableBufferPointer { out in
                for k in 0..<n {
                    let image = p + k * features
                    for i in 0..<features { out[i * n + k] = Double(image[i]) / 255 }
                }
            }
        }
        let labelBytes = [UInt8](labels.dropFirst(lh.offset))
        let classCount = max(Int(labelBytes.max() ?? 0) + 1, 2)
        var y = Matrix(rows: classCount, cols: n)
        for (k, label) in labelBytes.enumerated() { y[Int(label), k] = 1 }
        do throws(EngineError) {
            return (try Dataset(x: x, y: y), (0..<classCount).map(String.init))
        } catch {
            throw ShellError(Describe.engineError(error, Renderer(style: Style())))
        }
    }

    /// Reads the two files.
    static func read(images: String, labels: String) throws(ShellError) -> SessionData {
        let imageBytes = try FileText.bytes(images)
        let labelBytes = try FileText.bytes(labels)
        let (dataset, classes) = try parse(images: imageBytes, labels: labelBytes, imagesName: images, labelsName: labels)
        return SessionData(name: (images as NSString).lastPathComponent, source: .idx(images: images, labels: labels),
                           train: dataset, classes: classes)
    }

    /// `data load IMAGES LABELS`, run from the data command.
    static func dataCommand(_ state: inout SessionState, _ args: Arguments, _ ctx: Context) throws(ShellError) -> String {
        if let option = args.options.keys.sorted().first {
            throw ShellError("\(option)= is for CSV files: IDX images are always scaled ÷ 255 and labels made one-hot",
                             near: args.options[option]?.raw)
        }
        let loaded = try PlainText.errors(ctx.render) { () throws(ShellError) in
            try read(images: args.positional[1].text, labels: args.positional[2].text)
        }
        state.data = loaded
        state.trainingLog = []
        let inputs = loaded.train.x.rows, outputs = loaded.train.y.rows
        var text = DataCommands.describe(loaded, state, ctx.render) + "; pixels ÷ 255, labels one-hot"
        let sizes = state.network.sizes
        if sizes[0] != inputs || sizes.last! != outputs {
            text += "\n" + ctx.render.dim("the network is \(sizes.map(String.init).joined(separator: "-")); this data needs \(inputs) inputs and \(outputs) outputs, e.g. net \(inputs) \(min(max(2, inputs / 8), 128)) \(outputs)")
        }
        return ctx.render.n.unicode ? text : PlainText.ascii(text)
    }
}
