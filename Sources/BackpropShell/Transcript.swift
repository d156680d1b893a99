/// A transcript in the lesson format: lines starting with `backprop> ` are commands; the
/// lines after one, up to the next command, are its expected output. In expected
/// output `...` on a line of its own matches any lines and `[..]` any text within a line.
public struct Transcript: Sendable, Equatable {
    public static let promptPrefix = "backprop> "

    public struct Entry: Sendable, Equatable {
        public var command: String
        public var expected: [String]
        /// The line number of the command in its file (1-based).
        public var line: Int
    }

    public var entries: [Entry]
    /// Lines before the first command (a comment saying where the numbers come from).
    public var preamble: [String] = []

    /// Parses transcript text; lines before the first command are ignored.
    public init(parsing text: String, firstLine: Int = 1) {
        entries = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            if line.hasPrefix(Transcript.promptPrefix) {
                entries.append(Entry(command: String(line.dropFirst(Transcript.promptPrefix.count)),
                                     expected: [], line: firstLine + offset))
            } else if !entries.isEmpty {
                entries[entries.count - 1].expected.append(line)
            } else {
                preamble.append(line)
            }
        }
        // Trailing blank lines of the last entry are not output.
        if var last = entries.popLast() {
            while last.expected.last?.isEmpty == true { last.expected.removeLast() }
            entries.append(last)
        }
    }

    /// A mismatch between expected and actual output.
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let command: String
        public let expected: [String]
        public let actual: [String]
        public var description: String {
            "line \(line): `\(command)`\n--- expected\n\(expected.joined(separator: "\n"))\n--- actual\n\(actual.joined(separator: "\n"))"
        }
    }

    /// Runs every command on `session`; returns the mismatches and the text with every
    /// expected output replaced by the actual one (for blessing).
    public func run(on session: Session) -> (mismatches: [Mismatch], actual: [[String]]) {
        var mismatches: [Mismatch] = []
        var actual: [[String]] = []
        for entry in entries {
            let output = session.execute(entry.command)
            let lines = output.text.isEmpty ? [] : output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            actual.append(lines)
            if !Transcript.matches(expected: entry.expected, actual: lines) {
                mismatches.append(Mismatch(line: entry.line, command: entry.command, expected: entry.expected, actual: lines))
            }
        }
        return (mismatches, actual)
    }

    /// Whether `actual` matches `expected` with its `...` and `[..]` wildcards.
    public static func matches(expected: [String], actual: [String]) -> Bool {
        let expected = expected.reversed().drop(while: \.isEmpty).reversed().map { $0 }
        func match(_ e: Int, _ a: Int) -> Bool {
            if e == expected.count { return a == actual.count }
            if expected[e] == "..." {
                for next in a...actual.count where match(e + 1, next) { return true }
                return false
            }
            guard a < actual.count, lineMatches(expected[e], actual[a]) else { return false }
            return match(e + 1, a + 1)
        }
        return match(0, 0)
    }

    /// One line against a pattern where `[..]` matches any text.
    public static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        let pieces = pattern.components(separatedBy: "[..]")
        if pieces.count == 1 { return pattern == line }
        guard line.hasPrefix(pieces[0]) else { return false }
        var rest = line.dropFirst(pieces[0].count)
        for (index, piece) in pieces.enumerated().dropFirst() {
            if index == pieces.count - 1 {
                return rest.hasSuffix(piece)
            }
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    /// The transcript again with every expected output that no longer matches replaced
    /// by `actual` (for the bless switch); outputs that still match, wildcards and all,
    /// stay as written.
    public func rendered(actual: [[String]]) -> String {
        (preamble + zip(entries, actual).flatMap { entry, lines in
            let kept = Transcript.matches(expected: entry.expected, actual: lines) ? entry.expected : lines
            return [Transcript.promptPrefix + entry.command] + kept
        }).joined(separator: "\n")
    }
}

import Foundation
