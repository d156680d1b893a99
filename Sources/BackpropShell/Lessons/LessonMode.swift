import Foundation

/// The lesson a learner is following inside the shell, and where the course and the
/// progress file are. Kept in `SessionState.lesson`.
struct LessonMode {
    /// The course directory; nil: found by `LessonLibrary.directory()` when needed.
    var directory: URL?
    /// The progress file; nil: `~/.backprop/progress.json`.
    var progressFile: URL?
    /// Set by tests to keep progress in memory only.
    var progressDisabled = false
    var active: ActiveLesson?
    /// Whether a failed save has been reported already.
    var reportedSaveFailure = false

    // Following the learner's lines (Session.suggestedInput): each offer of a command
    // gets a serial; the first observation after it records how many lines had been
    // typed, later ones look for the offered command among the lines typed since.
    var offerSerial = 0
    var observedSerial = 0
    var linesAtOffer = 0

    var resolvedDirectory: URL? { directory ?? LessonLibrary.directory() }
    var resolvedProgressFile: URL? { progressDisabled ? nil : (progressFile ?? LessonProgress.defaultFile()) }

    /// Notes which lines the learner has typed since the last offer.
    mutating func observe(_ lines: [String]) {
        guard let pending = active?.pending else { return }
        if observedSerial != offerSerial {
            observedSerial = offerSerial
            linesAtOffer = lines.count
            return
        }
        if lines.dropFirst(linesAtOffer).contains(where: { LessonMode.line($0, runs: pending) }) {
            active?.pending = nil
        }
    }

    /// What to pre-fill on the next line.
    var suggestion: String? {
        guard let active else { return nil }
        if let pending = active.pending { return pending }
        if let open = active.openExercise, !active.answered.contains(open) { return "answer " }
        if active.finished { return active.nextLesson.map { "lesson \($0)" } }
        return "next"
    }

    /// Commands that only show something: for them only the very line counts as run.
    static let displayCommands: Set<String> = [
        "forward", "backward", "show", "explain", "check", "help", "history", "eval", "predict", "plot",
    ]

    /// Whether the learner's `line` counts as running the offered `command`: the same
    /// line, or an edited one of a command that changes something (update alpha=2 for
    /// update alpha=0.5).
    static func line(_ line: String, runs command: String) -> Bool {
        let words = line.split(whereSeparator: \.isWhitespace)
        let offered = command.split(whereSeparator: \.isWhitespace)
        if words == offered { return true }
        guard let first = words.first?.lowercased(), let offeredFirst = offered.first?.lowercased() else { return false }
        return first == offeredFirst && !displayCommands.contains(first)
    }
}

/// One lesson in progress.
struct ActiveLesson {
    enum Step: Equatable {
        case prose(String)
        case command(String)
        /// An exercise, with the heading just before it, if any.
        case exercise(Int, intro: String?)
    }

    let number: Int
    let document: LessonDocument
    let steps: [Step]
    /// The next step to show.
    var position = 0
    /// The command offered and not run yet.
    var pending: String?
    /// The exercise shown last (an index into document.exercises).
    var openExercise: Int?
    /// Exercises answered right or revealed with `answer show`.
    var answered: Set<Int> = []
    /// Exercises answered right.
    var solved: Set<Int> = []
    var wrongAnswers = 0
    var finished = false
    /// The number of the lesson after this one, if any.
    var nextLesson: Int?

    init(number: Int, document: LessonDocument, nextLesson: Int?) {
        self.number = number
        self.document = document
        self.nextLesson = nextLesson
        var steps: [Step] = []
        for (index, item) in document.items.enumerated() {
            switch item {
            case .prose(var text):
                // The title is already in the lesson's header.
                if index == 0, text.hasPrefix("# ") {
                    text = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                        .drop(while: { $0.isEmpty }).joined(separator: "\n")
                    if text.isEmpty { continue }
                }
                if case .prose(let heading)? = steps.last, ActiveLesson.isHeading(heading) {
                    steps[steps.count - 1] = .prose(heading + "\n" + text)
                } else {
                    steps.append(.prose(text))
                }
            case .command(let entry):
                steps.append(.command(entry.command))
            case .exercise(let e):
                // A heading right before an exercise is shown with it.
                if case .prose(let heading)? = steps.last, ActiveLesson.isHeading(heading) {
                    steps[steps.count - 1] = .exercise(e, intro: heading)
                } else {
                    steps.append(.exercise(e, intro: nil))
                }
            }
        }
        self.steps = steps
    }

    /// Whether a paragraph is only headings.
    static func isHeading(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy { $0.hasPrefix("#") }
    }

    /// Where to pick up a lesson left after `shown` steps: at the paragraph before them.
    func resumePoint(after shown: Int) -> Int {
        let shown = min(max(shown, 0), steps.count)
        return (0..<shown).last { if case .prose = steps[$0] { return true } else { return false } } ?? 0
    }

    /// The commands among the first `count` steps.
    func commands(before count: Int) -> [String] {
        steps.prefix(count).compactMap { if case .command(let c) = $0 { return c } else { return nil } }
    }

    var progress: LessonProgress.Lesson {
        LessonProgress.Lesson(step: position, steps: steps.count, done: finished,
                              solved: solved.sorted().map { $0 + 1 })
    }
}
