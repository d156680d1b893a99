/// Unicode notation spelled in ASCII, for help texts written once in Unicode.
enum Transliterate {
    static let table: [(String, String)] = [
        ("⁽ᴸ⁾", "^(L)"), ("⁽ˡ⁾", "^(l)"), ("⁽ˡ⁻¹⁾", "^(l-1)"), ("⁽ˡ⁺¹⁾", "^(l+1)"), ("⁽ᴸ⁻¹⁾", "^(L-1)"),
        ("⁽¹⁾", "^(1)"), ("⁽²⁾", "^(2)"), ("ᵢⱼ", "_ij"), ("ᵢ", "_i"), ("ⱼ", "_j"), ("₀", "0"), ("₁", "1"), ("₂", "2"),
        ("Θ", "Theta"), ("θ", "theta"), ("δ", "delta"), ("λ", "lambda"), ("α", "alpha"), ("ε", "eps"),
        ("∂", "d"), ("⊙", ".*"), ("ᵀ", "^T"), ("½", "1/2"), ("‖", "||"), ("²", "^2"), ("Σ", "sum"),
        ("←", "<-"), ("→", "->"), ("−", "-"), ("·", "*"), ("…", "..."), ("√", "sqrt"), ("′", "'"),
        ("—", "-"), ("≈", "~"), ("±", "+-"), ("∈", "in"), ("×", "x"), ("○", "o"),
    ]

    static func ascii(_ s: String) -> String {
        var out = s
        for (from, to) in table { out = out.replacingOccurrences(of: from, with: to) }
        return out
    }
}

import Foundation
