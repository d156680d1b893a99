import Backprop
import Foundation
import Testing
@testable import BackpropShell

/// export latex|markdown|numpy|pytorch: the structure of the documents, a LaTeX build
/// with pdflatex, the NumPy script run for real (and the PyTorch one where torch is
/// importable), and `load` of every export giving back the same network bit for bit.
@Suite struct ExportTests {
    /// Several networks: the classic example, and ones that use every option.
    static let setups: [String: [String]] = [
        "classic": [],
        "nobias-3-4-4-2": ["net 3 4 4 2 bias=off", "init seed=3", "x = [1 0.5 -1]", "y = [0 1]"],
        "xent-tanh-relu-mean-lambda": ["net 2 4 3 2 cost=xent", "act 1 tanh", "act 2 relu", "init seed=5 eps=1",
                                      "x = [0.3 -0.7]", "y = [1 0]", "set reduction mean", "set lambda 0.01"],
        "linear-output": ["net 3 2 1", "act 2 linear", "init seed=9 eps=2", "x = [1e-5 2 -3]", "y = [0.25]"],
        "digits-64-32-10": ["data digits", "net 64 32 10", "init seed=1", "sample 7"],
    ]

    func session(_ name: String) throws -> Session {
        let s = Session(style: Style(unicode: true, color: false, precision: 9))
        for line in Self.setups[name]! {
            let output = s.execute(line)
            if output.isError {
                // Some setups use optional settings; fail loudly when one does not exist.
                Issue.record("\(name): `\(line)` failed: \(output.text)")
            }
        }
        return s
    }

