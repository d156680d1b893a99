import Backprop
import Foundation
import Synchronization

/// data, split, sample: the data set and the sample picked from it.
enum DataCommands {
    static let data = Command(
        name: "data",
        usage: "data xor|and|or|iris|digits  |  data load FILE.csv [header=yes|no] [target=N[,N…]] [onehot=yes|no] [scale=none|minmax|standard]  |  data load IMAGES LABELS",
        summary: "choose a data set to train on (built in, or a CSV file)",
        details: """
        xor, and, or: the four rows of a truth table (2 inputs, 1 output).
        iris: 150 flowers, 4 measurements, 3 species (one-hot); digits: 1797 8×8 images,
        64 pixels scaled to [0, 1], 10 classes. CSV: the last column is the target unless
        target= names others; class labels become one-hot targets; scale= rescales inputs.
        data load IMAGES LABELS reads MNIST's IDX files (pixels ÷ 255, labels one-hot).
        `data` alone describes the current data set.
        """,
        example: "data xor",
        options: ["header", "target", "onehot", "scale"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectNoAssignment(usage: "data NAME | data load FILE")
            guard let first = args.word(0)?.lowercased() else {
                guard let data = state.data else { return "no data set yet: try data xor or data digits" }
                return describe(data, state, ctx.render)
            }
            var loaded: SessionData
            if first == "load" {
                try args.expectPositional(2...3, usage: "data load FILE.csv [options]")
                if args.positional.count == 3 {
                    return try IDXReader.dataCommand(&state, args, ctx)
                }
                let path = args.positional[1].text
                var options = CSVOptions()
                if let h = try args.choice("header", ["yes", "no"]) { options.header = h == "yes" }
                if let o = try args.choice("onehot", ["yes", "no"]) { options.oneHot = o == "yes" }
                if let s = try args.choice("scale", ["none", "minmax", "standard"]) { options.scale = CSVOptions.Scaling(rawValue: s)! }
                if let t = args.options["target"] {
                    options.targets = try t.text.split(separator: ",").map { part throws(ShellError) in
                        try Values.integer(String(part), what: "target=", in: 1...1_000_000)
                    }
                }
                let table = try CSVReader.read(path: path, options: options)
                loaded = SessionData(name: (path as NSString).lastPathComponent, source: .csv(path: path, options: options),
                                     train: table.dataset, classes: table.classes)
            } else {
                try args.expectPositional(1...1, usage: "data NAME")
                guard args.options.isEmpty else {
                    throw ShellError("options only go with data load FILE", near: args.options.keys.first)
                }
                loaded = try builtin(first)
            }
            state.data = loaded
            state.trainingLog = []
            var text = describe(loaded, state, ctx.render)
            let sizes = state.network.sizes
            if sizes[0] != loaded.train.x.rows || sizes.last! != loaded.train.y.rows {
                text += "\n" + ctx.render.dim("the network is \(sizes.map(String.init).joined(separator: "-")); this data needs \(loaded.train.x.rows) input\(loaded.train.x.rows == 1 ? "" : "s") and \(loaded.train.y.rows) output\(loaded.train.y.rows == 1 ? "" : "s"), e.g. net \(loaded.train.x.rows) \(max(2, loaded.train.x.rows / 2)) \(loaded.train.y.rows)")
            }
            return text
        },
        complete: { _, given, partial in
            if given.isEmpty { return Complete.matching(BuiltinData.names + ["load"], partial) }
            if given.count == 1 && given[0] == "load" { return Complete.paths(partial) }
            if given.first == "load" {
                return Complete.options(["header": ["yes", "no"], "target": [], "onehot": ["yes", "no"],
                                         "scale": ["none", "minmax", "standard"]], given: Array(given.dropFirst(2)), partial)
            }
            return []
        }
    )

    /// The built-in sets: truth tables, and iris and digits from Lessons/data.
    static func builtin(_ name: String) throws(ShellError) -> SessionData {
        if let set = BuiltinData.truthTable(name) {
            return SessionData(name: name, source: .builtin(name), train: set)
        }
        guard name == "iris" || name == "digits" else {
            throw ShellError("no data set called '\(name)': choose \(Arguments.list(BuiltinData.names)), or data load FILE.csv", near: name)
        }
        guard let url = Resources.dataFile("\(name).csv") else {
            throw ShellError("Lessons/data/\(name).csv was not found (set BACKPROP_LESSONS to the Lessons folder)")
        }
        // Read once per process: a lesson (or a class) chooses digits again and again.
        if let known = builtinCache.withLock({ $0[url.path] }) { return known }
        var options = CSVOptions()
        options.header = true
        options.oneHot = true
        var table = try CSVReader.read(path: url.path, options: options)
        if name == "digits" {
            // Pixels are 0 … 16: scale to [0, 1] as x / 16.
            var x = table.dataset.x
            for index in x.elements.indices { x.elements[index] /= 16 }
            table.dataset = try! Dataset(x: x, y: table.dataset.y)
        }
        let data = SessionData(name: name, source: .builtin(name), train: table.dataset, classes: table.classes)
        builtinCache.withLock { $0[url.path] = data }
        return data
    }

