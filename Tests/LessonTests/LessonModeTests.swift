import Foundation
import Testing
@testable import BackpropShell

/// The lesson mode inside the shell: lesson, next, answer, the offered command
/// (Session.suggestedInput) and the progress file, with a temporary progress file.
@Suite struct LessonModeTests {
    static let lessons = LessonFileTests.directory

    /// A session that reads the course from the source tree and keeps its progress in
    /// `progress` (a fresh temporary file when nil).
    static func session(progress: URL? = nil) -> (Session, URL) {
        let file = progress ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("backprop-lessons-\(UUID().uuidString)")
            .appendingPathComponent("progress.json")
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        session.state.lesson.directory = lessons
        session.state.lesson.progressFile = file
        return (session, file)
    }

    /// Runs a line that must succeed and returns its text; then reads suggestedInput,
    /// as the front end does before every prompt.
    @discardableResult
    static func ok(_ session: Session, _ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let output = session.execute(line)
        _ = session.suggestedInput
        #expect(!output.isError, "`\(line)` failed: \(output.text)", sourceLocation: sourceLocation)
        return output.text
    }

    /// `next` until an exercise is open, suggestedInput read before each line as the
    /// front end does; returns everything printed.
    @discardableResult
    static func nextUntilExercise(_ session: Session) -> String {
        var text = ""
        for _ in 0..<200 {
            if session.suggestedInput == "answer " { return text }
            text += ok(session, "next") + "\n"
        }
        Issue.record("no exercise reached")
        return text
    }

    static func progress(_ file: URL) throws -> LessonProgress {
        try JSONDecoder().decode(LessonProgress.self, from: Data(contentsOf: file))
    }

    @Test func listingShowsEveryLessonNotStarted() {
        let (s, _) = Self.session()
        let text = Self.ok(s, "lesson")
        #expect(text.hasPrefix("the course"))
        #expect(text.contains("1  One neuron"))
        #expect(text.contains("Real data: handwritten digits"))
        #expect(text.components(separatedBy: "not started").count - 1 == LessonLibrary.lessons(in: Self.lessons).count)
        #expect(s.suggestedInput == nil, "no lesson is running")
    }

    @Test func startingShowsTheFirstParagraphAndSuggestsNext() {
        let (s, _) = Self.session()
        Self.ok(s, "theta 1 = [1 2; 3 4]")
        let text = Self.ok(s, "lesson 1")
        #expect(text.hasPrefix("Lesson 1 · One neuron"))
        #expect(text.contains("Every network in this course is built from one kind of unit."))
        #expect(!text.contains("# One neuron"), "the title is in the header, not repeated")
        #expect(s.suggestedInput == "next")
        // The lesson starts from the classic example, not from the learner's network.
        #expect(Self.ok(s, "show theta 1").contains("0.15"))
    }

    @Test func theOfferedCommandIsSuggestedThenNext() {
        let (s, _) = Self.session()
        Self.ok(s, "lesson 1")
        var offered: String?
        for _ in 0..<5 {
            let text = Self.ok(s, "next")
            if text.contains("▶ net 2 1 bias=off") { offered = s.suggestedInput; break }
        }
        #expect(offered == "net 2 1 bias=off")
        // The learner presses Enter on it: the lesson sees it ran and suggests next.
        Self.ok(s, "net 2 1 bias=off")
        #expect(s.suggestedInput == "next")
        let text = Self.ok(s, "next")
        #expect(!text.contains("running the lesson's command for you"), "a command already run is not run again")
        #expect(text.contains("▶ theta 1 = [0.5 -0.25]"))
        #expect(s.suggestedInput == "theta 1 = [0.5 -0.25]")
    }

    @Test func nextRunsAnOfferedCommandTheLearnerSkipped() {
        let (s, _) = Self.session()
        Self.ok(s, "lesson 1")
        while !(s.suggestedInput ?? "").hasPrefix("net") { Self.ok(s, "next") }
        let text = Self.ok(s, "next")
        #expect(text.contains("(running the lesson's command for you)\nbackprop> net 2 1 bias=off\nnetwork 2-1, bias off"))
        #expect(Self.ok(s, "show net").contains("network 2-1"))
    }

