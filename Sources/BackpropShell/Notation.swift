/// The lecture's symbols, in Unicode (z₁⁽²⁾, Θ⁽¹⁾, δ, ∂J/∂θ) or ASCII (z^(2)_1, Theta^(1),
/// delta, dJ/dtheta). Every symbol the shell prints is built here.
public struct Notation: Sendable {
    public let unicode: Bool

    public init(unicode: Bool) { self.unicode = unicode }

    private static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷",
        "8": "⁸", "9": "⁹", "L": "ᴸ", "l": "ˡ", "+": "⁺", "-": "⁻", "k": "ᵏ", "(": "⁽", ")": "⁾",
    ]
    private static let subscripts: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇",
        "8": "₈", "9": "₉", "i": "ᵢ", "j": "ⱼ", "k": "ₖ", "+": "₊", "-": "₋", ",": "‚",
    ]

    /// "⁽ˡ⁾" / "^(l)" for a layer number or a letter.
    public func layer(_ l: String) -> String {
        unicode ? String("(\(l))".map { Notation.superscripts[$0] ?? $0 }) : "^(\(l))"
    }

    public func layer(_ l: Int) -> String { layer(String(l)) }

    /// "₁₂" / "_12" (ASCII puts a comma between two indices: "_1,2").
    public func units(_ indices: [Int]) -> String { units(indices.map(String.init)) }

    /// Subscript indices that may be letters: units(["j", "1"]) = ⱼ₁.
    public func units(_ indices: [String]) -> String {
        if unicode {
            return String(indices.joined().map { Notation.subscripts[$0] ?? $0 })
        }
        return "_" + indices.joined(separator: ",")
    }

    /// A symbol with letter indices: sym("θ", 2, ["j", "1"]) = θⱼ₁⁽²⁾.
    public func sym(_ name: String, _ l: Int?, letters indices: [String]) -> String {
        let base = symbolName(name)
        let lay = l.map { layer($0) } ?? ""
        return unicode ? base + units(indices) + lay : base + lay + units(indices)
    }

    /// A symbol with layer and unit indices: sym("z", 2, [1]) = z₁⁽²⁾ or z^(2)_1.
    public func sym(_ name: String, _ l: Int?, _ indices: [Int] = []) -> String {
        let base = symbolName(name)
        let lay = l.map { layer($0) } ?? ""
        let sub = indices.isEmpty ? "" : units(indices)
        return unicode ? base + sub + lay : base + lay + sub
    }

    /// The written name of a letter: θ/theta, Θ/Theta, δ/delta, λ, α, …
    public func symbolName(_ name: String) -> String {
        if unicode { return name }
        switch name {
        case "θ": return "theta"
        case "Θ": return "Theta"
        case "δ": return "delta"
        case "λ": return "lambda"
        case "α": return "alpha"
        case "ε": return "eps"
        default: return name
        }
    }

    public var times: String { unicode ? "·" : "*" }
    public var minus: String { unicode ? "−" : "-" }
    public var hadamard: String { unicode ? "⊙" : ".*" }
    public var transpose: String { unicode ? "ᵀ" : "^T" }
    public var partial: String { unicode ? "∂" : "d" }
    public var half: String { unicode ? "½" : "1/2" }
    public var sum: String { unicode ? "Σ" : "sum" }
    public var arrow: String { unicode ? "←" : "<-" }
    public var to: String { unicode ? "→" : "->" }
    public var gPrime: String { unicode ? "g′" : "g'" }
    public var norm: (String, String) { unicode ? ("‖", "‖²") : ("||", "||^2") }
    public var approx: String { unicode ? "≈" : "~" }
    public var ellipsis: String { unicode ? "…" : "..." }

    /// ∂J/∂X.
    public func derivative(_ x: String) -> String { "\(partial)J/\(partial)\(x)" }
    /// ∂a/∂b.
    public func derivative(_ a: String, _ b: String) -> String { "\(partial)\(a)/\(partial)\(b)" }
}
