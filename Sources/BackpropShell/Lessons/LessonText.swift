import Foundation

/// A lesson's Markdown as terminal text: headings in the heading style, `**strong**`
/// without its stars, links as their text, code blocks indented, block quotes
/// with a bar; in ASCII notation the symbols spelled out.
enum LessonText {
    static func render(_ markdown: String, _ r: Renderer) -> [String] {
        var lines: [String] = []
        var inCode = false
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.drop(while: { $0 == " " }).hasPrefix("```") {
                inCode.toggle()
                continue
            }
            if inCode {
                lines.append("    " + notation(raw, r))
                continue
            }
            var line = raw
            if line.hasPrefix("#") {
                // A heading, underlined so that it stands out without colour too.
                let title = inline(line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces), r)
                lines.append(r.heading(title))
                lines.append(r.dim(String(repeating: r.n.unicode ? "─" : "-", count: visibleWidth(title))))
                continue
            }
            var prefix = ""
            if line == ">" || line.hasPrefix("> ") {
                prefix = r.n.unicode ? "│ " : "| "
                line = String(line.dropFirst(min(2, line.count)))
            }
            lines.append(prefix + inline(line, r))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The width of a line without its colour codes.
    static func visibleWidth(_ s: String) -> Int {
        withoutColour(s).count
    }

    /// The text without its colour codes (ESC [ … m).
    /// `text` after `prefix`, broken at spaces into lines of at most `width` visible
    /// characters (colour codes not counted), the later lines indented under the first's
    /// text: a long hint stays readable on an 80-column terminal or a projector.
    static func wrapped(_ text: String, prefix: String, width: Int = 80) -> String {
        let indent = String(repeating: " ", count: withoutColour(prefix).count)
        var lines: [String] = []
        var line = prefix
        var visible = indent.count
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let length = withoutColour(String(word)).count
            if lineHasWord && visible + 1 + length > width {
                lines.append(line)
                line = indent + word
                visible = indent.count + length
            } else {
                line += (lineHasWord ? " " : "") + word
                visible += (lineHasWord ? 1 : 0) + length
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    static func withoutColour(_ s: String) -> String {
        s.contains("\u{1B}") ? s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) : s
    }

    /// One line of inline Markdown.
    static func inline(_ text: String, _ r: Renderer) -> String {
        var s = text
        // [text](url) → text
        s = s.replacingOccurrences(of: #"\[([^\]]+)\]\([^)]*\)"#, with: "$1", options: .regularExpression)
        // **strong** → strong (bold on a colour terminal)
        while let open = s.range(of: "**"), let close = s.range(of: "**", range: open.upperBound..<s.endIndex) {
            let inner = String(s[open.upperBound..<close.lowerBound])
            s.replaceSubrange(open.lowerBound..<close.upperBound, with: r.heading(inner))
        }
        s = s.replacingOccurrences(of: "<br>", with: "")
        return notation(s, r)
    }

    /// Unicode symbols spelled in ASCII when the notation is ASCII, in the shell's ASCII
    /// style: θ₁₂⁽²⁾ → theta^(2)_1,2, Σⱼ → sum_j, (…)⁻¹ → (…)^-1.
    static func notation(_ s: String, _ r: Renderer) -> String {
        guard !r.n.unicode else { return s }
        var out = Transliterate.ascii(indices(s))
        for (from, to) in extra { out = out.replacingOccurrences(of: from, with: to) }
        return out
    }

    static let superscripts: [Character: Character] = [
        "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
        "ᴸ": "L", "ˡ": "l", "⁺": "+", "⁻": "-", "ᵏ": "k",
    ]
    static let subscripts: [Character: Character] = [
        "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
        "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l",
    ]
    static let extra: [(String, String)] = [
        ("¼", "1/4"), ("Δ", "Delta "), ("–", "-"), ("∞", "inf"), ("≥", ">="), ("≤", "<="),
        ("░", "."), ("▒", ":"), ("▓", "x"), ("█", "#"),
    ]

    /// Sub- and superscripts in ASCII: a layer ⁽…⁾ becomes ^(…) and comes before the
    /// unit indices, which become _i,j.
    static func indices(_ s: String) -> String {
        let chars = Array(s)
        var out = ""
        var i = 0
        /// A ⁽…⁾ group at `start`: its ASCII form and the index after it.
        func layer(at start: Int) -> (String, Int)? {
            guard start < chars.count, chars[start] == "⁽" else { return nil }
            var j = start + 1
            var inner = ""
            while j < chars.count, let c = superscripts[chars[j]] { inner.append(c); j += 1 }
            guard j < chars.count, chars[j] == "⁾", !inner.isEmpty else { return nil }
            return ("^(" + inner + ")", j + 1)
        }
        while i < chars.count {
            if subscripts[chars[i]] != nil {
                var units: [String] = []
                while i < chars.count, let c = subscripts[chars[i]] { units.append(String(c)); i += 1 }
                if let (text, next) = layer(at: i) { out += text; i = next }
                out += "_" + units.joined(separator: ",")
            } else if let (text, next) = layer(at: i) {
                out += text
                i = next
            } else if superscripts[chars[i]] != nil {
                var power = ""
                while i < chars.count, let c = superscripts[chars[i]] { power.append(c); i += 1 }
                out += "^" + power
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}
