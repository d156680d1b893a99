/// Present mode's slides: one equation of the forward and backward pass per slide,
/// with its numbers, and the network drawn with the values known at that point. Built
/// from the session alone (no terminal), so that tests and scripts see exactly what
/// the projector shows; the front end only reads keys and draws `screen`.
public struct Presentation: Sendable, Equatable {
    public struct Slide: Sendable, Equatable {
        /// The top line: what this step is.
        public var title: String
        /// The equation: symbols, numbers, result (the large middle of the screen).
        public var equation: [String]
        /// The network with its values flowing through it.
        public var diagram: [String]
        /// What comes next.
        public var next: String
    }

    public let slides: [Slide]
    /// The network's shape, for the corner of every screen ("2-2-2").
    public let shape: String
    let unicode: Bool

    /// The key help on the last line of every screen (shorter on narrow terminals).
    public func keys(width: Int) -> String {
        if width < 72 { return unicode ? "space/→ next  ← back  q quit" : "space next  left back  q quit" }
        return unicode ? "space/→ next   ←/backspace back   home/end   q back to the shell"
            : "space/right next   left/backspace back   home/end   q back to the shell"
    }

    /// Slide `index` laid out on a terminal of `width` × `height`: the title line, the
    /// equation centred in the upper part, the diagram centred below it, the next step
    /// and the keys at the bottom. Exactly `height` lines, none wider than `width`.
    public func screen(_ index: Int, width: Int, height: Int) -> [String] {
        let slide = slides[min(max(index, 0), slides.count - 1)]
        let width = max(width, 20), height = max(height, 6)
        var lines: [String] = []
        let position = "\(index + 1)/\(slides.count)  \(shape)"
        let title = fit(slide.title, width - position.count - 2)
        lines.append(title + String(repeating: " ", count: max(1, width - title.visibleWidth - position.count)) + position)
        lines.append(String(repeating: unicode ? "━" : "=", count: width))
        // The body: equation, a gap, the diagram; dropped from the bottom when too tall.
        let bottom = [slide.next.isEmpty ? "" : fit(slide.next, width), fit(keys(width: width), width)]
        let room = height - lines.count - bottom.count
        var body = centred(slide.equation, width)
        let diagram = centred(slide.diagram, width)
        if !diagram.isEmpty && body.count + 2 + diagram.count <= room {
            body += ["", ""] + diagram
        } else if !diagram.isEmpty && body.count + 1 + diagram.count <= room {
            body += [""] + diagram
        }
        if body.count > room {
            body = Array(body.prefix(max(room - 1, 0))) + [centred([unicode ? "⋮" : ":"], width)[0]]
        }
        let top = max(0, (room - body.count) / 3)
        lines += Array(repeating: "", count: top) + body
        lines += Array(repeating: "", count: max(0, height - bottom.count - lines.count))
        lines += bottom
        return lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Lines centred as one block (their left edges stay aligned), cut to `width`.
    func centred(_ block: [String], _ width: Int) -> [String] {
        let blockWidth = block.map(\.visibleWidth).max() ?? 0
        let left = max(0, (width - blockWidth) / 2)
        return block.map { String(repeating: " ", count: left) + fit($0, width - left) }
    }

    /// A line cut to `width` visible columns (with an ellipsis), colour escapes kept whole.
    func fit(_ line: String, _ width: Int) -> String {
        guard line.visibleWidth > width, width > 1 else { return line }
        var out = ""
        var visible = 0
        var inEscape = false
        for c in line {
            if inEscape {
                out.append(c)
                if c == "m" { inEscape = false }
            } else if c == "\u{1B}" {
                out.append(c)
                inEscape = true
            } else {
                if visible == width - 1 { break }
                out.append(c)
                visible += 1
            }
        }
        return out + (unicode ? "…" : ">") + (line.contains("\u{1B}") ? "\u{1B}[0m" : "")
    }

    /// Every slide as plain text, one after another (what `present` prints in a script).
    public func text(width: Int) -> String {
        slides.indices.map { index -> String in
            let slide = slides[index]
            var lines = ["\(unicode ? "──" : "--") \(index + 1)/\(slides.count): \(slide.title)", ""]
            lines += slide.equation
            if !slide.diagram.isEmpty { lines += [""] + slide.diagram }
            if !slide.next.isEmpty { lines += ["", slide.next] }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
