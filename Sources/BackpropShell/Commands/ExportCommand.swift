import Backprop
import Foundation

/// export latex|markdown|numpy|pytorch FILE: the current network and pass, taken away.
enum ExportCommand {
    static let kinds = ["latex", "markdown", "numpy", "pytorch"]

    static let export = Command(
        name: "export",
        usage: "export latex|markdown|numpy|pytorch FILE",
        summary: "write the derivation (LaTeX, Markdown) or a checking script (NumPy, PyTorch)",
        details: """
        latex: every equation of the forward and backward pass over the current sample with
        its matrices and numbers, as a fragment for a document with amsmath (align*, bmatrix).
        markdown: the same with $$ math. numpy, pytorch: a standalone Python script that
        rebuilds the network with the exact weights, runs x forward and backward, prints
        every z, a, J, δ and gradient and checks them against the shell's (within 1e-12).
        Every export holds the session: load FILE reads it back.
        """,
        example: "export numpy xor.py",
        run: { state, args, ctx throws(ShellError) in
            let usage = "export latex|markdown|numpy|pytorch FILE"
            try args.expectPositional(2...2, usage: usage)
            try args.expectNoAssignment(usage: usage)
            let kind = args.positional[0].text.lowercased()
            guard kinds.contains(kind) else {
                throw ShellError("export what? choose \(Arguments.list(kinds))", near: args.positional[0].text)
            }
            let path = args.positional[1].text
            let (trace, _) = try state.backward()
            guard trace.a.allSatisfy(\.isFinite), trace.delta.allSatisfy(\.isFinite), trace.J.isFinite,
                  trace.gradTheta.allSatisfy(\.isFinite) else {
                throw ShellError("the pass over x gives NaN or infinity: there are no numbers to export")
            }
            let json = SessionFile.encode(state)
            let text: String
            switch kind {
            case "latex": text = DocumentExport.latex(Derivation.build(state, trace), session: json)
            case "markdown": text = DocumentExport.markdown(Derivation.build(state, trace), session: json)
            case "numpy": text = PythonExport.script(.numpy, state, trace, session: json)
            default: text = PythonExport.script(.pytorch, state, trace, session: json)
            }
            let bytes = Data(text.utf8)
            try PlainText.errors(ctx.render) { () throws(ShellError) in
                try AtomicFile.write(bytes, to: path, verb: "export to", mayReplace: { head in
                    EmbeddedSession.mayReplace(Array(head)) ? nil
                        : "the file exists and is not a Backprop export; choose another name or remove it first"
                })
            }
            let size = "\(bytes.count) bytes"
            switch kind {
            case "latex":
                return "wrote \(path) (\(size)): \\input it in a document that loads amsmath"
            case "markdown":
                return "wrote \(path) (\(size)): the forward and backward pass, with $$ math"
            default:
                return "wrote \(path) (\(size)): python3 \(path) checks every number in "
                    + (kind == "numpy" ? "NumPy" : "PyTorch")
            }
        },
        complete: { _, given, partial in
            if given.isEmpty { return Complete.matching(kinds, partial) }
            if given.count == 1 { return Complete.paths(partial) }
            return []
        }
    )
}
