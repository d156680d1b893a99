import Backprop
import Foundation
import Testing
@testable import BackpropShell

/// `save FILE` / `load FILE`: the versioned JSON format of docs/save-format.md.
@Suite struct SaveLoadTests {
    /// Everything load may change, compared bit for bit.
    struct Snapshot: Equatable {
        let sizes: [Int]
        let weights: [UInt64]
        let activations: [Activation]
        let hasBias: Bool
        let x: [UInt64]
        let y: [UInt64]
        let objective: Objective
        let style: Style
        let dataName: String?
        let train: Dataset?
        let test: Dataset?
        let log: [EpochLog]

        init(_ session: Session) {
            let s = session.state
            sizes = s.network.sizes
            weights = SaveLoadTests.bits(s.network)
            activations = (1...s.network.L).map { s.network.layer($0).activation }
            hasBias = s.network.hasBias
            x = s.x.map(\.bitPattern)
            y = s.y.map(\.bitPattern)
            objective = s.objective
            style = s.style
            dataName = s.data?.name
            train = s.data?.train
            test = s.data?.test
            log = s.trainingLog
        }
    }

    /// Every Θ and b of the network as bit patterns, layer by layer.
    static func bits(_ network: Network) -> [UInt64] {
        (1...network.L).flatMap { l in
            network.theta(l).elements.map(\.bitPattern) + (network.b(l) ?? []).map(\.bitPattern)
        }
    }

    static func leftovers(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    // MARK: round trips

    @Test func weightsComeBackBitIdentical() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("model.json").path
        let s = IOTest.session()
        IOTest.ok(s, "net 3 4 2", "init seed=5 scheme=normal",
                  // Values whose decimal forms are hard: shortest repr, subnormals, −0, extremes.
                  "theta 1 = [0.1 0.3333333333333333 5e-324; -0.0 1.7976931348623157e308 2.2250738585072014e-308; 123456789.12345679 -1e-300 0.30000000000000004; 1 2 4.9406564584124654e-324]",
                  "b 1 = [2.718281828459045 -3.141592653589793 1e-05 6.02214076e23]",
                  "x = [0.1 0.2 0.7]", "y = [0.25 0.75]",
                  "set lambda 0.001", "set reduction mean", "set precision 5", "set notation ascii")
        let before = Snapshot(s)
        let saved = IOTest.ok(s, "save \(file)")
        #expect(saved.hasPrefix("saved network 3-4-2, 26 weights and biases, x and y, settings to \(file) ("))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("[0.1, 0.3333333333333333, 5e-324]"))
        #expect(text.contains("[-0.0, 1.7976931348623157e+308, 2.2250738585072014e-308]"))
        #expect(text.contains("\"format\": \"backprop-session\",\n  \"version\": 1,"))
        #expect(Self.leftovers(dir).isEmpty)

        let t = IOTest.session()
        let loaded = IOTest.ok(t, "load \(file)")
        #expect(loaded.hasPrefix("loaded \(file) (format version 1, saved by Backprop \(BackpropVersion.string))"))
        var after = Snapshot(t)
        #expect(after.weights == before.weights)
        #expect(after.x == before.x && after.y == before.y)
        #expect(after.objective == Objective(cost: .squared, reduction: .mean, lambda: 0.001))
        #expect(after.style.precision == 5 && after.style.unicode == false)
        after = Snapshot(t)
        #expect(after == before)
        // Saving the loaded session writes the same bytes.
        let again = dir.appendingPathComponent("again.json").path
        IOTest.ok(t, "save \(again)")
        #expect(try String(contentsOfFile: again, encoding: .utf8) == text)
    }

