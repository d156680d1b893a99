import Backprop
import Foundation

/// save, load: the session as a versioned JSON file (docs/save-format.md).
enum FileCommands {
    static let save = Command(
        name: "save",
        usage: "save FILE",
        summary: "write the network, weights, sample, data set choice and settings to a JSON file",
        details: """
        The file is JSON (format "backprop-session", version 1; see docs/save-format.md).
        Weights are written so that load gives back exactly the same bits. The file is
        written to a temporary file first and renamed into place, so an interrupted save
        never leaves half a file. An existing file is replaced only when it is a session
        file (a JSON object). Data sets are recorded by name or path, not copied.
        """,
        example: "save xor-model.json",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...1, usage: "save FILE")
            try args.expectNoAssignment(usage: "save FILE")
            let path = args.positional[0].text
            let text = SessionFile.encode(state)
            let bytes = Data(text.utf8)
            try PlainText.errors(ctx.render) { () throws(ShellError) in
                try AtomicFile.write(bytes, to: path, verb: "save to", mayReplace: { head in
                    isReplaceableSessionFile(head) ? nil
                        : "the file exists and is not a Backprop session file; choose another name or remove it first"
                })
            }
            let r = ctx.render
            var what = ["network \(sizesText(state.network))", "\(state.network.parameterCount) weights and biases", "x and y"]
            if let data = state.data { what.append("data \(data.name)" + (data.split.map { " (split test=\(r.num($0.fraction)) seed=\($0.seed))" } ?? "")) }
            what.append("settings")
            return "saved \(what.joined(separator: ", ")) to \(path) (\(bytes.count) bytes)"
        },
        complete: { _, given, partial in given.isEmpty ? Complete.paths(partial) : [] }
    )

    static let load = Command(
        name: "load",
        usage: "load FILE",
        summary: "read a session saved with save (or a hand-written network) back in",
        details: """
        Everything in the file is checked first; on any error the session stays as it was.
        The data set is read again from its source and split again with the saved test=
        and seed=; when its file is gone, a warning says so and the rest is loaded.
        A minimal hand-written file is accepted too: {"layers": [{"theta": [[…]], "b": […]}, …]}
        with optional "x" and "y" (docs/save-format.md), and so is every file that export
        writes (LaTeX, Markdown, NumPy, PyTorch): each holds the session it came from.
        """,
        example: "load xor-model.json",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(1...1, usage: "load FILE")
            try args.expectNoAssignment(usage: "load FILE")
            let path = args.positional[0].text
            let contents = try PlainText.errors(ctx.render) { () throws(ShellError) in
                try SessionFile.decode(EmbeddedSession.unwrap(try FileText.read(path)), name: path)
            }
            var s = state
            let text = try PlainText.errors(ctx.render) { () throws(ShellError) in
                try apply(contents, from: path, to: &s, ctx)
            }
            state = s
            return text
        },
        complete: { _, given, partial in given.isEmpty ? Complete.paths(partial) : [] }
    )

    /// Whether the first bytes of an existing file show a JSON object (a session file,
    /// possibly hand-written) or nothing at all: only those are overwritten by save.
    static func isReplaceableSessionFile(_ head: Data) -> Bool {
        var bytes = Array(head)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return true }
        return first == UInt8(ascii: "{")
    }

    static func sizesText(_ network: Network) -> String {
        network.sizes.map(String.init).joined(separator: "-")
    }

    /// Applies validated contents to the state; the data set is read again (a failure
    /// there is a warning, not an error).
    static func apply(_ contents: SessionFile.Contents, from path: String, to state: inout SessionState,
                      _ ctx: Context) throws(ShellError) -> String {
        var s = state
        let network = contents.network
        let n0 = network.sizes[0], nL = network.sizes[network.L]
        s.network = network
        if let objective = contents.objective {
            s.objective = objective
        } else {
            do throws(EngineError) { try network.validate(s.objective) } catch {
                throw ShellError("\(path): the network does not fit this session's cost: "
                                 + Describe.engineError(error, ctx.render) + " (set cost squared first)")
            }
        }
        s.x = contents.x ?? (s.x.count == n0 ? s.x : Array(repeating: 0, count: n0))
        s.y = contents.y ?? (s.y.count == nL ? s.y : Array(repeating: 0, count: nL))
        var notes: [String] = []
        if let settings = contents.settings {
            s.style.precision = settings.precision
            s.style.unicode = settings.unicode
            // A file never turns colour on: colour belongs to the terminal in use (a
            // script or a pipe has none), but a saved "off" is honoured.
            if !settings.color { s.style.color = false }
        }
        let r = Renderer(style: s.style)
        if case .some(let spec) = contents.data {
            s.data = nil
            if let spec {
                let (data, warning) = reload(spec, sessionFile: path, ctx)
                s.data = data
                if let warning { notes.append(r.bad("warning:") + " " + warning) }
            }
        }
        s.trainingLog = []
        s.changed("a session was loaded")

        var lines: [String] = []
        var heading = "loaded \(path)"
        if contents.isMinimal {
            heading += " (a hand-written network)"
        } else {
            heading += " (format version \(SessionFile.version)" + (contents.savedBy.map { ", saved by \($0)" } ?? "") + ")"
        }
        lines.append(heading)
        let activations = (1...network.L).map { Describe.activation(network.layer($0).activation) }
        let g = Set(activations).count == 1 ? activations[0] : activations.joined(separator: ", ")
        lines.append("network \(sizesText(network)), bias \(network.hasBias ? "on" : "off"), g: \(g); \(network.parameterCount) weights and biases")
        if n0 <= 16 && nL <= 16 {
            lines.append("x = " + r.matrix([s.x]).joined() + ", y = " + r.matrix([s.y]).joined()
                         + (contents.x == nil && contents.y == nil ? "  " + r.dim("(kept: the file gives none)") : ""))
        } else {
            lines.append("x: \(n0) inputs, y: \(nL) outputs (show x, show y)")
        }
        if contents.objective != nil {
            lines.append("cost " + PassCommands.costEquation(s, r) + ", \(s.objective.reduction == .sum ? "sum" : "mean") over samples"
                         + (s.objective.lambda == 0 ? "" : ", \(r.n.symbolName("λ")) = \(r.num(s.objective.lambda))"))
        }
        if let data = s.data {
            lines.append(DataCommands.describe(data, s, r))
            if data.train.x.rows != n0 || data.train.y.rows != nL {
                lines.append(r.dim("the data has \(data.train.x.rows) inputs and \(data.train.y.rows) outputs; the network takes \(n0) and gives \(nL)"))
            }
        } else if case .some(.none) = contents.data {
            lines.append("no data set")
        }
        if contents.settings != nil {
            lines.append("precision \(s.style.precision), notation \(s.style.unicode ? "unicode" : "ascii")")
        }
        lines += notes
        state = s
        return lines.joined(separator: "\n")
    }

    /// A data file the saved session names: as written (a relative path from the
    /// working directory); else a relative path from the session file's directory; else
    /// a file of the same name beside the session file (a folder moved as a whole).
    static func resolve(_ file: String, sessionFile: String) -> String {
        let fm = FileManager.default
        let expanded = (file as NSString).expandingTildeInPath
        if fm.fileExists(atPath: expanded) { return file }
        let dir = FilePath.directory(of: (sessionFile as NSString).expandingTildeInPath)
        var candidates: [String] = []
        if !expanded.hasPrefix("/") { candidates.append(((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(expanded)) }
        candidates.append(((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent((expanded as NSString).lastPathComponent))
        return candidates.first { fm.fileExists(atPath: $0) } ?? file
    }

    /// Reads the data set again and redoes the split; nil and a warning when it fails.
    static func reload(_ spec: SessionFile.DataSpec, sessionFile: String, _ ctx: Context) -> (SessionData?, String?) {
        var data: SessionData
        do throws(ShellError) {
            switch spec.source {
            case .builtin(let name):
                data = try DataCommands.builtin(name)
            case .csv(let path, let options):
                let found = resolve(path, sessionFile: sessionFile)
                let table = try CSVReader.read(path: found, options: options)
                data = SessionData(name: (found as NSString).lastPathComponent, source: .csv(path: found, options: options),
                                   train: table.dataset, classes: table.classes)
            case .idx(let images, let labels):
                data = try IDXReader.read(images: resolve(images, sessionFile: sessionFile),
                                          labels: resolve(labels, sessionFile: sessionFile))
            }
        } catch {
            return (nil, "the data set was not loaded: \(error.message); the rest of the session was")
        }
        if let split = spec.split {
            var scratch = SessionState.example(style: Style())
            scratch.data = data
            do throws(ShellError) {
                let tokens = try Lexer.tokens("test=\(split.fraction.description) seed=\(split.seed)")
                let args = try Arguments(command: "split", tokens: tokens, allowedOptions: DataCommands.split.options)
                _ = try DataCommands.split.run(&scratch, args, ctx)
                data = scratch.data!
            } catch {
                return (data, "the data set could not be split again (\(error.message)); it is loaded unsplit")
            }
        }
        return (data, nil)
    }
}
