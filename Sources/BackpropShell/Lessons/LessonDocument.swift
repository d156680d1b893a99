import Foundation

/// One lesson file, `Lessons/NN-topic.md`: Markdown whose ```backprop blocks are shell
/// transcripts (DESIGN.md, "Lessons") and whose exercises are block quotes with an
/// answer comment (see `Exercise`). Parsed once into the items a learner meets in
/// order: paragraphs of prose, commands and exercises.
public struct LessonDocument: Sendable {
    public enum Item: Sendable, Equatable {
        /// A paragraph or a heading with its first paragraph, as Markdown.
        case prose(String)
        /// One command of a ```backprop block, with its expected output.
        case command(Transcript.Entry)
        /// An index into `exercises`.
        case exercise(Int)
    }

    /// A ```backprop block: the lines between its fences.
    public struct Block: Sendable, Equatable {
        /// The first and last line inside the fences (1-based; last < first when empty).
        public var firstLine: Int
        public var lastLine: Int
        public var transcript: Transcript
    }

    /// The file name without `.md`, e.g. "01-one-neuron".
    public let name: String
    /// The NN of the file name.
    public let number: Int
    /// The text of the first `# ` heading.
    public let title: String
    public let text: String
    public private(set) var items: [Item] = []
    public private(set) var blocks: [Block] = []
    public private(set) var exercises: [Exercise] = []
    /// What is malformed (an exercise without its answer, a lesson command in a block…).
    public private(set) var problems: [String] = []

    public init(name: String, text: String) {
        self.name = name
        self.number = Int(name.prefix(while: \.isNumber)) ?? 0
        self.text = text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        self.title = lines.first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            ?? name
        parse(lines)
    }

    public static func load(_ url: URL) throws -> LessonDocument {
        let text = try String(contentsOf: url, encoding: .utf8)
        return LessonDocument(name: url.deletingPathExtension().lastPathComponent, text: text)
    }

    /// The commands of every block, in order.
    public var commands: [Transcript.Entry] {
        items.compactMap { if case .command(let entry) = $0 { return entry } else { return nil } }
    }

    // MARK: parsing

    private static func isFence(_ line: String) -> Bool {
        line.drop(while: { $0 == " " }).hasPrefix("```")
    }

    private mutating func parse(_ lines: [String]) {
        var chunk: [String] = []
        var chunkLine = 0
        /// An exercise question waiting for its answer comment.
        var question: (text: String, line: Int)?
        var lastExerciseTakesSolution = false

        func flush() {
            defer { chunk = [] }
            guard !chunk.isEmpty else { return }
            if chunk[0].hasPrefix("> **Exercise") {
                if let question {
                    problems.append("line \(question.line): the exercise has no <!-- answer: … --> comment")
                }
                let text = chunk.map { line in
                    line == ">" ? "" : line.hasPrefix("> ") ? String(line.dropFirst(2)) : line
                }.joined(separator: "\n")
                question = (text, chunkLine)
                lastExerciseTakesSolution = false
                return
            }
            lastExerciseTakesSolution = false
            items.append(.prose(chunk.joined(separator: "\n")))
        }

        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if LessonDocument.isFence(line) {
                let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                var close = i + 1
                while close < lines.count && !(LessonDocument.isFence(lines[close])
                                                && lines[close].trimmingCharacters(in: .whitespaces) == "```") {
                    close += 1
                }
                if close == lines.count { problems.append("line \(i + 1): a code block is never closed") }
                if info == "backprop" {
                    flush()
                    lastExerciseTakesSolution = false
                    let inner = Array(lines[(i + 1)..<min(close, lines.count)])
                    let transcript = Transcript(parsing: inner.joined(separator: "\n"), firstLine: i + 2)
                    if transcript.entries.isEmpty { problems.append("line \(i + 1): a backprop block without commands") }
                    for entry in transcript.entries {
                        let word = entry.command.split(separator: " ").first.map { $0.lowercased() } ?? ""
                        if ["lesson", "next", "answer", "quit"].contains(word) {
                            problems.append("line \(entry.line): `\(word)` cannot run inside a lesson's block")
                        }
                        items.append(.command(entry))
                    }
                    blocks.append(Block(firstLine: i + 2, lastLine: close, transcript: transcript))
                } else {
                    if chunk.isEmpty { chunkLine = i + 1 }
                    chunk += lines[i..<min(close + 1, lines.count)]
                }
                i = close + 1
                continue
            }
            if trimmed.hasPrefix("<!--") {
                flush()
                var end = i
                while end < lines.count && !lines[end].contains("-->") { end += 1 }
                var body = lines[i...min(end, lines.count - 1)].joined(separator: "\n")
                body = body.replacingOccurrences(of: "<!--", with: "").replacingOccurrences(of: "-->", with: "")
                if body.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasPrefix("answer:") {
                    if let q = question, let a = Exercise.parseAnswer(body) {
                        exercises.append(Exercise(question: q.text, answerText: a.answerText, answer: a.answer,
                                                  tolerance: a.tolerance, command: a.command, pick: a.pick,
                                                  hint: a.hint, solution: nil, line: q.line))
                        items.append(.exercise(exercises.count - 1))
                        question = nil
                        lastExerciseTakesSolution = true
                    } else if question == nil {
                        problems.append("line \(i + 1): an answer comment without a > **Exercise question before it")
                    } else {
                        problems.append("line \(i + 1): cannot read the answer comment: <!-- answer: VALUE ± TOL from `COMMAND` [number K] -->")
                    }
                }
                i = end + 1
                continue
            }
            if trimmed.hasPrefix("<details") {
                flush()
                var end = i
                while end < lines.count && !lines[end].contains("</details>") { end += 1 }
                let inner = lines[i...min(end, lines.count - 1)].map { line in
                    line.replacingOccurrences(of: #"<summary>.*</summary>"#, with: "", options: .regularExpression)
                        .replacingOccurrences(of: "<details>", with: "").replacingOccurrences(of: "</details>", with: "")
                }
                let solution = inner.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if lastExerciseTakesSolution, !exercises.isEmpty {
                    exercises[exercises.count - 1].solution = solution
                } else {
                    items.append(.prose(solution))
                }
                lastExerciseTakesSolution = false
                i = end + 1
                continue
            }
            if trimmed.isEmpty {
                // A heading stays with the paragraph after it.
                if !chunk.allSatisfy({ $0.hasPrefix("#") }) { flush() }
            } else {
                // An exercise starts its own chunk, even right after a heading.
                if line.hasPrefix("> **Exercise") { flush() }
                if chunk.isEmpty { chunkLine = i + 1 }
                chunk.append(line)
            }
            i += 1
        }
        flush()
        if let question {
            problems.append("line \(question.line): the exercise has no <!-- answer: … --> comment")
        }
        mergeDisplayedCode()
    }

    /// A plain code block (an equation) joins the paragraph that introduces it.
    private mutating func mergeDisplayedCode() {
        var merged: [Item] = []
        for item in items {
            if case .prose(let text) = item, LessonDocument.isFence(text),
               case .prose(let previous)? = merged.last {
                merged[merged.count - 1] = .prose(previous + "\n\n" + text)
            } else {
                merged.append(item)
            }
        }
        items = merged
    }
}
