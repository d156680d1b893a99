import Backprop
import Foundation

/// The session file, `save FILE` / `load FILE`: versioned JSON, documented in
/// docs/save-format.md. Weights are written as Swift's shortest round-trip decimal, so
/// a saved and loaded network has bit-identical weights.
enum SessionFile {
    static let format = "backprop-session"
    /// The format version this Backprop writes and reads.
    static let version = 1

    /// A data set as the file records it: where it comes from and the split.
    struct DataSpec: Equatable {
        var source: DataSource
        var split: Split?

        struct Split: Equatable {
            var fraction: Double
            var seed: UInt64
        }
    }

    /// The settings kept in the file.
    struct Settings: Equatable {
        var precision: Int
        var unicode: Bool
        var color: Bool
    }

    /// What a valid file holds. A full file has everything; the hand-written minimal
    /// form only the network and perhaps x and y.
    struct Contents {
        var network: Network
        var x: [Double]?
        var y: [Double]?
        var objective: Objective?
        /// nil: the file says nothing about data (the minimal form); .some(nil): no data set.
        var data: DataSpec??
        var settings: Settings?
        var savedBy: String?
        var isMinimal: Bool
    }

    // MARK: writing

    static func encode(_ s: SessionState) -> String {
        let net = s.network
        var layers: [JSON] = []
        for l in 1...net.L {
            let theta = net.theta(l)
            var members: [(key: String, value: JSON)] = [
                ("activation", .string(Describe.activation(net.layer(l).activation))),
                ("theta", .array((0..<theta.rows).map { numbers(theta.row($0)) })),
            ]
            if let b = net.b(l) { members.append(("b", numbers(b))) }
            layers.append(.object(members))
        }
        let network: JSON = .object([
            ("sizes", .array(net.sizes.map { JSON.number($0) })),
            ("bias", .bool(net.hasBias)),
            ("layers", .array(layers)),
        ])
        let objective: JSON = .object([
            ("cost", .string(s.objective.cost.rawValue)),
            ("reduction", .string(s.objective.reduction.rawValue)),
            ("lambda", .number(s.objective.lambda)),
        ])
        let settings: JSON = .object([
            ("precision", .number(s.style.precision)),
            ("notation", .string(s.style.unicode ? "unicode" : "ascii")),
            ("color", .bool(s.style.color)),
        ])
        let document: JSON = .object([
            ("format", .string(format)),
            ("version", .number(version)),
            ("saved_by", .string("Backprop \(BackpropVersion.string)")),
            ("network", network),
            ("sample", .object([("x", numbers(s.x)), ("y", numbers(s.y))])),
            ("objective", objective),
            ("data", s.data.map(encode) ?? .null),
            ("settings", settings),
        ])
        return document.text() + "\n"
    }

    static func numbers(_ values: [Double]) -> JSON {
        .array(values.map { JSON.number($0) })
    }

    static func encode(_ data: SessionData) -> JSON {
        var members: [(key: String, value: JSON)]
        switch data.source {
        case .builtin(let name):
            members = [("source", .string("builtin")), ("name", .string(name))]
        case .csv(let path, let options):
            members = [
                ("source", .string("csv")), ("path", .string(absolute(path))),
                ("header", options.header.map { JSON.bool($0) } ?? .null),
                ("targets", .array(options.targets.map { JSON.number($0) })),
                ("onehot", options.oneHot.map { JSON.bool($0) } ?? .null),
                ("scale", .string(options.scale.rawValue)),
            ]
        case .idx(let images, let labels):
            members = [("source", .string("idx")), ("images", .string(absolute(images))), ("labels", .string(absolute(labels)))]
        }
        if let split = data.split {
            members.append(("split", .object([("test", .number(split.fraction)), ("seed", .number(Int(split.seed)))])))
        } else {
            members.append(("split", .null))
        }
        return .object(members)
    }

