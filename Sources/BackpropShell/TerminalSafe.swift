/// Output made safe for a terminal. What the shell prints can quote what came from
/// outside — a CSV cell, a file name, a session file's "saved_by", a line in `history`
/// — and a control character there would act on the terminal (ESC [2J clears it, a
/// line feed splits a one-line error in two). Every control character is shown as
/// ⟨U+001B⟩ (<U+001B> in ASCII notation) instead, except tabs, line feeds (not in an error, which is one line),
/// and, when colour is on, the colour sequences (ESC [ … m) the renderer writes.
enum TerminalSafe {
    static func text(_ text: String, colour: Bool, oneLine: Bool = false, unicode: Bool = true) -> String {
        func shown(_ s: Unicode.Scalar) -> Bool { !isControl(s) || s == "\t" || (s == "\n" && !oneLine) }
        guard text.unicodeScalars.contains(where: { !shown($0) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if colour, s == "\u{1B}", let end = colourSequenceEnd(scalars, from: i) {
                out.append(contentsOf: scalars[i...end])
                i = end + 1
                continue
            }
            if !shown(s) {
                let code = "U+" + String(s.value, radix: 16, uppercase: true).leftPadded(4)
                out.append(contentsOf: (unicode ? "⟨\(code)⟩" : "<\(code)>").unicodeScalars)
            } else {
                out.append(s)
            }
            i += 1
        }
        return String(out)
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    /// The index of the "m" ending an SGR sequence ESC [ digits;… m that starts at `i`.
    private static func colourSequenceEnd(_ scalars: [Unicode.Scalar], from i: Int) -> Int? {
        guard i + 1 < scalars.count, scalars[i + 1] == "[" else { return nil }
        var j = i + 2
        while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == ";" { j += 1 }
        return j < scalars.count && scalars[j] == "m" ? j : nil
    }
}
