/// `export latex` and `export markdown`: the derivation as a LaTeX fragment (amsmath:
/// align*, bmatrix) to \input into slides or a handout, and as Markdown with $$ math.
enum DocumentExport {
    /// A fragment for a document that loads amsmath: \input{FILE} or paste.
    static func latex(_ d: Derivation, session json: String) -> String {
        var lines = [
            "% \(EmbeddedSession.signature) \(BackpropVersion.string) (export latex): \(ascii(d.title)).",
            "% A fragment: \\input it into a document that loads amsmath (\\usepackage{amsmath}).",
            "% Every equation of the lecture's forward and backward pass, with its numbers.",
        ]
        lines += EmbeddedSession.lines(json, prefix: "% ", note: "the session for Backprop's load")
        lines.append("")
        lines.append("\\noindent\\textbf{\(ascii(d.title))}")
        lines.append("")
        lines.append(d.summary.map(ascii).joined(separator: "\n"))
        for section in d.sections {
            lines.append("")
            lines.append("\\medskip\\noindent\\textbf{\(section.title)}. \(ascii(section.text))")
            for equation in section.equations {
                lines.append("\\begin{align*}")
                lines.append(equation.lines.joined(separator: " \\\\\n"))
                lines.append("\\end{align*}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown with display math ($$ … $$, aligned), as GitHub, Jupyter, Pandoc and
    /// most note tools render it.
    static func markdown(_ d: Derivation, session json: String) -> String {
        var lines = [
            "<!-- \(EmbeddedSession.signature) \(BackpropVersion.string) (export markdown). -->",
            "",
            "# \(d.title)",
            "",
            d.summary.joined(separator: "\n"),
        ]
        for section in d.sections {
            lines += ["", "## \(section.title)", "", section.text]
            for equation in section.equations {
                lines += ["", "$$", "\\begin{aligned}", equation.lines.joined(separator: " \\\\\n"), "\\end{aligned}", "$$"]
            }
        }
        lines.append("")
        lines.append("<!--")
        lines += EmbeddedSession.lines(json, prefix: "", note: "the session for Backprop's load")
        lines.append("-->")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Plain text for pdflatex's default input: the few non-ASCII characters of the
    /// summaries spelled out.
    static func ascii(_ s: String) -> String {
        s.replacingOccurrences(of: "—", with: "---").replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: "’", with: "'")
    }
}
