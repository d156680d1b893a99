/// One token of a command line.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A word or number: anything up to white space, `=`, `[` or a quote.
        case word
        /// `=`.
        case equals
        /// A bracketed literal `[ … ]`, text without the brackets.
        case matrix
        /// A quoted string, text without the quotes.
        case quoted
    }

    let kind: Kind
    let text: String
    /// The token as typed, for error messages.
    let raw: String
}

/// Splits a line into tokens: words, `=`, `[ … ]` literals and "quoted strings".
/// `#` starts a comment outside brackets and quotes.
enum Lexer {
    static let maximumLineLength = 100_000

    static func tokens(_ line: String) throws(ShellError) -> [Token] {
        guard line.utf8.count <= maximumLineLength else {
            throw ShellError("the line is \(line.utf8.count) bytes long; the limit is \(maximumLineLength)")
        }
        if let bad = line.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || (0x7F...0x9F).contains($0.value) }) {
            throw ShellError("the line contains a control character (U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(4)))")
        }
        var tokens: [Token] = []
        var chars = Array(line)
        // The Unicode minus reads as "-".
        chars = chars.map { $0 == "−" ? "-" : $0 }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" {
                i += 1
            } else if c == "#" {
                break
            } else if c == "=" {
                tokens.append(Token(kind: .equals, text: "=", raw: "="))
                i += 1
            } else if c == "[" {
                guard let close = chars[(i + 1)...].firstIndex(of: "]") else {
                    throw ShellError("'[' is never closed: a matrix ends with ']'", near: String(chars[i...]))
                }
                let inner = String(chars[(i + 1)..<close])
                if let nested = inner.firstIndex(of: "[") {
                    throw ShellError("a matrix cannot contain '[': rows are separated by ';'",
                                     near: String(inner[nested...]))
                }
                tokens.append(Token(kind: .matrix, text: inner, raw: "[" + inner + "]"))
                i = close + 1
            } else if c == "]" {
                throw ShellError("']' without a matching '['", near: "]")
            } else if c == "\"" || c == "'" {
                guard let close = chars[(i + 1)...].firstIndex(of: c) else {
                    throw ShellError("the quoted text is never closed", near: String(chars[i...]))
                }
                let inner = String(chars[(i + 1)..<close])
                tokens.append(Token(kind: .quoted, text: inner, raw: String(chars[i...close])))
                i = close + 1
            } else {
                var j = i
                while j < chars.count, !" \t=[]\"'#".contains(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                tokens.append(Token(kind: .word, text: word, raw: word))
                i = j
            }
        }
        return tokens
    }
}

extension String {
    func leftPadded(_ width: Int, with c: Character = "0") -> String {
        count >= width ? self : String(repeating: c, count: width - count) + self
    }
}