    func export(_ s: Session, _ kind: String, _ directory: TemporaryFolder, _ name: String) throws -> String {
        let path = directory.path(name)
        let output = s.execute("export \(kind) \(path)")
        #expect(!output.isError, "\(output.text)")
        #expect(output.text.hasPrefix("wrote"), "\(output.text)")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    // MARK: LaTeX and Markdown

    @Test func latexHasEveryEquationWithItsNumbers() throws {
        let folder = try TemporaryFolder()
        let text = try export(try session("classic"), "latex", folder, "c.tex")
        #expect(text.hasPrefix("% Written by Backprop"))
        #expect(text.allSatisfy { $0.isASCII }, "pdflatex reads ASCII without set-up")
        let begins = text.components(separatedBy: "\\begin{align*}").count - 1
        let ends = text.components(separatedBy: "\\end{align*}").count - 1
        #expect(begins == ends && begins >= 12, "\(begins) align* blocks")
        #expect(text.components(separatedBy: "\\begin{bmatrix}").count == text.components(separatedBy: "\\end{bmatrix}").count)
        for part in ["z^{(1)} &= \\Theta^{(1)} a^{(0)} + b^{(1)}", "a^{(2)} &= g(z^{(2)})",
                     "J &= \\tfrac{1}{2} \\left\\lVert y - a^{(2)} \\right\\rVert^2",
                     "\\delta^{(2)} &= \\left(a^{(2)} - y\\right) \\odot g'(z^{(2)})",
                     "\\delta^{(1)} &= \\left(\\left(\\Theta^{(2)}\\right)^{\\mathsf{T}} \\delta^{(2)}\\right)",
                     "\\frac{\\partial J}{\\partial \\Theta^{(2)}} &= \\delta^{(2)} \\left(a^{(1)}\\right)^{\\mathsf{T}}",
                     "\\frac{\\partial J}{\\partial b^{(1)}}",
                     "\\begin{bmatrix} 0.15 & 0.2 \\\\ 0.25 & 0.3 \\end{bmatrix}",
                     "&= 0.298371109", "0.138498562", "0.0821670406", "0.000438567734",
                     "\\Theta^{(l)} &\\leftarrow \\Theta^{(l)} - \\alpha"] {
            #expect(text.contains(part), "missing: \(part)")
        }
        for title in ["Forward pass", "Cost", "Backward pass: the errors", "Backward pass: the gradients"] {
            #expect(text.contains("\\textbf{\(title)}"))
        }
    }

    @Test func largeLayersAreElided() throws {
        let folder = try TemporaryFolder()
        let text = try export(try session("digits-64-32-10"), "latex", folder, "d.tex")
        #expect(text.contains("\\cdots") && text.contains("\\vdots") && text.contains("\\ddots"))
        // No bmatrix row has more than 8 entries (amsmath's default limit is 10).
        let rows = text.components(separatedBy: "\\begin{bmatrix}").dropFirst()
            .map { $0.components(separatedBy: "\\end{bmatrix}")[0] }
            .flatMap { $0.components(separatedBy: "\\\\") }
        #expect(rows.allSatisfy { $0.components(separatedBy: "&").count <= 8 })
    }

    @Test func markdownHasDisplayMath() throws {
        let folder = try TemporaryFolder()
        let text = try export(try session("xent-tanh-relu-mean-lambda"), "markdown", folder, "x.md")
        #expect(text.hasPrefix("<!-- Written by Backprop"))
        let fences = text.split(separator: "\n").filter { $0 == "$$" }.count
        #expect(fences % 2 == 0 && fences >= 24)
        #expect(text.contains("# Backpropagation through the 2-4-3-2 network"))
        for title in ["## Forward pass", "## Cost", "## Backward pass: the errors", "## Backward pass: the gradients"] {
            #expect(text.contains(title))
        }
        #expect(text.contains("\\delta^{(3)} &= a^{(3)} - y"), "cross-entropy's output error")
        #expect(text.contains("\\tanh(z)") && text.contains("\\max(0, z)"))
        #expect(text.contains("\\frac{\\lambda}{2}") && text.contains("+ \\lambda \\Theta^{(1)}"))
        #expect(text.contains("\\tfrac{1}{m}"), "the mean over samples")
    }

    /// pdflatex compiles the fragment in a minimal document. scripts/setup.sh installs
    /// texlive-latex-base, so CI always runs this; elsewhere it runs when pdflatex is on
    /// the PATH and says it did not otherwise.
    @Test(.enabled(if: Self.pdflatex != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                   "pdflatex is not installed: the LaTeX export was NOT compiled (scripts/setup.sh installs texlive-latex-base)"),
          arguments: ["classic", "xent-tanh-relu-mean-lambda", "digits-64-32-10"])
    func latexCompiles(_ name: String) throws {
        let pdflatex = try #require(Self.pdflatex, "pdflatex is needed on CI: scripts/setup.sh installs texlive-latex-base")
        let folder = try TemporaryFolder()
        _ = try export(try session(name), "latex", folder, "fragment.tex")
        try """
        \\documentclass{article}
        \\usepackage{amsmath}
        \\begin{document}
        \\input{fragment.tex}
        \\end{document}

        """.write(toFile: folder.path("doc.tex"), atomically: true, encoding: .utf8)
        let result = try run(pdflatex, ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"], in: folder.url)
        #expect(result.status == 0, "pdflatex failed:\n\(result.output.suffix(3000))")
        #expect(FileManager.default.fileExists(atPath: folder.path("doc.pdf")))
    }

    // MARK: Python

    @Test(arguments: Array(setups.keys).sorted())
    func numpyScriptAgreesWithTheShell(_ name: String) throws {
        let python = try #require(Self.python, "python3 is needed to run the NumPy export")
        let check = try run(python, ["-c", "import numpy"])
        try #require(check.status == 0, "numpy is not importable by \(python): run scripts/setup.sh (pip install numpy)")
        let folder = try TemporaryFolder()
        _ = try export(try session(name), "numpy", folder, "net.py")
        let result = try run(python, [folder.path("net.py")])
        #expect(result.status == 0, "\(name):\n\(result.output)")
        #expect(result.output.contains("quantities equal Backprop's within 1e-12"), "\(result.output)")
        #expect(!result.output.contains("DIFFERS"))
    }

    @Test func numpyScriptNoticesADifference() throws {
        let python = try #require(Self.python)
        let folder = try TemporaryFolder()
        let text = try export(try session("classic"), "numpy", folder, "net.py")
        // Change the expected J in its last digits: the script must say so and fail.
        let tampered = text.replacingOccurrences(of: "\"J\": 0.2983711087600027", with: "\"J\": 0.2983711087700027")
        #expect(tampered != text)
        try tampered.write(toFile: folder.path("bad.py"), atomically: true, encoding: .utf8)
        let result = try run(python, [folder.path("bad.py")])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("J ") && result.output.contains("DIFFERS"), "\(result.output)")
    }

    @Test(.enabled(if: Self.torchImportable,
                   "torch is not importable by python3: the PyTorch export was NOT run (pip install torch)"),
          arguments: ["classic", "nobias-3-4-4-2", "xent-tanh-relu-mean-lambda", "linear-output"])
    func pytorchScriptAgreesWithTheShell(_ name: String) throws {
        let python = try #require(Self.python)
        let folder = try TemporaryFolder()
        _ = try export(try session(name), "pytorch", folder, "net.py")
        let result = try run(python, [folder.path("net.py")])
        #expect(result.status == 0, "\(name):\n\(result.output)")
        #expect(result.output.contains("quantities equal Backprop's within 1e-12"), "\(result.output)")
    }

    @Test func pytorchScriptIsWrittenEvenWithoutTorch() throws {
        let folder = try TemporaryFolder()
        let text = try export(try session("classic"), "pytorch", folder, "net.py")
        #expect(text.contains("import torch") && text.contains("torch.nn.Linear") && text.contains("J.backward()"))
        if !Self.torchImportable {
            print("note: torch is not importable here, so the PyTorch export was written but not run")
        }
    }

    // MARK: load

    /// Every export loads back: the same network, weights (bit for bit), sample and cost.
    @Test(arguments: ["latex", "markdown", "numpy", "pytorch"])
    func loadReadsAnExportBack(_ kind: String) throws {
        let folder = try TemporaryFolder()
        for name in ["classic", "xent-tanh-relu-mean-lambda", "linear-output"] {
            let original = try session(name)
            _ = try export(original, kind, folder, "e.\(kind)")
            let fresh = Session(style: Style())
            _ = fresh.execute("net 1 1")
            let output = fresh.execute("load \(folder.path("e.\(kind)"))")
            #expect(!output.isError, "\(kind) \(name): \(output.text)")
            #expect(fresh.state.network == original.state.network, "\(kind) \(name)")
            #expect(fresh.state.x == original.state.x && fresh.state.y == original.state.y)
            #expect(fresh.state.objective == original.state.objective)
            #expect(fresh.execute("forward").text.hasSuffix(original.execute("forward").text.split(separator: "\n").last!))
        }
    }

    @Test func exportRefusesToOverwriteOtherFiles() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("notes.py")
        try "print('my own script')\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = try session("classic")
        let output = s.execute("export numpy \(path)")
        #expect(output.isError && output.text.contains("not a Backprop export"), "\(output.text)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "print('my own script')\n")
        // Its own export is replaced.
        #expect(!s.execute("export numpy \(folder.path("mine.py"))").isError)
        #expect(!s.execute("export numpy \(folder.path("mine.py"))").isError)
    }

    @Test func errorsAndCompletion() {
        let s = Session(style: Style())
        #expect(s.execute("export").text.contains("usage: export latex|markdown|numpy|pytorch FILE"))
        #expect(s.execute("export word f.txt").text.contains("choose latex, markdown, numpy or pytorch"))
        #expect(s.execute("export latex /nonexistent-dir/x.tex").isError)
        #expect(s.completions(for: "export ") == ["latex", "markdown", "numpy", "pytorch"])
        #expect(s.completions(for: "export nu") == ["numpy"])
        #expect(s.completions(for: "exp").contains("export"))
    }

    // MARK: helpers

    static let python: String? = which("python3")
    static let pdflatex: String? = which("pdflatex")
    static let torchImportable: Bool = {
        guard let python else { return false }
        return (try? runProgram(python, ["-c", "import torch"]))?.status == 0
    }()

    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"])
            .map { $0 + "/" + program }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        try Self.runProgram(program, arguments, in: directory)
    }

    static func runProgram(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let folder = try TemporaryFolder()
        let outputPath = folder.path("output")
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }
}

/// A directory under /tmp, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-export-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