    @Test func lessonNAgainShowsWhereTheLearnerIs() {
        let (s, _) = Self.session()
        Self.ok(s, "lesson 1")
        while s.suggestedInput != "net 2 1 bias=off" { Self.ok(s, "next") }
        let again = Self.ok(s, "lesson 1")
        #expect(again.contains("`net 2 1 bias=off` makes a network with two inputs"))
        #expect(again.hasSuffix("▶ net 2 1 bias=off   Enter runs it (edit it first if you like); next moves on"))
        #expect(s.suggestedInput == "net 2 1 bias=off")
        // Once it has run, it is not offered again.
        Self.ok(s, "net 2 1 bias=off")
        #expect(!Self.ok(s, "lesson 1").contains("▶"))
        #expect(s.suggestedInput == "next")
    }

    @Test func anEditedCommandCountsAsRun() {
        let (s, _) = Self.session()
        Self.ok(s, "lesson 1")
        while s.suggestedInput != "theta 1 = [0.5 -0.25]" { Self.ok(s, "next") }
        Self.ok(s, "theta 1 = [1 1]")
        #expect(s.suggestedInput == "next")
        Self.ok(s, "next")
        #expect(Self.ok(s, "show theta 1").contains("[ 1  1 ]"), "the learner's version is kept")
    }

    @Test func answersRightWrongHintAndSolution() throws {
        let (s, file) = Self.session()
        Self.ok(s, "lesson 1")
        let shown = Self.nextUntilExercise(s)
        #expect(shown.contains("Exercise 1.1."))
        #expect(shown.contains("answer VALUE checks it (within ± 0.0001)"))
        let wrong = Self.ok(s, "answer 0.7")
        #expect(wrong.hasPrefix("not yet: 0.7 is too low"))
        #expect(wrong.contains("hint: z₁⁽¹⁾ = θ₁₁⁽¹⁾ x₁ + θ₁₂⁽¹⁾ x₂"))
        #expect(s.suggestedInput == "answer ")
        #expect(Self.ok(s, "answer 0.9").contains("too high"))
        #expect(Self.ok(s, "answer hint").hasPrefix("hint: "))
        let right = Self.ok(s, "answer 0.75")
        #expect(right.hasPrefix("right: the shell computes 0.75 (explain z 1 1)"))
        #expect(s.suggestedInput == "next")
        let solution = Self.ok(s, "answer show")
        #expect(solution.contains("z₁⁽¹⁾ = 0.5 · 2 + (−0.25) · 1 = 1 − 0.25 = 0.75"))
        #expect(solution.contains("the shell: explain z 1 1 → 0.75"))
        #expect(try Self.progress(file).lessons["01-one-neuron"]?.solved == [1])
        #expect(s.execute("answer twelve").isError)
    }

    @Test func progressIsSavedAndResumed() throws {
        let (s, file) = Self.session()
        Self.ok(s, "lesson 1")
        Self.nextUntilExercise(s)
        Self.ok(s, "answer 0.75")
        let saved = try Self.progress(file)
        #expect(saved.current == "01-one-neuron")
        let entry = try #require(saved.lessons["01-one-neuron"])
        #expect(entry.step > 5 && !entry.done && entry.solved == [1])

        // A new session with the same progress file resumes, its network rebuilt.
        let (t, _) = Self.session(progress: file)
        #expect(Self.ok(t, "lesson").contains("step \(entry.step) of \(entry.steps) · 1/2 exercises"))
        let text = Self.ok(t, "lesson 1")
        #expect(text.contains("resuming at step"))
        #expect(text.contains("ran again to rebuild its network"))
        // It picks up at the paragraph before the exercise, whose command is offered again.
        #expect(text.contains("Now change the input to x = (2, 1)."))
        #expect(t.suggestedInput == "x = [2 1]")
        #expect(Self.ok(t, "show theta 1").contains("[ 0.5  -0.25 ]"))
        #expect(Self.ok(t, "show x").contains("[ -4  0 ]"))

        // lesson 1 restart starts from the beginning.
        #expect(Self.ok(t, "lesson 1 restart").contains("steps, 2 exercises"))
    }

