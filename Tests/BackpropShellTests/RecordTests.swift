import Foundation
import Testing
@testable import BackpropShell

/// record FILE … record stop writes a lesson that passes the lesson checker unchanged:
/// the checks of Tests/LessonTests/LessonFileTests (a fresh session per file, every
/// output matched, every exercise's answer computed) run here on recorded files.
@Suite struct RecordTests {
    /// The lesson checker: the same checks LessonFileTests makes on each lesson.
    static func check(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let document = try LessonDocument.load(url)
        for problem in document.problems { Issue.record("\(problem)", sourceLocation: sourceLocation) }
        #expect(document.title != document.name, "starts with a # title", sourceLocation: sourceLocation)
        #expect(!document.blocks.isEmpty, "has runnable blocks", sourceLocation: sourceLocation)
        #expect(document.exercises.count >= 1, "has at least one exercise", sourceLocation: sourceLocation)
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        session.state.lesson.progressDisabled = true
        for item in document.items {
            switch item {
            case .prose:
                break
            case .command(let entry):
                let output = session.execute(entry.command)
                let lines = output.text.isEmpty ? [] : output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(Transcript.matches(expected: entry.expected, actual: lines),
                        "line \(entry.line): `\(entry.command)`\n--- expected\n\(entry.expected.joined(separator: "\n"))\n--- actual\n\(lines.joined(separator: "\n"))",
                        sourceLocation: sourceLocation)
            case .exercise(let index):
                let exercise = document.exercises[index]
                let output = session.peek(exercise.command)
                #expect(!output.isError, sourceLocation: sourceLocation)
                let value = try #require(exercise.value(fromOutput: output.text), sourceLocation: sourceLocation)
                #expect(exercise.tolerance.accepts(exercise.answer, target: value), sourceLocation: sourceLocation)
                let solution = try #require(exercise.solution, sourceLocation: sourceLocation)
                #expect(solution.replacingOccurrences(of: "−", with: "-").contains(exercise.answerText),
                        sourceLocation: sourceLocation)
            }
        }
    }

    func run(_ session: Session, _ lines: [String]) {
        for line in lines {
            let output = session.execute(line)
            if line.hasPrefix("record") { #expect(!output.isError, "\(line): \(output.text)") }
        }
    }

    @Test func aRecordedSessionPassesAsALesson() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("16-the-output-error.md")
        let s = Session(style: Style(unicode: true, color: false, precision: 9))
        run(s, [
            "record \(path)",
            "# The classic example: two inputs, two hidden units, two outputs.",
            "# We push x through it.",
            "forward",
            "#",
            "# Now the error at the output.",
            "#? What is δ₁⁽²⁾, the error of the first output unit?",
            "explain delta 2 1",
            "backward",
            "fowrard",            // a mistake is part of the lesson too
            "#? And the gradient of θ₁₁⁽²⁾?",
            "explain grad 2 1 1",
            "step", "step",
            "update alpha=0.5",
            "forward",
            "record stop",
        ])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# The output error\n"))
        #expect(text.contains("> **Exercise 1.** What is δ₁⁽²⁾, the error of the first output unit?"))
        #expect(text.contains("<!-- answer: 0.138498562 ± 1% from `explain delta 2 1` number 4 -->"))
        #expect(text.contains("> **Exercise 2.** And the gradient of θ₁₁⁽²⁾?"))
        #expect(text.contains("The classic example: two inputs, two hidden units, two outputs.\nWe push x through it."))
        #expect(text.contains("backprop> fowrard\nerror: unknown command 'fowrard' — did you mean forward?"))
        try Self.check(URL(fileURLWithPath: path))
    }

    /// A recording that starts from a changed session begins with the commands that
    /// rebuild it: settings, data set and split, network, weights, cost and sample.
    @Test func theStartingPointIsRebuilt() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("rebuilt.md")
        let s = Session(style: Style(unicode: true, color: false, precision: 9))
        run(s, ["set precision 6", "data xor", "split test=0.25 seed=3", "net 2 3 1 bias=off", "act 1 tanh",
                "init seed=4 eps=1", "sample 2", "set lambda 0.001", "set reduction mean", "step", "step",
                "train epochs=5 alpha=1",
                "record \(path) title=\"Rebuilt\"",
                "#? What is J now?", "show cost", "step", "plot", "train epochs=20 alpha=2", "eval",
                "record stop"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in ["backprop> set precision 6", "backprop> data xor", "backprop> split test=0.25 seed=3",
                     "backprop> net 2 3 1 bias=off", "backprop> act 1 tanh", "backprop> set lambda 0.001",
                     "backprop> set reduction mean", "trained 2-3-1 on xor: 20 epochs, 60 samples in [..]"] {
            #expect(text.contains(line), "missing: \(line)")
        }
        #expect(text.contains("backprop> step\nstep 1 of"), "stepping starts again at the recording")
        try Self.check(URL(fileURLWithPath: path))
    }

    @Test func colourAndAsciiAreRecordedAsALessonShowsThem() throws {
        let folder = try TemporaryFolder()
        let colour = folder.path("colour.md")
        let s = Session(style: Style(unicode: true, color: true, precision: 9))
        run(s, ["record \(colour)", "#? What is J?", "forward", "show net", "set color off", "explain grad 2 1 1", "record stop"])
        let text = try String(contentsOfFile: colour, encoding: .utf8)
        #expect(!text.contains("\u{1B}"), "no colour escapes in the lesson")
        try Self.check(URL(fileURLWithPath: colour))

        let ascii = folder.path("ascii.md")
        let a = Session(style: Style(unicode: false, color: false, precision: 9))
        run(a, ["net 2 2 1", "init seed=2", "record \(ascii)", "#? What is a_1^(2)?", "forward", "backward", "record stop"])
        let asciiText = try String(contentsOfFile: ascii, encoding: .utf8)
        #expect(asciiText.contains("backprop> set notation ascii"))
        #expect(asciiText.contains("z^(1)_1"))
        try Self.check(URL(fileURLWithPath: ascii))
    }

    @Test func theFileIsWrittenAfterEveryLineAndOnlyTheSessionRecords() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("live.md")
        let s = Session(style: Style())
        run(s, ["record \(path)", "forward"])
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let forwardCount = text.components(separatedBy: "backprop> forward").count
        // A scratch session (what exercises and lessons use) does not write into it.
        _ = s.peek("backward")
        _ = s.peek("show net")
        text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("backprop> backward") && !text.contains("backprop> show net"))
        #expect(text.components(separatedBy: "backprop> forward").count == forwardCount)
        run(s, ["history", "present", "set color on", "record stop"])
        text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("backprop> history") && !text.contains("backprop> present") && !text.contains("set color"))
    }

    @Test func mistakesAndStatus() throws {
        let folder = try TemporaryFolder()
        let s = Session(style: Style())
        #expect(s.execute("record").text == "not recording: record FILE starts")
        #expect(s.execute("record stop").text.contains("nothing is being recorded"))
        #expect(s.execute("record /nonexistent-dir/x.md").isError)
        let mine = folder.path("notes.md")
        try "my notes\n".write(toFile: mine, atomically: true, encoding: .utf8)
        let refused = s.execute("record \(mine)")
        #expect(refused.isError && refused.text.contains("not a recording"), "\(refused.text)")
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == "my notes\n")

        let path = folder.path("a.md")
        #expect(!s.execute("record \(path)").isError)
        #expect(s.execute("record \(folder.path("b.md"))").text.contains("already recording to"))
        _ = s.execute("forward")
        #expect(s.execute("record").text.contains("recording to \(path): 1 command, 0 paragraphs, 0 exercises"))
        #expect(s.completions(for: "record ") == ["stop"])
        let stop = s.execute("record stop")
        #expect(stop.text.contains("recorded 1 command") && stop.text.contains("no exercise"))
        // Recording again over its own file is fine.
        #expect(!s.execute("record \(path)").isError)
        _ = s.execute("record stop")
        #expect(LessonRecorder.title(fromPath: "/x/16-my-first_lesson.md") == "My first lesson")
    }
}