    /// iris and digits as read, by file.
    private static let builtinCache = Mutex<[String: SessionData]>([:])

    static func describe(_ data: SessionData, _ state: SessionState, _ r: Renderer) -> String {
        var text = "data \(data.name): \(data.train.count) training sample\(data.train.count == 1 ? "" : "s")"
        if let test = data.test { text += ", \(test.count) test sample\(test.count == 1 ? "" : "s")" }
        text += ", \(data.train.x.rows) inputs, \(data.train.y.rows) output\(data.train.y.rows == 1 ? "" : "s")"
        if let classes = data.classes {
            let shown = classes.count <= 10 ? classes.joined(separator: ", ") : classes.prefix(10).joined(separator: ", ") + ", \(r.n.ellipsis)"
            text += " (\(classes.count) classes: \(shown))"
        }
        return text
    }

    static let split = Command(
        name: "split",
        usage: "split [test=0.2] [seed=1]",
        summary: "hold out a random part of the data as a test set",
        details: "The samples are shuffled from the seed; test= is the held-out fraction. split test=0 puts them back.",
        example: "split test=0.2 seed=7",
        options: ["test", "seed"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "split [test=0.2] [seed=1]")
            guard var data = state.data else { throw ShellError("no data set yet: choose one with data first") }
            let fraction = try args.number("test", default: 0.2)
            guard fraction >= 0 && fraction < 1 else { throw ShellError("test= must be at least 0 and below 1", near: args.options["test"]?.raw) }
            let seed = UInt64(try args.integer("seed", default: 1, in: 0...Int.max))
            let all = data.all
            if fraction == 0 {
                data.train = all
                data.test = nil
                data.split = nil
            } else {
                var order = Array(0..<all.count)
                var generator = SeededGenerator(seed: seed)
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.index(below: i + 1)) }
                let testCount = Int((Double(all.count) * fraction).rounded())
                guard testCount >= 1 && testCount < all.count else {
                    throw ShellError("test=\(ctx.render.num(fraction)) of \(all.count) samples leaves an empty set")
                }
                data.test = all.subset(Array(order.prefix(testCount)))
                data.train = all.subset(Array(order.dropFirst(testCount)))
                data.split = (fraction, seed)
            }
            state.data = data
            return describe(data, state, ctx.render)
        },
        complete: { _, given, partial in Complete.options(["test": [], "seed": []], given: given, partial) }
    )

    static let sample = Command(
        name: "sample",
        usage: "sample K",
        summary: "put training sample K of the data set into x and y, for step-through",
        details: "K counts from 1. Then forward, backward and explain work on that sample.",
        example: "sample 3",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...1, usage: "sample K")
            try args.expectNoAssignment(usage: "sample K")
            guard let data = state.data else { throw ShellError("no data set yet: choose one with data first") }
            let k = try Values.integer(args.positional[0].text, what: "the sample number", in: 1...data.train.count)
            let x = data.train.x.column(k - 1), y = data.train.y.column(k - 1)
            guard x.count == state.network.sizes[0], y.count == state.network.sizes.last! else {
                throw ShellError("sample \(k) has \(x.count) inputs and \(y.count) outputs; the network takes \(state.network.sizes[0]) and gives \(state.network.sizes.last!)")
            }
            state.x = x
            state.y = y
            state.changed("the sample changed")
            let r = ctx.render
            if x.count <= 16 {
                return "x = " + r.matrix([x]).joined() + "\ny = " + r.matrix([y]).joined()
            }
            return "x: \(x.count) inputs (show x)\ny = " + r.matrix([y]).joined()
        }
    )
}

extension Complete {
    /// File paths starting with `partial` (directories end in /).
    static func paths(_ partial: String) -> [String] {
        let expanded = (partial as NSString).expandingTildeInPath
        let dir: String, prefix: String
        if partial.hasSuffix("/") {
            dir = expanded
            prefix = ""
        } else {
            dir = FilePath.directory(of: expanded)
            prefix = (expanded as NSString).lastPathComponent
        }
        let base = partial.hasSuffix("/") ? partial : String(partial.dropLast(prefix.count))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && ($0.first != "." || prefix.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            let full = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(name)
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            return base + name + (isDirectory.boolValue ? "/" : "")
        }
    }
}