    /// Any finite Double written with `JSON.number` parses back to the same bits.
    @Test func randomDoublesRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude,
                                -.greatestFiniteMagnitude, 1e23, 9007199254740992, 0.1 + 0.2]
        while values.count < 20_000 {
            let d = Double(bitPattern: generator.next())
            if d.isFinite { values.append(d) }
        }
        let text = JSON.array(values.map { JSON.number($0) }).text()
        let parsed = try JSON.parse(text)
        let back = try JSONReader(parsed, file: "").doubles()
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func dataSetSplitAndObjectiveComeBack() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("iris.json").path
        let s = IOTest.session()
        IOTest.ok(s, "data iris", "net 4 5 3", "init seed=2", "act 1 tanh", "split test=0.2 seed=3",
                  "set cost xent", "sample 7", "train epochs=3 alpha=0.1")
        let before = Snapshot(s)
        #expect(IOTest.ok(s, "save \(file)").contains("data iris (split test=0.2 seed=3)"))
        let json = try JSON.parse(String(contentsOfFile: file, encoding: .utf8))
        #expect(json["data"] == .object([("source", .string("builtin")), ("name", .string("iris")),
                                         ("split", .object([("test", .number("0.2")), ("seed", .number("3"))]))]))
        let t = IOTest.session()
        let text = IOTest.ok(t, "load \(file)")
        #expect(text.contains("data iris: 120 training samples, 30 test samples, 4 inputs, 3 outputs"))
        let after = Snapshot(t)
        #expect(after.weights == before.weights)
        #expect(after.activations == [.tanh, .sigmoid])
        #expect(after.objective.cost == .crossEntropy)
        #expect(after.train == before.train && after.test == before.test)
        #expect(t.state.data?.split?.fraction == 0.2 && t.state.data?.split?.seed == 3)
        #expect(t.state.data?.classes == s.state.data?.classes)
        #expect(after.x == before.x && after.y == before.y)
        // The curve belongs to the old session: load starts a new one.
        #expect(!s.state.trainingLog.isEmpty && t.state.trainingLog.isEmpty)
        // The loaded session trains and evaluates like the saved one.
        #expect(IOTest.ok(t, "eval") == IOTest.ok(s, "eval"))
    }

    @Test func csvDataFoundBesideTheSessionFile() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        try IOTest.write("0.9,0.1,A\n0.2,0.8,B\n0.6,0.4,B\n0.7,0.2,A\n", dir.appendingPathComponent("h.csv"))
        let s = IOTest.session()
        IOTest.ok(s, "data load \(dir.path)/h.csv scale=minmax header=no", "net 2 2")
        let file = dir.appendingPathComponent("s.json")
        IOTest.ok(s, "save \(file.path)")
        // Make the path relative, as if the session had been saved from that directory.
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"\(dir.path)/h.csv\"", with: "\"h.csv\"")
        #expect(text.contains("\"path\": \"h.csv\""))
        #expect(text.contains("\"header\": false") && text.contains("\"scale\": \"minmax\"") && text.contains("\"onehot\": null"))
        try IOTest.write(text, file)
        let t = IOTest.session()
        let out = IOTest.ok(t, "load \(file.path)")
        #expect(!out.contains("warning"))
        #expect(t.state.data?.train == s.state.data?.train)
        #expect(t.state.data?.classes == ["A", "B"])

        // Saved paths are absolute; when the folder moves, the file beside the session is found.
        IOTest.ok(s, "save \(file.path)")
        #expect(try String(contentsOf: file, encoding: .utf8).contains("\"path\": \"\(dir.path)/h.csv\""))
        let moved = dir.deletingLastPathComponent().appendingPathComponent(dir.lastPathComponent + "-moved")
        try FileManager.default.moveItem(at: dir, to: moved)
        defer { IOTest.remove(moved) }
        let u = IOTest.session()
        let movedOut = IOTest.ok(u, "load \(moved.path)/s.json")
        #expect(!movedOut.contains("warning"))
        #expect(u.state.data?.train == s.state.data?.train)
        #expect(u.state.data?.source == .csv(path: "\(moved.path)/h.csv", options: CSVOptions(header: false, scale: .minmax)))
    }

    @Test func missingDataFileIsAWarning() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let csv = dir.appendingPathComponent("gone.csv")
        try IOTest.write("1,2,A\n3,4,B\n", csv)
        let s = IOTest.session()
        IOTest.ok(s, "data load \(csv.path) header=no", "net 2 3 2", "init seed=9")
        let file = dir.appendingPathComponent("s.json").path
        IOTest.ok(s, "save \(file)")
        try FileManager.default.removeItem(at: csv)
        let t = IOTest.session()
        IOTest.ok(t, "data xor")
        let out = t.execute("load \(file)")
        #expect(!out.isError)
        #expect(out.text.hasSuffix("warning: the data set was not loaded: no such file: \(csv.path); the rest of the session was"))
        #expect(Snapshot(t).weights == Snapshot(s).weights)
        #expect(t.state.data == nil)
    }

    @Test func idxDataComesBack() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let images = dir.appendingPathComponent("i.idx"), labels = dir.appendingPathComponent("l.idx")
        try IOTest.idx(dims: [3, 2, 2], data: DataLoadingTests.pixels).write(to: images)
        try IOTest.idx(dims: [3], data: DataLoadingTests.labels).write(to: labels)
        let s = IOTest.session()
        IOTest.ok(s, "data load \(images.path) \(labels.path)", "net 4 3 3")
        let file = dir.appendingPathComponent("s.json").path
        IOTest.ok(s, "save \(file)")
        let t = IOTest.session()
        IOTest.ok(t, "load \(file)")
        #expect(t.state.data?.source == .idx(images: images.path, labels: labels.path))
        #expect(t.state.data?.train == s.state.data?.train)
    }

    @Test func colourIsOnlyEverTurnedOff() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("c.json").path
        let colourful = Session(style: Style(unicode: true, color: true, precision: 9))
        IOTest.ok(colourful, "save \(file)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"color\": true"))
        let plain = IOTest.session()
        IOTest.ok(plain, "load \(file)")
        #expect(plain.style.color == false)
        let off = dir.appendingPathComponent("off.json").path
        IOTest.ok(plain, "save \(off)")
        IOTest.ok(colourful, "load \(off)")
        #expect(colourful.style.color == false)
    }

    @Test func quotedPathWithSpaces() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let sub = dir.appendingPathComponent("my models")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let s = IOTest.session()
        IOTest.ok(s, "save \"\(sub.path)/a b.json\"")
        IOTest.ok(s, "load \"\(sub.path)/a b.json\"")
    }

    @Test func asciiNotationMessages() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("l3.json")
        try IOTest.write(#"{"layers": [{"theta": [[1]]}, {"theta": [[1]]}, {"theta": [[1, 2]]}]}"#, file)
        let ascii = Session(style: Style(unicode: false, color: false, precision: 9))
        let error = IOTest.fails(ascii, "load \(file.path)")
        #expect(error == "error: \(file.path): layers[3].theta has 2 columns, but layer 2 has 1 unit (Theta^(3) is n_3 x n_2)")
        #expect(IOTest.fails(IOTest.session(), "load \(file.path)").hasSuffix("(Θ⁽³⁾ is n₃ × n₂)"))
        try IOTest.write(#"{"layers": [{"theta": [[1, 2]]}], "x": [1]}"#, file)
        #expect(IOTest.fails(ascii, "load \(file.path)").hasSuffix("x must have 2 entries (n_0 = 2 inputs), found 1"))
        let images = dir.appendingPathComponent("i.idx"), labels = dir.appendingPathComponent("l.idx")
        try IOTest.idx(dims: [3, 2, 2], data: DataLoadingTests.pixels).write(to: images)
        try IOTest.idx(dims: [2], data: [0, 1]).write(to: labels)
        #expect(IOTest.fails(ascii, "data load \(images.path) \(labels.path)").unicodeScalars.allSatisfy { $0.isASCII })
        try IOTest.idx(dims: [3], data: DataLoadingTests.labels).write(to: labels)
        let text = IOTest.ok(ascii, "data load \(images.path) \(labels.path)", "net 4 2 3", "save \(dir.path)/a.json", "load \(dir.path)/a.json")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
        #expect(IOTest.ok(ascii, "data load \(images.path) \(labels.path)").contains("pixels / 255, labels one-hot"))
    }

    @Test func completions() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        try IOTest.write("{}", dir.appendingPathComponent("model.json"))
        let s = IOTest.session()
        #expect(s.completions(for: "load \(dir.path)/mo") == ["\(dir.path)/model.json"])
        #expect(s.completions(for: "save \(dir.path)/m") == ["\(dir.path)/model.json"])
        #expect(s.completions(for: "plot file=\(dir.path)/mod") == ["file=\(dir.path)/model.json"])
        #expect(s.completions(for: "plot sc") == ["scale="])
        #expect(s.completions(for: "plot scale=l") == ["scale=linear", "scale=log"])
        #expect(s.completions(for: "sa") == ["save", "sample"].filter { CommandTable.names.contains($0) }.sorted { CommandTable.names.firstIndex(of: $0)! < CommandTable.names.firstIndex(of: $1)! })
    }

    // MARK: the hand-written form

    @Test func handWrittenNetwork() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("hand.json")
        try IOTest.write("""
        {
          "comment": "the classic 2-2-2 example",
          "layers": [
            {"theta": [[0.15, 0.20], [0.25, 0.30]], "b": [0.35, 0.35]},
            {"theta": [[0.40, 0.45], [0.50, 0.55]], "b": [0.60, 0.60], "activation": "sigmoid"}
          ],
          "x": [0.05, 0.10],
          "y": [0.01, 0.99]
        }
        """, file)
        let s = IOTest.session()
        IOTest.ok(s, "net 3 1", "set precision 4")
        let text = IOTest.ok(s, "load \(file.path)")
        #expect(text == """
        loaded \(file.path) (a hand-written network)
        network 2-2-2, bias on, g: sigmoid; 12 weights and biases
        x = [ 0.05  0.1 ], y = [ 0.01  0.99 ]
        """)
        // The settings stay; the numbers are the classic example's.
        IOTest.ok(s, "set precision 9")
        #expect(IOTest.ok(s, "show cost").hasSuffix("= 0.298371109"))
        #expect(s.state.network == SessionState.example(style: Style()).network)

        // No b anywhere: a network without bias; no x: kept when it fits, else zeros.
        try IOTest.write(#"{"layers": [{"theta": [[1, 2]], "activation": "linear"}]}"#, file)
        IOTest.ok(s, "load \(file.path)")
        #expect(!s.state.network.hasBias)
        #expect(s.state.network.sizes == [2, 1])
        #expect(s.state.x == [0.05, 0.1] && s.state.y == [0])
        #expect(IOTest.ok(s, "forward").contains("z₁⁽¹⁾ = 0.25"))
    }

    @Test func handWrittenRefusals() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("bad.json")
        let cases: [(String, String)] = [
            (#"{"layers": []}"#, "layers must list at least one layer"),
            (#"{"layers": [{"theta": [[1, 2]], "b": [0]}, {"theta": [[1, 2]], "b": [0]}]}"#,
             "layers[2].theta has 2 columns, but layer 1 has 1 unit (Θ⁽²⁾ is n₂ × n₁)"),
            (#"{"layers": [{"theta": [[1, 2]], "b": [0]}, {"theta": [[1], [2]]}]}"#,
             "layers gives \"b\" for some layers but not for layer 2"),
            (#"{"layers": [{"theta": [[1, 2], [3]]}]}"#, "layers[1].theta[2] must have 2 entries, found 1"),
            (#"{"layers": [{"theta": [[1, 2]], "b": [1, 2]}]}"#, "layers[1].b must have 1 entry (one per row of theta), found 2"),
            (#"{"layers": [{"theta": [[1, 2]]}], "x": [1]}"#, "x must have 2 entries (n₀ = 2 inputs), found 1"),
            (#"{"layers": [{"theta": [[1, 2]]}], "sizes": [2, 1]}"#, "has an unknown member \"sizes\""),
            (#"{"layers": [{"theta": [[1, 2]], "activation": "softmax"}]}"#, "layers[1].activation must be \"sigmoid\", \"tanh\", \"relu\" or \"linear\", found \"softmax\""),
            (#"{"layers": [{"theta": []}]}"#, "layers[1].theta has no rows"),
            (#"{"layers": [{"b": [1]}]}"#, "layers[1] is missing \"theta\""),
            (#"{"weights": 1}"#, "is not a Backprop session: it has neither \"format\": \"backprop-session\" nor \"layers\""),
        ]
        let s = IOTest.session()
        IOTest.ok(s, "data xor")
        let before = Snapshot(s)
        for (json, message) in cases {
            try IOTest.write(json, file)
            let error = IOTest.fails(s, "load \(file.path)")
            #expect(error.hasPrefix("error: \(file.path)"))
            #expect(error.contains(message), "expected '\(message)', got: \(error)")
            #expect(Snapshot(s) == before)
        }
    }

    // MARK: refusals of the full form

    /// The saved classic example with `data xor`, as parsed JSON.
    func baseDocument() throws -> JSON {
        let s = IOTest.session()
        IOTest.ok(s, "data xor")
        return try JSON.parse(SessionFile.encode(s.state))
    }

    /// `json` with the member at `path` replaced by `value` (removed when nil). Path
    /// components are keys, or "#k" for list entry k (0-based).
    func edit(_ json: JSON, _ path: [String], _ value: JSON?) -> JSON {
        guard let head = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch json {
        case .object(var members):
            if let i = members.firstIndex(where: { $0.key == head }) {
                if rest.isEmpty && value == nil {
                    members.remove(at: i)
                } else {
                    members[i].value = edit(members[i].value, rest, value)
                }
            } else if let value, rest.isEmpty {
                members.append((head, value))
            }
            return .object(members)
        case .array(var items):
            let i = Int(head.dropFirst())!
            if rest.isEmpty && value == nil { items.remove(at: i) } else { items[i] = edit(items[i], rest, value) }
            return .array(items)
        default:
            return json
        }
    }

    @Test func refusalsLeaveTheSessionUnchanged() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("bad.json")
        let base = try baseDocument()
        let good = base.text()
        let n = { (s: String) in JSON.number(s) }
        let edits: [(JSON, String)] = [
            (edit(base, ["format"], .string("keras")), "is not a Backprop session: its \"format\" is \"keras\", not \"backprop-session\""),
            (edit(base, ["version"], n("2")), "was saved by a newer Backprop (format version 2); this one reads version 1"),
            (edit(base, ["version"], n("0")), "has format version 0, which does not exist; this Backprop reads version 1"),
            (edit(base, ["version"], .string("1")), "\"version\" must be a whole number, found \"1\""),
            (edit(base, ["version"], n("1.5")), "\"version\" must be a whole number, found 1.5"),
            (edit(base, ["version"], n("2.0")), "was saved by a newer Backprop (format version 2); this one reads version 1"),
            (edit(base, ["version"], nil), "has no \"version\""),
            (edit(base, ["format"], nil), "has no \"format\": a session file starts with \"format\": \"backprop-session\", \"version\": 1"),
            (edit(base, ["network"], nil), "is missing \"network\""),
            (edit(base, ["sample"], nil), "is missing \"sample\""),
            (edit(base, ["objective"], nil), "is missing \"objective\""),
            (edit(base, ["data"], nil), "is missing \"data\" (null when there is no data set)"),
            (edit(base, ["settings"], nil), "is missing \"settings\""),
            (edit(base, ["network", "sizes"], nil), "network is missing \"sizes\""),
            (edit(base, ["network", "bias"], nil), "network is missing \"bias\""),
            (edit(base, ["network", "layers", "#1", "theta"], nil), "network.layers[2] is missing \"theta\""),
            (edit(base, ["network", "layers", "#0", "b"], nil), "network.layers[1] is missing \"b\""),
            (edit(base, ["network", "layers", "#0", "activation"], nil), "network.layers[1] is missing \"activation\""),
            (edit(base, ["sample", "x"], nil), "sample is missing \"x\""),
            (edit(base, ["objective", "lambda"], nil), "objective is missing \"lambda\""),
            (edit(base, ["settings", "color"], nil), "settings is missing \"color\""),
            (edit(base, ["lamda"], n("0.1")), "has an unknown member \"lamda\""),
            (edit(base, ["network", "layers", "#0", "weights"], n("1")), "network.layers[1] has an unknown member \"weights\""),
            (edit(base, ["network", "sizes"], .array([n("2"), n("2")])), "network.layers must have 1 entry, one per layer after the inputs (sizes 2-2), found 2"),
            (edit(base, ["network", "sizes", "#1"], n("0")), "network.sizes[2] must be from 1 to 100000, found 0"),
            (edit(base, ["network", "sizes", "#1"], n("1.5")), "network.sizes[2] must be a whole number from 1 to 100000, found 1.5"),
            (edit(base, ["network", "sizes"], .array([n("2")])), "network.sizes must list at least two layer sizes"),
            (edit(base, ["network", "layers", "#0", "theta"], .array([.array([n("1"), n("2")])])),
             "network.layers[1].theta must be 2 × 2 (n₁ × n₀): 2 rows, found 1"),
            (edit(base, ["network", "layers", "#1", "theta", "#0"], .array([n("1"), n("2"), n("3")])),
             "network.layers[2].theta[1] must have 2 entries (Θ is 2 × 2 (n₂ × n₁)), found 3"),
            (edit(base, ["network", "layers", "#0", "b"], .array([n("1")])), "network.layers[1].b must have 2 entries (n₁ = 2), found 1"),
            (edit(base, ["network", "layers", "#0", "theta", "#0", "#0"], n("1e999")),
             "network.layers[1].theta[1][1] is 1e999, which is not a finite Double (it overflows)"),
            (edit(base, ["network", "layers", "#0", "theta", "#0", "#0"], .string("NaN")),
             "network.layers[1].theta[1][1] must be a number, found text"),
            (edit(base, ["network", "layers", "#0", "theta", "#0", "#0"], .null), "network.layers[1].theta[1][1] must be a number, found null"),
            (edit(base, ["network", "layers", "#0", "activation"], .string("Sigmoid")), "network.layers[1].activation must be \"sigmoid\""),
            (edit(base, ["network", "bias"], .bool(false)), "network.layers[1] has \"b\" but the network has \"bias\": false"),
            (edit(base, ["network", "bias"], .string("yes")), "network.bias must be true or false, found text"),
            (edit(base, ["sample", "x"], .array([n("1"), n("2"), n("3")])), "sample.x must have 2 entries (n₀ = 2 inputs), found 3"),
            (edit(base, ["sample", "y"], .array([n("1")])), "sample.y must have 2 entries (n₂ = 2 outputs), found 1"),
            (edit(edit(base, ["objective", "cost"], .string("xent")), ["network", "layers", "#1", "activation"], .string("linear")),
             "objective does not fit the network: cross-entropy needs a sigmoid output layer"),
            (edit(base, ["objective", "cost"], .string("hinge")), "objective.cost must be \"squared\" or \"xent\", found \"hinge\""),
            (edit(base, ["objective", "lambda"], n("-1")), "objective.lambda must be 0 or more, found -1.0"),
            (edit(base, ["settings", "precision"], n("18")), "settings.precision must be from 1 to 17, found 18"),
            (edit(base, ["settings", "notation"], .string("latex")), "settings.notation must be \"unicode\" or \"ascii\", found \"latex\""),
            (edit(base, ["data", "source"], .string("ftp")), "data.source must be \"builtin\", \"csv\" or \"idx\", found \"ftp\""),
            (edit(base, ["data", "name"], .string("mnist")), "data.name must be \"xor\", \"and\", \"or\", \"iris\" or \"digits\", found \"mnist\""),
            (edit(base, ["data", "split"], .object([("test", n("1.5")), ("seed", n("1"))])), "data.split.test must be above 0 and below 1, found 1.5"),
            (edit(base, ["data", "split"], .object([("test", n("0.2"))])), "data.split is missing \"seed\""),
            (edit(base, ["data"], .string("xor")), "data must be an object { … } or null, found text"),
            (.array([base]), "is not a Backprop session: it holds a list, not an object { … }"),
        ]
        let s = IOTest.session()
        IOTest.ok(s, "data iris", "net 4 3 3", "init seed=4", "split test=0.2 seed=1", "train epochs=2", "set precision 6")
        let before = Snapshot(s)
        #expect(!before.log.isEmpty)
        func refuse(_ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try IOTest.write(text, file)
            let error = IOTest.fails(s, "load \(file.path)", sourceLocation: sourceLocation)
            #expect(error.hasPrefix("error: \(file.path)"), sourceLocation: sourceLocation)
            #expect(error.contains(message), "expected '\(message)', got: \(error)", sourceLocation: sourceLocation)
            #expect(Snapshot(s) == before, "a failed load changed the session", sourceLocation: sourceLocation)
        }
        for (json, message) in edits { try refuse(json.text(), message) }
        // Text that is not JSON, or not quite.
        try refuse("hello", "is not valid JSON: line 1, column 1: expected a value, found 'h'")
        try refuse("", "is not valid JSON: line 1, column 1: the text is empty: expected a JSON object")
        try refuse(String(good.prefix(good.count / 2)), "is not valid JSON: line ")
        try refuse(good.replacingOccurrences(of: "\"color\": false", with: "\"color\": false,"), "expected a member name in double quotes, found '}'")
        try refuse(good.replacingOccurrences(of: "[0.15, 0.2]", with: "[NaN, 0.2]"),
                   "is not valid JSON: line 12, column 12: NaN and Infinity are not JSON numbers")
        try refuse(good.replacingOccurrences(of: "[0.15, 0.2]", with: "[0.15, Infinity]"), "NaN and Infinity are not JSON numbers")
        try refuse(good.replacingOccurrences(of: "[0.15, 0.2]", with: "[.15, 0.2]"), "expected a value, found '.'")
        try refuse(good.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 1, \"version\": 1,"), "\"version\" appears twice in the same object")
        try refuse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nested more than 64 levels deep")
        try refuse(good + "}", "unexpected '}' after the end of the JSON value")
        // Not a file.
        #expect(IOTest.fails(s, "load \(dir.path)") == "error: \(dir.path) is a directory, not a file")
        #expect(IOTest.fails(s, "load \(dir.path)/none.json") == "error: no such file: \(dir.path)/none.json")
        #expect(IOTest.fails(s, "load").contains("usage: load FILE"))
        #expect(Snapshot(s) == before)
        // And the good text loads.
        try IOTest.write(good, file)
        IOTest.ok(s, "load \(file.path)")
        #expect(s.state.data?.name == "xor")
    }

    // MARK: saving safely

    @Test func saveFailuresKeepTheSession() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let s = IOTest.session()
        IOTest.ok(s, "data xor")
        let before = Snapshot(s)
        #expect(IOTest.fails(s, "save \(dir.path)/missing/m.json") == "error: cannot save to \(dir.path)/missing/m.json: the directory \(dir.path)/missing does not exist")
        #expect(IOTest.fails(s, "save \(dir.path)") == "error: cannot save to \(dir.path): it is a directory")
        #expect(IOTest.fails(s, "save \(dir.path)/") == "error: cannot save to \(dir.path)/: it is a directory")
        let file = dir.appendingPathComponent("plain.txt")
        try IOTest.write("notes\n", file)
        #expect(IOTest.fails(s, "save \(file.path)/m.json") == "error: cannot save to \(file.path)/m.json: \(file.path) is not a directory")
        // A file that is not a session is not overwritten.
        let csv = dir.appendingPathComponent("data.csv")
        try IOTest.write("a,b\n1,2\n", csv)
        #expect(IOTest.fails(s, "save \(csv.path)").contains("the file exists and is not a Backprop session file"))
        #expect(try String(contentsOf: csv, encoding: .utf8) == "a,b\n1,2\n")
        #expect(Snapshot(s) == before)
        #expect(Self.leftovers(dir).isEmpty)
    }

    /// A place that cannot be written to: a read-only directory for a normal user. Root
    /// writes there anyway (checked), so as root the test uses /sys, which refuses new
    /// files even to root.
    @Test func saveToAReadOnlyPlace() throws {
        let s = IOTest.session()
        let before = Snapshot(s)
        if IOTest.isRoot {
            let dir = try IOTest.directory()
            defer { IOTest.remove(dir) }
            #expect(chmod(dir.path, 0o555) == 0)
            IOTest.ok(s, "save \(dir.path)/root-writes-anyway.json")
            chmod(dir.path, 0o755)
            var isDirectory: ObjCBool = false
            try #require(FileManager.default.fileExists(atPath: "/sys", isDirectory: &isDirectory) && isDirectory.boolValue,
                         "no /sys to test a read-only place as root")
            let error = IOTest.fails(s, "save /sys/backprop-test.json")
            #expect(error == "error: cannot save to /sys/backprop-test.json: permission denied (the directory cannot be written to)"
                    || error == "error: cannot save to /sys/backprop-test.json: the file system is read-only")
        } else {
            let dir = try IOTest.directory()
            defer { IOTest.remove(dir) }
            #expect(chmod(dir.path, 0o555) == 0)
            defer { chmod(dir.path, 0o755) }
            #expect(IOTest.fails(s, "save \(dir.path)/m.json") == "error: cannot save to \(dir.path)/m.json: permission denied (the directory cannot be written to)")
            #expect(Self.leftovers(dir).isEmpty)
        }
        #expect(Snapshot(s) == before)
    }

    @Test func saveReplacesASessionFileKeepingItsMode() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("m.json")
        try IOTest.write("{\"layers\": []}\n", file)
        #expect(chmod(file.path, 0o600) == 0)
        let s = IOTest.session()
        IOTest.ok(s, "save \(file.path)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"format\": \"backprop-session\""))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Overwriting an empty file is fine too.
        let empty = dir.appendingPathComponent("empty.json")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        IOTest.ok(s, "save \(empty.path)")
        #expect(Self.leftovers(dir).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["empty.json", "m.json"])
    }

    /// The temporary file is written in full and flushed before the rename: a save
    /// that fails in the middle (here: a temporary name that cannot be created because
    /// the directory vanished) leaves the old file as it was.
    @Test func oldFileSurvivesAFailedSave() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let file = dir.appendingPathComponent("keep.json")
        let s = IOTest.session()
        IOTest.ok(s, "save \(file.path)")
        let original = try Data(contentsOf: file)
        IOTest.ok(s, "net 3 3")
        // A target whose name is too long for the temporary file beside it.
        let long = dir.appendingPathComponent(String(repeating: "n", count: 250) + ".json")
        let error = IOTest.fails(s, "save \(long.path)")
        #expect(error.contains("the name is too long"))
        #expect(try Data(contentsOf: file) == original)
        #expect(Self.leftovers(dir).isEmpty)
    }
}
