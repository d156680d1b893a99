import Backprop
import Foundation

/// `record FILE` … `record stop`: every line typed and what it printed, written in the
/// lesson format of DESIGN.md (Lessons/README.md), so that a teacher writes a lesson by
/// doing it once. The file starts with the commands that rebuild the session as it was
/// when the recording began, so it runs from a fresh session as the lesson checker
/// runs it. While recording:
///
/// - `# text` lines become the lesson's paragraphs (consecutive ones join; `#` alone
///   ends a paragraph);
/// - `#? question` makes the next command an exercise: the question, its answer (the
///   last number the command prints) and the output as the worked solution;
/// - colour is dropped from the outputs, and training times become `[..]`;
/// - lines a lesson cannot hold are left out and listed at `record stop`: `lesson`,
///   `next`, `answer`, `quit`, `history`, `present`, `set color`.
///
/// The file is written again after every line, so a recording survives a crash.
struct LessonRecorder {
    /// What the recording holds, in order.
    enum Item {
        case prose(String)
        case command(line: String, output: [String], question: String?)
    }

    let path: String
    let title: String
    /// The session whose lines are recorded (set by the first line it executes): lines
    /// run by scratch sessions (exercise checks, lessons' replays) are not.
    var owner: ObjectIdentifier?
    /// The commands that rebuild the starting point, with their outputs.
    var setup: [(line: String, output: [String])]
    var items: [Item] = []
    var pendingQuestion: String?
    var skipped: [String] = []
    /// The last write's failure, if any.
    var writeError: String?

    static let signature = "Recorded by Backprop"
    static let notRecorded: Set<String> = ["record", "lesson", "next", "answer", "quit", "history", "present"]

    init(path: String, title: String, setup: [(line: String, output: [String])]) {
        self.path = path
        self.title = title
        self.setup = setup
    }

    var commandCount: Int { items.filter { if case .command = $0 { return true } else { return false } }.count }
    var exerciseCount: Int { exercises().count }

    // MARK: recording

    /// Called by `Session.execute` after every line.
    mutating func record(_ line: String, _ output: Output, session: ObjectIdentifier) {
        if owner == nil { owner = session }
        guard owner == session else { return }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        if trimmed.hasPrefix("#?") {
            let question = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            pendingQuestion = question.isEmpty ? nil : question
            write()
            return
        }
        if trimmed.hasPrefix("#") {
            let text = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
            if case .prose(let previous)? = items.last, !previous.hasSuffix("\n\n") {
                items[items.count - 1] = .prose(text.isEmpty ? previous + "\n\n" : previous + "\n" + text)
            } else if !text.isEmpty {
                items.append(.prose(text))
            }
            write()
            return
        }
        let words = trimmed.split(separator: " ").map { $0.lowercased() }
        if Self.notRecorded.contains(words[0]) || (words[0] == "set" && words.count > 1 && words[1].hasPrefix("color")) {
            if words[0] != "record" { skipped.append(trimmed) }
            return
        }
        items.append(.command(line: trimmed, output: Self.clean(output.text), question: pendingQuestion))
        pendingQuestion = nil
        write()
    }

