/// Messages of save, load, plot and IDX loading in ASCII notation: the lecture's
/// Unicode indices spelled out (n₁₂ → n_12, Θ⁽²⁾ → Theta^(2)), then the shell's usual
/// transliteration (× → x, … → ...).
enum PlainText {
    private static let superscripts: [Character: Character] = [
        "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
        "⁽": "(", "⁾": ")", "ᴸ": "L", "ˡ": "l", "⁺": "+", "⁻": "-",
    ]
    private static let subscripts: [Character: Character] = [
        "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    ]

    static func ascii(_ text: String) -> String {
        var out = ""
        var inSuper = false, inSub = false
        for c in text {
            if let s = superscripts[c] {
                if !inSuper { out += "^" }
                out.append(s)
                inSuper = true
                inSub = false
            } else if let s = subscripts[c] {
                if !inSub { out += "_" }
                out.append(s)
                inSub = true
                inSuper = false
            } else {
                out.append(c)
                inSuper = false
                inSub = false
            }
        }
        out = out.replacingOccurrences(of: "÷", with: "/").replacingOccurrences(of: "–", with: "-")
        return Transliterate.ascii(out)
    }

    /// Runs `body`, spelling its error in ASCII when the notation is ASCII.
    static func errors<T>(_ r: Renderer, _ body: () throws(ShellError) -> T) throws(ShellError) -> T {
        do throws(ShellError) { return try body() } catch {
            guard !r.n.unicode else { throw error }
            throw ShellError(ascii(error.message), near: error.near)
        }
    }
}