    @Test func aLessonRunsToItsEnd() throws {
        let (s, file) = Self.session()
        Self.ok(s, "lesson 1")
        var last = ""
        for _ in 0..<200 {
            if s.suggestedInput == "answer " {
                last = Self.ok(s, "answer show")
            } else if s.suggestedInput == "lesson 2" {
                break
            } else {
                last = Self.ok(s, "next")
            }
        }
        #expect(last.contains("end of lesson 1 (0 of 2 exercises right): lesson 2 is next"))
        #expect(s.suggestedInput == "lesson 2")
        #expect(Self.ok(s, "next").contains("end of lesson 1"))
        #expect(try Self.progress(file).lessons["01-one-neuron"]?.done == true)
        #expect(Self.ok(s, "lesson").contains("done · 0/2 exercises"))
        #expect(Self.ok(s, "lesson 2").hasPrefix("Lesson 2 · Forward propagation"))
    }

    @Test func errorsOutsideALesson() {
        let (s, _) = Self.session()
        #expect(s.execute("next").text.contains("no lesson is running"))
        #expect(s.execute("answer 1").text.contains("no lesson is running"))
        #expect(s.execute("lesson 99").text.contains("there is no lesson 99: the lessons are 1 to"))
        #expect(s.execute("lesson one").isError)
        Self.ok(s, "lesson 1")
        #expect(s.execute("answer 1").text.contains("no exercise yet"))
        #expect(Self.ok(s, "lesson stop").contains("left lesson 1"))
        #expect(s.suggestedInput == nil)
    }