    /// A data file's path as saved: absolute, so the session loads from anywhere.
    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
        return (full as NSString).standardizingPath
    }

    // MARK: reading

    /// Parses and checks a whole file; `name` prefixes the messages.
    static func decode(_ text: String, name: String) throws(ShellError) -> Contents {
        let json: JSON
        do throws(JSONSyntaxError) { json = try JSON.parse(text) } catch {
            throw ShellError("\(name) is not valid JSON: \(error.description)")
        }
        let file = "\(name): "
        let root = JSONReader(json, file: file)
        guard case .object = json else {
            throw ShellError("\(name) is not a Backprop session: it holds \(json.kindName), not an object { … }")
        }
        guard let formatValue = json["format"] else {
            if json["layers"] != nil { return try decodeMinimal(root) }
            if json["network"] != nil || json["version"] != nil {
                throw ShellError("\(name) has no \"format\": a session file starts with \"format\": \"\(format)\", \"version\": \(version)")
            }
            throw ShellError("\(name) is not a Backprop session: it has neither \"format\": \"\(format)\" nor \"layers\"")
        }
        guard case .string(let formatName) = formatValue, formatName == format else {
            throw ShellError("\(name) is not a Backprop session: its \"format\" is \(formatValue.text()), not \"\(format)\"")
        }
        guard let versionValue = json["version"] else {
            throw ShellError("\(name) has no \"version\" (this Backprop reads version \(version))")
        }
        guard case .number(let versionText) = versionValue,
              let fileVersion = Int(versionText) ?? Double(versionText).flatMap({ $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil })
        else {
            throw ShellError("\(name): \"version\" must be a whole number, found \(versionValue.text())")
        }
        if fileVersion > version {
            throw ShellError("\(name) was saved by a newer Backprop (format version \(fileVersion)); this one reads version \(version)")
        }
        guard fileVersion == version else {
            throw ShellError("\(name) has format version \(fileVersion), which does not exist; this Backprop reads version \(version)")
        }
        let top = try root.object(allowed: ["format", "version", "saved_by", "comment", "network", "sample",
                                            "objective", "data", "settings"])
        let savedBy = try root.optional("saved_by", in: top)?.string()
        _ = try root.optional("comment", in: top)?.string()
        let network = try decodeNetwork(root.required("network", in: top))

        let sampleReader = try root.required("sample", in: top)
        let sample = try sampleReader.object(allowed: ["x", "y"])
        let n0 = network.sizes[0], nL = network.sizes[network.L]
        let x = try sampleReader.required("x", in: sample).doubles(count: n0, what: " (n₀ = \(n0) inputs)")
        let y = try sampleReader.required("y", in: sample).doubles(count: nL, what: " (n\(subscriptDigits(network.L)) = \(nL) outputs)")

        let objective = try decodeObjective(root.required("objective", in: top), network)

        guard let dataValue = top["data"] else { throw ShellError("\(file)is missing \"data\" (null when there is no data set)") }
        let data = dataValue == .null ? nil : try decodeData(root.child("data", dataValue))

        let settingsReader = try root.required("settings", in: top)
        let s = try settingsReader.object(allowed: ["precision", "notation", "color"])
        let settings = Settings(
            precision: try settingsReader.required("precision", in: s).integer(in: 1...17),
            unicode: try settingsReader.required("notation", in: s).choice(["unicode", "ascii"]) == "unicode",
            color: try settingsReader.required("color", in: s).bool())

        return Contents(network: network, x: x, y: y, objective: objective, data: .some(data),
                        settings: settings, savedBy: savedBy, isMinimal: false)
    }

    /// "₁₂" for 12.
    static func subscriptDigits(_ n: Int) -> String {
        Notation(unicode: true).units([n])
    }

    /// The network object: sizes, bias, and one entry per layer 1 … L.
    static func decodeNetwork(_ r: JSONReader) throws(ShellError) -> Network {
        let members = try r.object(allowed: ["sizes", "bias", "layers"])
        let sizesReader = try r.required("sizes", in: members)
        let sizeItems = try sizesReader.array()
        guard sizeItems.count >= 2 else {
            throw sizesReader.fail("must list at least two layer sizes (inputs and outputs), found \(sizeItems.count)")
        }
        guard sizeItems.count <= 65 else { throw sizesReader.fail("lists \(sizeItems.count) sizes; at most 65") }
        var sizes: [Int] = []
        for item in sizeItems { sizes.append(try item.integer(in: 1...100_000)) }
        try checkWeightCount(sizes, sizesReader)
        let bias = try r.required("bias", in: members).bool()
        let layersReader = try r.required("layers", in: members)
        let layerItems = try layersReader.array()
        guard layerItems.count == sizes.count - 1 else {
            let L = sizes.count - 1
            throw layersReader.fail("must have \(L) entr\(L == 1 ? "y" : "ies"), one per layer after the inputs (sizes \(sizes.map(String.init).joined(separator: "-"))), found \(layerItems.count)")
        }
        var network: Network
        do throws(EngineError) { network = try Network(sizes: sizes, bias: bias) } catch {
            throw sizesReader.fail(Describe.engineError(error, Renderer(style: Style())))
        }
        for (index, layerReader) in layerItems.enumerated() {
            let l = index + 1
            let m = try layerReader.object(allowed: ["activation", "theta", "b"])
            let g = try activation(layerReader.required("activation", in: m))
            let theta = try matrix(layerReader.required("theta", in: m), rows: sizes[l], cols: sizes[l - 1], l: l)
            let b: [Double]?
            if bias {
                b = try layerReader.required("b", in: m).doubles(count: sizes[l], what: " (n\(subscriptDigits(l)) = \(sizes[l]))")
            } else {
                if layerReader.optional("b", in: m) != nil {
                    throw layerReader.fail("has \"b\" but the network has \"bias\": false")
                }
                b = nil
            }
            try set(&network, l, g, theta, b, layerReader)
        }
        return network
    }

    static func checkWeightCount(_ sizes: [Int], _ r: JSONReader) throws(ShellError) {
        var weights = 0
        for l in 1..<sizes.count { weights += sizes[l] * sizes[l - 1] + sizes[l] }
        guard weights <= 50_000_000 else { throw r.fail("describe a network of \(weights) weights; the limit is 50000000") }
    }

    static func activation(_ r: JSONReader) throws(ShellError) -> Activation {
        let name = try r.string()
        guard let g = try? Describe.activation(named: name), name == name.lowercased() else {
            throw r.fail("must be \"sigmoid\", \"tanh\", \"relu\" or \"linear\", found \"\(name)\"")
        }
        return g
    }

    /// A list of `rows` lists of `cols` numbers: Θ⁽ˡ⁾, n_l × n_(l−1).
    static func matrix(_ r: JSONReader, rows: Int, cols: Int, l: Int) throws(ShellError) -> Matrix {
        let rowReaders = try r.array()
        let shape = "\(rows) × \(cols) (n\(subscriptDigits(l)) × n\(subscriptDigits(l - 1)))"
        guard rowReaders.count == rows else {
            throw r.fail("must be \(shape): \(rows) row\(rows == 1 ? "" : "s"), found \(rowReaders.count)")
        }
        var elements: [Double] = []
        elements.reserveCapacity(rows * cols)
        for row in rowReaders {
            elements += try row.doubles(count: cols, what: " (Θ is \(shape))")
        }
        return Matrix(rows: rows, cols: cols, elements: elements)
    }

    static func set(_ network: inout Network, _ l: Int, _ g: Activation, _ theta: Matrix, _ b: [Double]?,
                    _ r: JSONReader) throws(ShellError) {
        do throws(EngineError) {
            try network.setActivation(l, g)
            try network.setTheta(l, theta)
            if let b { try network.setBias(l, b) }
        } catch {
            throw r.fail(Describe.engineError(error, Renderer(style: Style())))
        }
    }

    static func decodeObjective(_ r: JSONReader, _ network: Network) throws(ShellError) -> Objective {
        let m = try r.object(allowed: ["cost", "reduction", "lambda"])
        let cost: Cost = try r.required("cost", in: m).choice(["squared", "xent"]) == "xent" ? .crossEntropy : .squared
        let reduction: Reduction = try r.required("reduction", in: m).choice(["sum", "mean"]) == "sum" ? .sum : .mean
        let lambdaReader = try r.required("lambda", in: m)
        let lambda = try lambdaReader.double()
        guard lambda >= 0 else { throw lambdaReader.fail("must be 0 or more, found \(lambda)") }
        let objective = Objective(cost: cost, reduction: reduction, lambda: lambda)
        do throws(EngineError) { try network.validate(objective) } catch {
            throw r.fail("does not fit the network: " + Describe.engineError(error, Renderer(style: Style())))
        }
        return objective
    }

    static func decodeData(_ r: JSONReader) throws(ShellError) -> DataSpec {
        guard case .object = r.value else { throw r.fail("must be an object { … } or null, found \(r.value.kindName)") }
        guard let sourceValue = r.value["source"] else { throw r.fail("is missing \"source\" (\"builtin\", \"csv\" or \"idx\")") }
        let source = try r.child("source", sourceValue).choice(["builtin", "csv", "idx"])
        let m: [String: JSON]
        let dataSource: DataSource
        switch source {
        case "builtin":
            m = try r.object(allowed: ["source", "name", "split"])
            let nameReader = try r.required("name", in: m)
            dataSource = .builtin(try nameReader.choice(BuiltinData.names))
        case "csv":
            m = try r.object(allowed: ["source", "path", "header", "targets", "onehot", "scale", "split"])
            var options = CSVOptions()
            let path = try r.required("path", in: m).string()
            guard !path.isEmpty else { throw r.fail("has an empty \"path\"") }
            options.header = try r.optional("header", in: m)?.bool()
            options.oneHot = try r.optional("onehot", in: m)?.bool()
            if let t = r.optional("targets", in: m) {
                options.targets = []
                for item in try t.array() { options.targets.append(try item.integer(in: 1...1_000_000)) }
            }
            if let s = r.optional("scale", in: m) {
                options.scale = CSVOptions.Scaling(rawValue: try s.choice(["none", "minmax", "standard"]))!
            }
            dataSource = .csv(path: path, options: options)
        default:
            m = try r.object(allowed: ["source", "images", "labels", "split"])
            let images = try r.required("images", in: m).string()
            let labels = try r.required("labels", in: m).string()
            guard !images.isEmpty, !labels.isEmpty else { throw r.fail("has an empty file name") }
            dataSource = .idx(images: images, labels: labels)
        }
        var split: DataSpec.Split?
        if let s = r.optional("split", in: m) {
            let sm = try s.object(allowed: ["test", "seed"])
            let testReader = try s.required("test", in: sm)
            let fraction = try testReader.double()
            guard fraction > 0 && fraction < 1 else { throw testReader.fail("must be above 0 and below 1, found \(fraction)") }
            let seed = try s.required("seed", in: sm).integer(in: 0...Int.max)
            split = DataSpec.Split(fraction: fraction, seed: UInt64(seed))
        }
        return DataSpec(source: dataSource, split: split)
    }

    /// The hand-written form: {"layers": [{"theta": [[…]], "b": […], "activation": "…"}, …]}
    /// with optional "x", "y" and "comment". Sizes come from the shapes of Θ.
    static func decodeMinimal(_ root: JSONReader) throws(ShellError) -> Contents {
        let top = try root.object(allowed: ["layers", "x", "y", "comment"])
        _ = try root.optional("comment", in: top)?.string()
        let layersReader = try root.required("layers", in: top)
        let items = try layersReader.array()
        guard !items.isEmpty else { throw layersReader.fail("must list at least one layer") }
        guard items.count <= 64 else { throw layersReader.fail("lists \(items.count) layers; at most 64") }
        var thetas: [[[Double]]] = []
        var biases: [[Double]?] = []
        var activations: [Activation] = []
        var sizes: [Int] = []
        for (index, layerReader) in items.enumerated() {
            let l = index + 1
            let m = try layerReader.object(allowed: ["theta", "b", "activation"])
            let thetaReader = try layerReader.required("theta", in: m)
            let rowReaders = try thetaReader.array()
            guard !rowReaders.isEmpty else { throw thetaReader.fail("has no rows") }
            var rows: [[Double]] = []
            for row in rowReaders {
                let values = try row.doubles(count: rows.first?.count)
                guard !values.isEmpty else { throw row.fail("is empty") }
                rows.append(values)
            }
            if l == 1 {
                sizes.append(rows[0].count)
            } else if rows[0].count != sizes[l - 1] {
                throw thetaReader.fail("has \(rows[0].count) column\(rows[0].count == 1 ? "" : "s"), but layer \(l - 1) has \(sizes[l - 1]) unit\(sizes[l - 1] == 1 ? "" : "s") (Θ\(Notation(unicode: true).layer(l)) is n\(subscriptDigits(l)) × n\(subscriptDigits(l - 1)))")
            }
            sizes.append(rows.count)
            thetas.append(rows)
            biases.append(try layerReader.optional("b", in: m)?.doubles(count: rows.count, what: " (one per row of theta)"))
            activations.append(try layerReader.optional("activation", in: m).map { r throws(ShellError) in try activation(r) } ?? .sigmoid)
        }
        let withBias = biases.filter { $0 != nil }.count
        guard withBias == 0 || withBias == biases.count else {
            let missing = biases.firstIndex { $0 == nil }! + 1
            throw layersReader.fail("gives \"b\" for some layers but not for layer \(missing): give every layer a \"b\" or none")
        }
        guard sizes.allSatisfy({ $0 <= 100_000 }) else { throw layersReader.fail("has a layer of more than 100000 units") }
        try checkWeightCount(sizes, layersReader)
        var network: Network
        do throws(EngineError) { network = try Network(sizes: sizes, bias: withBias > 0) } catch {
            throw layersReader.fail(Describe.engineError(error, Renderer(style: Style())))
        }
        for l in 1...items.count {
            let theta = try! Matrix(thetas[l - 1])
            try set(&network, l, activations[l - 1], theta, biases[l - 1], items[l - 1])
        }
        let x = try root.optional("x", in: top)?.doubles(count: sizes[0], what: " (n₀ = \(sizes[0]) inputs)")
        let L = sizes.count - 1
        let y = try root.optional("y", in: top)?.doubles(count: sizes[L], what: " (n\(subscriptDigits(L)) = \(sizes[L]) outputs)")
        return Contents(network: network, x: x, y: y, objective: nil, data: nil, settings: nil, savedBy: nil, isMinimal: true)
    }
}
