import Foundation
import Testing
@testable import BackpropShell

/// Every lesson in Lessons/ runs: each ```backprop block in one fresh session per file,
/// in order, must match exactly (DESIGN.md's `...` and `[..]` aside), and each exercise's
/// stated answer must be what the shell computes at that point of the lesson.
/// BACKPROP_BLESS=1 rewrites the expected outputs that differ (wildcard lines that
/// still match are kept).
@Suite struct LessonFileTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Lessons").standardizedFileURL

    static var names: [String] { LessonLibrary.lessons(in: directory).map(\.name) }

    static var blessing: Bool { ProcessInfo.processInfo.environment["BACKPROP_BLESS"] == "1" }

    @Test func theCourseHasTwelveLessonsOrMore() {
        #expect(Self.names.count >= 12)
        let numbers = LessonLibrary.lessons(in: Self.directory).map(\.number)
        #expect(numbers == Array(1...numbers.count), "lessons are numbered 1, 2, 3 … without gaps")
    }

    @Test(arguments: names)
    func lesson(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name + ".md")
        let document = try LessonDocument.load(url)
        for problem in document.problems { Issue.record("\(name).md \(problem)") }
        #expect(document.title != name, "\(name).md starts with a # title")
        #expect(!document.blocks.isEmpty, "\(name).md has runnable blocks")
        #expect(document.exercises.count >= 1, "\(name).md has at least one exercise")

        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        session.state.lesson.progressDisabled = true
        var actual: [Int: [String]] = [:]  // command line → output, for blessing
        var mismatches = 0
        for item in document.items {
            switch item {
            case .prose:
                break
            case .command(let entry):
                let output = session.execute(entry.command)
                let lines = output.text.isEmpty ? [] : output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if !Transcript.matches(expected: entry.expected, actual: lines) {
                    mismatches += 1
                    actual[entry.line] = lines
                    if !Self.blessing {
                        Issue.record("\(name).md line \(entry.line): `\(entry.command)`\n--- expected\n\(entry.expected.joined(separator: "\n"))\n--- actual\n\(lines.joined(separator: "\n"))")
                    }
                }
            case .exercise(let index):
                let exercise = document.exercises[index]
                let output = session.peek(exercise.command)
                #expect(!output.isError, "\(name).md line \(exercise.line): `\(exercise.command)` fails: \(output.text)")
                guard let value = exercise.value(fromOutput: output.text) else {
                    Issue.record("\(name).md line \(exercise.line): no number \(exercise.pick) in the output of `\(exercise.command)`")
                    continue
                }
                #expect(exercise.tolerance.accepts(exercise.answer, target: value),
                        "\(name).md line \(exercise.line): the stated answer \(exercise.answerText) is not the shell's \(value) (\(exercise.tolerance))")
                #expect(exercise.solution != nil, "\(name).md line \(exercise.line): the exercise has a <details> solution")
                if let solution = exercise.solution {
                    #expect(solution.replacingOccurrences(of: "−", with: "-").contains(exercise.answerText),
                            "\(name).md line \(exercise.line): the solution states the answer \(exercise.answerText)")
                }
            }
        }
        if Self.blessing && mismatches > 0 {
            try Self.bless(url, document: document, actual: actual)
        }
    }

    /// Rewrites the expected output of the commands in `actual`, bottom to top.
    static func bless(_ url: URL, document: LessonDocument, actual: [Int: [String]]) throws {
        var lines = try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for entry in document.commands.reversed() {
            guard let output = actual[entry.line] else { continue }
            var kept = entry.expected
            while kept.last?.isEmpty == true { kept.removeLast() }
            // entry.line is 1-based: its output starts at index entry.line.
            lines.replaceSubrange(entry.line..<(entry.line + kept.count), with: output)
        }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}