    @Test func aCorruptProgressFileReadsAsNoProgress() throws {
        let (s, file) = Self.session()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: file)
        #expect(Self.ok(s, "lesson").contains("not started"))
        Self.ok(s, "lesson 1")
        #expect(try Self.progress(file).current == "01-one-neuron", "rewritten as valid JSON")
    }

    @Test func anUnwritableProgressFileIsReportedOnce() throws {
        // The progress "file" is a directory: it cannot be written.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (s, _) = Self.session(progress: directory)
        let first = Self.ok(s, "lesson 1")
        #expect(first.contains("(progress is not saved: "))
        #expect(!Self.ok(s, "next").contains("progress is not saved"))
    }

    @Test func asciiNotationSpellsTheProse() {
        let (s, _) = Self.session()
        Self.ok(s, "set notation ascii")
        Self.ok(s, "lesson 1")
        let text = Self.ok(s, "next")
        #expect(text.contains("z^(1)_1 = sum_j theta^(1)_1,j x_j = Theta^(1) x"))
        #expect(!text.contains("⁽"))
    }

    @Test func lessonsAreFoundInTheSourceTree() {
        #expect(LessonLibrary.directory() != nil)
        #expect(LessonLibrary.lessons(in: Self.lessons).first?.name == "01-one-neuron")
    }

    /// Every lesson can be followed to its end with next alone, answering each
    /// exercise with its stated answer, without a failing command.
    @Test(arguments: LessonFileTests.names)
    func followedToTheEnd(_ name: String) throws {
        let (s, _) = Self.session()
        s.state.lesson.progressDisabled = true
        let number = try #require(Int(name.prefix(while: \.isNumber)))
        let document = try LessonDocument.load(Self.lessons.appendingPathComponent(name + ".md"))
        Self.ok(s, "lesson \(number)")
        var answered = 0
        var finished = false
        for _ in 0..<1000 {
            if s.suggestedInput == "answer ", let open = s.state.lesson.active?.openExercise {
                let exercise = document.exercises[open]
                let text = Self.ok(s, "answer \(exercise.answerText)")
                #expect(text.hasPrefix("right"), "\(name): exercise at line \(exercise.line): \(text)")
                answered += 1
                continue
            }
            let text = Self.ok(s, "next")
            // A command the lesson ran must not fail: no error line right after it.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.hasPrefix(Transcript.promptPrefix) && index + 1 < lines.count {
                #expect(!lines[index + 1].hasPrefix("error:"), "\(name): `\(line)` failed: \(lines[index + 1])")
            }
            if text.contains("end of lesson \(number)") { finished = true; break }
        }
        #expect(finished, "\(name) reaches its end")
        #expect(answered == document.exercises.count)
    }

    /// A command the lesson runs for you (`next` with an offered command pending) polls
    /// the session's Ctrl-C flag and draws the progress line, like one typed at the
    /// prompt: here the progress handler sets the flag, as the front end's SIGINT
    /// handler would, and lesson 12's training run stops after its first report.
    @Test func ctrlCReachesTheCommandALessonRuns() throws {
        let (s, _) = Self.session()
        Self.ok(s, "lesson 12")
        var offered: String?
        for _ in 0..<200 {
            offered = s.suggestedInput
            if offered?.hasPrefix("train ") == true { break }
            Self.ok(s, "next")
        }
        let train = try #require(offered, "lesson 12 offers a train command")
        #expect(train.hasPrefix("train "))
        let flag = s.cancel
        var calls = 0
        s.progressHandler = { _ in
            calls += 1
            flag.set()
        }
        // Not typed: `next` runs the offered command itself.
        let text = Self.ok(s, "next")
        #expect(calls >= 1, "the lesson's train drew progress")
        #expect(text.contains("interrupted after epoch "), "\(text)")
        #expect(s.state.trainingLog.count >= 1 && s.state.trainingLog.count < 30)
        s.cancel.clear()
    }

    /// On a colour terminal the outputs carry colour codes (ESC [ 1 m); an exercise that
    /// takes "number 3" of `eval` must still find 9.53 %, not a digit of a code.
    @Test func answersAreCheckedOnAColourTerminal() throws {
        #expect(Exercise.numbers(in: "\u{1B}[1mtraining set\u{1B}[0m: 1438 samples, accuracy \u{1B}[32m9.53%\u{1B}[0m")
                == [1438, 9.53])
        let (s, _) = Self.session()
        s.style = Style(unicode: true, color: true, precision: 9)
        Self.ok(s, "lesson 12")
        Self.nextUntilExercise(s)
        Self.ok(s, "answer 2410")
        Self.ok(s, "next")
        Self.nextUntilExercise(s)
        let text = Self.ok(s, "answer 10")
        #expect(LessonText.withoutColour(text).hasPrefix("right"), "\(text)")
    }

    /// A hint is broken at spaces into lines of at most 80 visible characters, the later
    /// ones indented under the first's text; colour codes take no room.
    @Test func longHintsAreWrapped() throws {
        #expect(LessonText.wrapped("a bb ccc", prefix: "hint: ", width: 12) == "hint: a bb\n      ccc")
        #expect(LessonText.wrapped("a bb", prefix: "hint: ", width: 12) == "hint: a bb")
        #expect(LessonText.wrapped("\u{1B}[1mabcd\u{1B}[0m ef", prefix: "hint: ", width: 13)
                == "hint: \u{1B}[1mabcd\u{1B}[0m ef")
        #expect(LessonText.wrapped("abcdefghijkl", prefix: "h: ", width: 5) == "h: abcdefghijkl")  // no word is cut
        let (s, _) = Self.session()
        Self.ok(s, "lesson 4")
        Self.nextUntilExercise(s)
        let text = Self.ok(s, "answer hint")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(text)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(text)")
        #expect(lines.first?.hasPrefix("hint: g′(z₂⁽²⁾)") == true && lines.last?.hasPrefix("      ") == true)
        #expect(lines.joined(separator: " ").replacingOccurrences(of: "      ", with: "").hasSuffix("so δ is negative"))
    }
}
