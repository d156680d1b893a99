/// A command's words after its name: positional words, `name=value` options and the
/// value after a bare `=` (as in `theta 1 = [..]` or `x = [..]`).
struct Arguments {
    let command: String
    var positional: [Token] = []
    var options: [String: Token] = [:]
    var assigned: Token?

    init(command: String, tokens: [Token], allowedOptions: [String]) throws(ShellError) {
        self.command = command
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            if token.kind == .word, next?.kind == .equals, token.text.first?.isLetter == true {
                let name = token.text.lowercased()
                guard i + 2 < tokens.count, tokens[i + 2].kind != .equals else {
                    throw ShellError("option '\(token.text)=' needs a value", near: token.text + "=")
                }
                guard allowedOptions.contains(name) else {
                    let known = allowedOptions.isEmpty
                        ? "\(command) takes no options"
                        : "\(command) takes " + allowedOptions.map { "\($0)=" }.joined(separator: ", ")
                    throw ShellError("unknown option '\(token.text)': \(known)", near: token.text)
                }
                guard options[name] == nil else {
                    throw ShellError("option '\(name)=' is given twice", near: token.text)
                }
                options[name] = tokens[i + 2]
                i += 3
            } else if token.kind == .equals {
                guard let value = next, value.kind != .equals else {
                    throw ShellError("'=' needs a value after it", near: "=")
                }
                guard assigned == nil else { throw ShellError("only one '=' is allowed", near: "=") }
                assigned = value
                i += 2
            } else {
                positional.append(token)
                i += 1
            }
        }
    }

    /// Fails unless the number of positional words is in `range`.
    func expectPositional(_ range: ClosedRange<Int>, usage: String) throws(ShellError) {
        if positional.count < range.lowerBound {
            throw ShellError("\(command) needs more: usage: \(usage)")
        }
        if positional.count > range.upperBound {
            throw ShellError("too many words for \(command): usage: \(usage)", near: positional[range.upperBound].raw)
        }
    }

    /// Fails when there is a bare `=` value the command does not take.
    func expectNoAssignment(usage: String) throws(ShellError) {
        if let assigned { throw ShellError("\(command) takes no '= value': usage: \(usage)", near: assigned.raw) }
    }

    func word(_ index: Int) -> String? { index < positional.count ? positional[index].text : nil }

    /// A numeric option, or `fallback` when absent.
    func number(_ name: String, default fallback: Double) throws(ShellError) -> Double {
        guard let token = options[name] else { return fallback }
        return try Values.number(token.text, what: "\(name)=")
    }

    /// A whole-number option in `range`, or `fallback` when absent.
    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ShellError) -> Int {
        guard let token = options[name] else { return fallback }
        return try Values.integer(token.text, what: "\(name)=", in: range)
    }

    /// "a, b or c".
    static func list(_ words: [String]) -> String {
        words.count <= 1 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// An option that takes one of `choices`, or nil when absent.
    func choice(_ name: String, _ choices: [String]) throws(ShellError) -> String? {
        guard let token = options[name] else { return nil }
        let value = token.text.lowercased()
        guard choices.contains(value) else {
            throw ShellError("\(name)= must be \(Arguments.list(choices)), not '\(token.text)'", near: token.text)
        }
        return value
    }
}
