import Foundation

/// An exercise of a lesson: a question the learner answers with a number before the
/// shell reveals it. In the Markdown it is a block quote starting `> **Exercise`,
/// followed by a comment that says what the answer is and how the shell computes it,
/// and optionally a `<details>` block with the worked solution:
///
///     > **Exercise 1.1.** Predict z₁⁽¹⁾ before you run the next command.
///
///     <!-- answer: 0.3775 ± 0.0005 from `explain z 1 1`
///     hint: multiply each weight by its input, add, then add the bias -->
///
///     <details><summary>Solution</summary>
///     …
///     </details>
///
/// `from `COMMAND`` names the line whose output holds the answer: by default its last
/// number, or `number K` (1-based; negative counts from the end). Several commands
/// (`from `theta 2 = [..]`, `show cost``) run in turn on a copy of the session and
/// the last one's output holds the answer. The tolerance is absolute (`± 0.0005`) or
/// relative (`± 1%`).
public struct Exercise: Sendable, Equatable {
    public enum Tolerance: Sendable, Equatable, CustomStringConvertible {
        case absolute(Double)
        case relative(Double)

        /// Whether `value` is within the tolerance of `target`.
        public func accepts(_ value: Double, target: Double) -> Bool {
            switch self {
            case .absolute(let t): return abs(value - target) <= t * (1 + 1e-12)
            case .relative(let t): return abs(value - target) <= t * abs(target) * (1 + 1e-12)
            }
        }

        public var description: String {
            switch self {
            case .absolute(let t): return "± " + NumberFormat(precision: 6).format(t)
            case .relative(let t): return "± " + NumberFormat(precision: 6).format(t * 100) + "%"
            }
        }
    }

    /// The question, as Markdown without the `> ` of the block quote.
    public var question: String
    /// The stated answer, as written.
    public var answerText: String
    public var answer: Double
    public var tolerance: Tolerance
    /// The shell line whose output holds the answer; several lines (one per line of
    /// this string) run in turn, on a copy of the session, and the last one's output
    /// holds it.
    public var command: String

    /// The lines of `command`.
    public var commands: [String] { command.split(separator: "\n").map(String.init) }
    /// Which number of that output: 1-based, negative from the end (−1 is the last).
    public var pick: Int
    public var hint: String?
    /// The worked solution, as Markdown.
    public var solution: String?
    /// The line of the question in its file (1-based).
    public var line: Int

    /// Parses the inside of an `<!-- answer: … -->` comment.
    static func parseAnswer(_ comment: String) -> (answerText: String, answer: Double, tolerance: Tolerance,
                                                   command: String, pick: Int, hint: String?)? {
        var body = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.lowercased().hasPrefix("answer:") else { return nil }
        body = String(body.dropFirst("answer:".count))
        var hint: String?
        if let range = body.range(of: "hint:") {
            hint = body[range.upperBound...].split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                .trimmingCharacters(in: .whitespaces)
            body = String(body[..<range.lowerBound])
        }
        // VALUE ± TOL from `COMMAND` [`COMMAND` …] [number K]
        guard let open = body.firstIndex(of: "`") else { return nil }
        var commands: [String] = []
        var rest = body[open...]
        while let start = rest.firstIndex(of: "`"),
              let end = rest[rest.index(after: start)...].firstIndex(of: "`") {
            guard rest[..<start].allSatisfy({ $0.isWhitespace || $0 == "," }) || commands.isEmpty else { break }
            commands.append(String(rest[rest.index(after: start)..<end]).trimmingCharacters(in: .whitespaces))
            rest = rest[rest.index(after: end)...]
        }
        let head = body[..<open].replacingOccurrences(of: "±", with: " ± ").replacingOccurrences(of: "+-", with: " ± ")
            .split(whereSeparator: \.isWhitespace).map(String.init)
        guard head.count == 4, head[1] == "±", head[3] == "from",
              let answer = Double(head[0].replacingOccurrences(of: "−", with: "-")) else { return nil }
        var tolText = head[2]
        let relative = tolText.hasSuffix("%")
        if relative { tolText.removeLast() }
        guard let tol = Double(tolText), tol >= 0 else { return nil }
        let tail = rest.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        var pick = -1
        if !tail.isEmpty {
            guard tail.count == 2, tail[0] == "number", let k = Int(tail[1]), k != 0 else { return nil }
            pick = k
        }
        let command = commands.joined(separator: "\n")
        guard !command.isEmpty else { return nil }
        return (head[0], answer, relative ? .relative(tol / 100) : .absolute(tol), command, pick, hint)
    }

    /// The plain decimal numbers in a command's output, in order (symbols with
    /// subscript or superscript digits are not numbers).
    public static func numbers(in text: String) -> [Double] {
        numberTexts(in: text).compactMap(Double.init)
    }

    /// The same numbers as written in the output (`record` keeps them as text). Colour
    /// codes are not part of the text: on a colour terminal the digits of ESC [ 1 m
    /// would count as numbers.
    static func numberTexts(in text: String) -> [String] {
        let text = LessonText.withoutColour(text)
        var result: [String] = []
        let chars = Array(text)
        var i = 0
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        while i < chars.count {
            let c = chars[i]
            let startsNumber = isDigit(c) || (c == "-" && i + 1 < chars.count && isDigit(chars[i + 1]))
            let previous: Character? = i > 0 ? chars[i - 1] : nil
            let glued = previous.map { $0.isLetter || isDigit($0) || $0 == "." || $0 == "_" || $0 == "^" } ?? false
            guard startsNumber && !glued else { i += 1; continue }
            var j = i + 1
            while j < chars.count, isDigit(chars[j]) || chars[j] == "." { j += 1 }
            if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                var k = j + 1
                if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
                if k < chars.count, isDigit(chars[k]) {
                    while k < chars.count, isDigit(chars[k]) { k += 1 }
                    j = k
                }
            }
            let text = String(chars[i..<j])
            if Double(text) != nil { result.append(text) }
            i = j
        }
        return result
    }

    /// The number this exercise asks for, from the output of its command.
    public func value(fromOutput text: String) -> Double? {
        let all = Exercise.numbers(in: text)
        let index = pick > 0 ? pick - 1 : all.count + pick
        return all.indices.contains(index) ? all[index] : nil
    }
}