    /// An output as a lesson expects it: no colour, no trailing spaces, times as [..].
    static func clean(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        let plain = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        return plain.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = String(line)
            while line.last == " " { line.removeLast() }
            // "trained 2-2-1 on xor: 2000 epochs, 8000 samples in 0.1 s (80000 samples/s)"
            if line.hasPrefix("trained "), let range = line.range(of: " samples in ") {
                line = String(line[..<range.upperBound]) + "[..]"
            }
            return line
        }
    }

    // MARK: the lesson file

    struct ExerciseText {
        var question: String
        var answer: String
        var command: String
        var output: [String]
        /// `number K` of the answer comment, when the answer is not the output's last number.
        var pick: Int?
    }

    /// The exercises the recording makes, by item index.
    func exercises() -> [Int: ExerciseText] {
        var result: [Int: ExerciseText] = [:]
        for (index, item) in items.enumerated() {
            guard case .command(let line, let output, let question?) = item, !line.contains("`"),
                  let (answer, pick) = Self.answer(in: output) else { continue }
            result[index] = ExerciseText(question: question, answer: answer, command: line, output: output, pick: pick)
        }
        return result
    }

    /// The number an exercise asks for: the last number of the last result line (one
    /// that starts with "="), as `explain` ends, else the output's last number; with
    /// its position when it is not the last.
    static func answer(in output: [String]) -> (String, Int?)? {
        let perLine = output.map { numberTexts(in: $0) }
        let all = perLine.flatMap { $0 }
        guard let last = all.last else { return nil }
        guard let row = output.indices.last(where: { output[$0].trimmingCharacters(in: .whitespaces).hasPrefix("= ") && !perLine[$0].isEmpty })
        else { return (last, nil) }
        let position = perLine[..<row].map(\.count).reduce(0, +) + perLine[row].count
        return (perLine[row].last!, position == all.count ? nil : position)
    }

    /// The plain numbers of an output as written (the rule of `Exercise.numbers`).
    static func numberTexts(in text: String) -> [String] {
        Exercise.numberTexts(in: text)
    }

    /// The lesson file.
    func markdown() -> String {
        var lines = ["# \(title)", ""]
        lines.append("<!-- \(Self.signature) \(BackpropVersion.string) (record \((path as NSString).lastPathComponent) … record stop).")
        lines.append("Every ```backprop block is a shell session: a line starting with `backprop> ` is a")
        lines.append("command and the lines after it are what it printed. Lessons/README.md tells how")
        lines.append("to run and check it. -->")
        lines.append("")
        lines.append("The session starts here:")
        lines.append("")
        lines += block(setup.map { ($0.line, $0.output) })
        let exercises = self.exercises()
        var open: [(String, [String])] = []
        var number = 0
        func flush() {
            guard !open.isEmpty else { return }
            lines.append("")
            lines += block(open)
            open = []
        }
        for (index, item) in items.enumerated() {
            switch item {
            case .prose(let text):
                flush()
                lines.append("")
                lines += text.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case .command(let line, let output, let question):
                if let exercise = exercises[index] {
                    flush()
                    number += 1
                    let value = Double(exercise.answer) ?? 0
                    let tolerance = value == 0 ? "0.0001" : "1%"
                    lines += ["", "> **Exercise \(number).** \(exercise.question)", ""]
                    lines.append("<!-- answer: \(exercise.answer) ± \(tolerance) from `\(exercise.command)`"
                                 + (exercise.pick.map { " number \($0)" } ?? "") + " -->")
                    lines += ["", "<details><summary>Solution</summary>", "", "`\(exercise.command)` gives \(exercise.answer):", "", "```"]
                    lines += exercise.output
                    lines += ["```", "", "</details>"]
                } else if let question {
                    // No number to ask for: the question stays as a paragraph.
                    flush()
                    lines += ["", question]
                }
                open.append((line, output))
            }
        }
        flush()
        return lines.joined(separator: "\n") + "\n"
    }

    private func block(_ commands: [(String, [String])]) -> [String] {
        var lines = ["```backprop"]
        for (line, output) in commands {
            lines.append(Transcript.promptPrefix + line)
            // A line of output that reads as a command or a fence would end the block.
            lines += output.map { $0.hasPrefix(Transcript.promptPrefix) || $0.hasPrefix("```") ? " " + $0 : $0 }
        }
        lines.append("```")
        return lines
    }

    /// Writes the file (atomically); a failure is kept for `record stop` to report.
    @discardableResult
    mutating func write() -> Bool {
        do throws(ShellError) {
            try Self.write(markdown(), to: path)
            writeError = nil
            return true
        } catch {
            writeError = error.message
            return false
        }
    }

    static func write(_ text: String, to path: String) throws(ShellError) {
        try AtomicFile.write(Data(text.utf8), to: path, verb: "record to", mayReplace: { head in
            let text = String(decoding: head, as: UTF8.self)
            return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.contains(signature) ? nil
                : "the file exists and is not a recording; choose another name or remove it first"
        })
    }

    // MARK: the starting point

    /// The commands that turn a fresh session into `state` (settings, data set,
    /// network, weights, cost, sample), each run on a fresh session for its output,
    /// then `forward`. Also says what could not be rebuilt.
    static func setup(for state: SessionState) -> (commands: [(line: String, output: [String])], problems: [String]) {
        let scratch = Session(style: Style(unicode: true, color: false, precision: 9))
        var commands: [(line: String, output: [String])] = []
        var problems: [String] = []
        func run(_ line: String) {
            let output = scratch.execute(line)
            if output.isError { problems.append("`\(line)`: \(clean(output.text).joined(separator: " "))") }
            commands.append((line, clean(output.text)))
        }
        // The shortest decimal that reads back as the same Double; whole numbers without ".0".
        func number(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 && !(v == 0 && v.sign == .minus) ? String(Int(v)) : v.description
        }
        func literal(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: " ") + "]" }
        func matrix(_ m: Matrix) -> String {
            "[" + (0..<m.rows).map { m.row($0).map(number).joined(separator: " ") }.joined(separator: "; ") + "]"
        }
        if !state.style.unicode { run("set notation ascii") }
        if state.style.precision != 9 { run("set precision \(state.style.precision)") }
        if let data = state.data {
            switch data.source {
            case .builtin(let name):
                run("data \(name)")
            case .csv(let path, let options):
                var line = "data load \(path)"
                if let header = options.header { line += " header=\(header ? "yes" : "no")" }
                if !options.targets.isEmpty { line += " target=" + options.targets.map(String.init).joined(separator: ",") }
                if let oneHot = options.oneHot { line += " onehot=\(oneHot ? "yes" : "no")" }
                if options.scale != .none { line += " scale=\(options.scale.rawValue)" }
                run(line)
            case .idx(let images, let labels):
                run("data load \(images) \(labels)")
            }
            if let split = data.split { run("split test=\(split.fraction.description) seed=\(split.seed)") }
        }
        let net = state.network
        if scratch.state.network != net {
            if scratch.state.network.sizes != net.sizes || scratch.state.network.hasBias != net.hasBias {
                run("net " + net.sizes.map(String.init).joined(separator: " ") + " bias=\(net.hasBias ? "on" : "off")")
            }
            for l in 1...net.L where scratch.state.network.layer(l).activation != net.layer(l).activation {
                run("act \(l) \(Describe.activation(net.layer(l).activation))")
            }
            for l in 1...net.L {
                if scratch.state.network.theta(l) != net.theta(l) { run("theta \(l) = " + matrix(net.theta(l))) }
                if let b = net.b(l), scratch.state.network.b(l) != b { run("b \(l) = " + literal(b)) }
            }
        }
        let objective = state.objective
        if scratch.state.objective.cost != objective.cost { run("set cost \(objective.cost.rawValue)") }
        if scratch.state.objective.reduction != objective.reduction { run("set reduction \(objective.reduction.rawValue)") }
        if scratch.state.objective.lambda != objective.lambda { run("set lambda \(number(objective.lambda))") }
        if scratch.state.x != state.x { run("x = " + literal(state.x)) }
        if scratch.state.y != state.y { run("y = " + literal(state.y)) }
        run("forward")
        let rebuilt = scratch.state
        if rebuilt.network != net || rebuilt.x != state.x || rebuilt.y != state.y || rebuilt.objective != objective
            || rebuilt.style.unicode != state.style.unicode || rebuilt.style.precision != state.style.precision {
            problems.append("the starting point could not be rebuilt exactly")
        }
        return (commands, problems)
    }

    /// A title from a file name: "16-my-topic.md" → "My topic".
    static func title(fromPath path: String) -> String {
        var name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        name = String(name.drop(while: { $0.isNumber || $0 == "-" || $0 == "_" || $0 == " " }))
        name = name.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        guard let first = name.first else { return "A recorded session" }
        return first.uppercased() + name.dropFirst()
    }
}
