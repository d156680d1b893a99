import Foundation

/// lesson, next, answer: follow the course in Lessons/ inside the shell.
enum LessonCommands {
    static let lesson = Command(
        name: "lesson",
        usage: "lesson [N [restart] | stop]",
        summary: "list the lessons with your progress, or start or resume lesson N",
        details: """
        lesson N shows the lesson a paragraph at a time; its commands are offered on the
        prompt line: Enter runs one, or type anything else first. next moves on,
        answer VALUE checks an exercise. Progress is kept in ~/.backprop/progress.json,
        so lesson N resumes where you left it; lesson N restart starts it again from the
        beginning. Starting a lesson replaces the network with the classic example, the
        lesson's starting point. lesson stop leaves the lesson (progress is kept).
        """,
        example: "lesson 1",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...2, usage: "lesson [N [restart] | stop]")
            try args.expectNoAssignment(usage: "lesson [N]")
            guard let first = args.word(0) else { return try list(state, ctx.render) }
            if first.lowercased() == "stop" || first.lowercased() == "off" {
                try args.expectPositional(1...1, usage: "lesson stop")
                guard let active = state.lesson.active else { return "no lesson is running" }
                state.lesson.active = nil
                return "left lesson \(active.number); lesson \(active.number) resumes it"
            }
            var restart = false
            if let second = args.word(1) {
                guard second.lowercased() == "restart" else {
                    throw ShellError("lesson N takes only the word restart after it", near: second)
                }
                restart = true
            }
            let number = try Values.integer(first, what: "a lesson number", in: 0...999)
            return try start(number, restart: restart, &state, ctx)
        },
        complete: { state, given, partial in
            if given.isEmpty {
                let numbers = state.lesson.resolvedDirectory.map { LessonLibrary.lessons(in: $0).map { String($0.number) } } ?? []
                return Complete.matching(numbers + ["stop"], partial)
            }
            return given.count == 1 ? Complete.matching(["restart"], partial) : []
        }
    )

    static let next = Command(
        name: "next",
        usage: "next",
        summary: "in a lesson: move on to the next paragraph (running the offered command if you have not)",
        details: """
        When the lesson has offered a command that you have not run, next runs it first so
        the lesson's network stays as the text expects.
        """,
        example: "next",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "next")
            try args.expectNoAssignment(usage: "next")
            guard state.lesson.active != nil else {
                throw ShellError("no lesson is running: type lesson for the list, lesson 1 to begin")
            }
            let lines = advance(&state, ctx)
            return (lines + save(&state, ctx.render)).joined(separator: "\n")
        }
    )

    static let answer = Command(
        name: "answer",
        usage: "answer VALUE | answer hint | answer show",
        summary: "in a lesson: check your answer to the exercise, or get a hint or the worked solution",
        details: """
        The answer counts when it is within the exercise's tolerance of what the shell
        computes. answer hint gives a hint; answer show gives the worked solution.
        """,
        example: "answer 0.3775",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...1, usage: "answer VALUE | hint | show")
            try args.expectNoAssignment(usage: "answer VALUE")
            guard var active = state.lesson.active else {
                throw ShellError("no lesson is running: type lesson for the list, lesson 1 to begin")
            }
            guard let index = active.openExercise else {
                throw ShellError("no exercise yet: next moves on through the lesson")
            }
            let r = ctx.render
            let exercise = active.document.exercises[index]
            guard let word = args.word(0) else {
                return exerciseLines(exercise, r).joined(separator: "\n")
            }
            let target = computedAnswer(exercise, state)
            var lines: [String]
            switch word.lowercased() {
            case "hint":
                lines = [exercise.hint.map { LessonText.wrapped(LessonText.inline($0, r), prefix: "hint: ") }
                    ?? "no hint for this one: answer show gives the worked solution"]
            case "show", "solution":
                lines = [r.heading("solution")]
                if let solution = exercise.solution { lines += LessonText.render(solution, r) }
                lines.append("the shell: \(exercise.commands.joined(separator: ", ")) \(r.n.to) \(r.value(r.num(target)))")
                active.answered.insert(index)
                lines.append(r.dim("next moves on"))
            default:
                let value = try Values.number(word, what: "a number (or hint, or show)")
                if exercise.tolerance.accepts(value, target: target) {
                    active.solved.insert(index)
                    active.answered.insert(index)
                    active.wrongAnswers = 0
                    lines = [r.good("right") + ": the shell computes \(r.value(r.num(target))) (\(exercise.commands.joined(separator: ", ")))"]
                    if !exercise.tolerance.accepts(exercise.answer, target: target) {
                        lines.append(r.dim("(the lesson says \(exercise.answerText): your network differs from the lesson's)"))
                    }
                    lines.append(r.dim("next moves on"))
                } else {
                    active.wrongAnswers += 1
                    let direction = value > target ? "too high" : "too low"
                    lines = [r.bad("not yet") + ": \(r.num(value)) is \(direction) (it must be within \(exercise.tolerance.description))"]
                    if let hint = exercise.hint {
                        lines.append(LessonText.wrapped(LessonText.inline(hint, r), prefix: "hint: "))
                    }
                    lines.append(r.dim(active.wrongAnswers >= 2
                        ? "answer show gives the worked solution; answer VALUE tries again"
                        : "answer VALUE tries again; answer show gives the worked solution"))
                }
            }
            state.lesson.active = active
            return (lines + save(&state, r)).joined(separator: "\n")
        },
        complete: { state, given, partial in
            given.isEmpty && state.lesson.active?.openExercise != nil ? Complete.matching(["hint", "show"], partial) : []
        }
    )

    // MARK: the course

    static func entries(_ state: SessionState) throws(ShellError) -> (URL, [LessonLibrary.Entry]) {
        guard let directory = state.lesson.resolvedDirectory else {
            throw ShellError("no lessons found: set BACKPROP_LESSONS to the course's Lessons directory")
        }
        let entries = LessonLibrary.lessons(in: directory)
        guard !entries.isEmpty else { throw ShellError("no lessons in \(directory.path)") }
        return (directory, entries)
    }

    static func list(_ state: SessionState, _ r: Renderer) throws(ShellError) -> String {
        let (_, entries) = try entries(state)
        let progress = LessonProgress.load(state.lesson.resolvedProgressFile)
        var rows: [[String]] = []
        for entry in entries {
            let document = try? LessonDocument.load(entry.url)
            let title = document.map { LessonText.inline($0.title, r) } ?? entry.name
            let exercises = document?.exercises.count ?? 0
            var status = "not started"
            if let p = progress.lessons[entry.name] {
                status = p.done ? "done" : "step \(min(p.step, p.steps)) of \(p.steps)"
                if exercises > 0 { status += " · \(p.solved.count)/\(exercises) exercises" }
            }
            let isCurrent = state.lesson.active?.number == entry.number
            rows.append([(isCurrent ? (r.n.unicode ? "▸" : ">") : " ") + pad(left: String(entry.number), to: 3),
                         title, isCurrent ? r.value(status) : status])
        }
        return (["the course (lesson N starts or resumes lesson N):"] + r.table(rows)).joined(separator: "\n")
    }

    /// Starts lesson `number`, or resumes it from the progress file.
    static func start(_ number: Int, restart: Bool, _ state: inout SessionState, _ ctx: Context) throws(ShellError) -> String {
        let r = ctx.render
        let (_, entries) = try entries(state)
        guard let index = entries.firstIndex(where: { $0.number == number }) else {
            let range = "\(entries.first!.number) to \(entries.last!.number)"
            throw ShellError("there is no lesson \(number): the lessons are \(range)", near: String(number))
        }
        let entry = entries[index]
        let document: LessonDocument
        do { document = try LessonDocument.load(entry.url) } catch {
            throw ShellError("lesson \(number) cannot be read from \(entry.url.path)")
        }
        let nextLesson = index + 1 < entries.count ? entries[index + 1].number : nil
        var lines = [r.heading("Lesson \(number) \(r.n.unicode ? "·" : "-") \(LessonText.inline(document.title, r))")]

        // Already following it: show the current paragraph again (and the offered
        // command, if it has not run), changing nothing.
        if !restart, let active = state.lesson.active, active.number == number, !active.finished {
            let last = active.resumePoint(after: active.position)
            if case .prose(let text) = active.steps[last] { lines += LessonText.render(text, r) }
            if let pending = active.pending { lines += ["", offerLine(pending, r)] }
            return lines.joined(separator: "\n")
        }

        let saved = LessonProgress.load(state.lesson.resolvedProgressFile).lessons[entry.name]
        var active = ActiveLesson(number: number, document: document, nextLesson: nextLesson)
        var fresh = SessionState.example(style: state.style)
        fresh.lesson = state.lesson
        var resumeAt = 0
        if !restart, let saved, !saved.done, saved.step > 0 {
            resumeAt = active.resumePoint(after: saved.step)
            // The file may hold any numbers: keep those that name an exercise.
            active.solved = Set(saved.solved.filter { $0 >= 1 && $0 <= document.exercises.count }.map { $0 - 1 })
            active.answered = active.solved
        }
        let replay = active.commands(before: resumeAt)
        var failures = 0
        for command in replay where SessionState.run(command, on: &fresh, ctx).isError { failures += 1 }
        active.position = resumeAt
        // Exercises before the resume point count as seen.
        for step in active.steps.prefix(resumeAt) {
            if case .exercise(let e, _) = step { active.openExercise = e; active.answered.insert(e) }
        }
        fresh.lesson.active = active
        state = fresh

        let count = active.steps.count
        if resumeAt > 0 {
            lines.append(r.dim("resuming at step \(resumeAt + 1) of \(count): the lesson's first \(replay.count) command\(replay.count == 1 ? "" : "s") ran again to rebuild its network"
                               + (failures > 0 ? " (\(failures) failed)" : "")))
        } else {
            lines.append(r.dim("\(count) steps, \(document.exercises.count) exercise\(document.exercises.count == 1 ? "" : "s"); "
                               + "the session starts from the classic example; next moves on"
                               + (saved?.done == true && !restart ? " (you finished this lesson before: it starts again)" : "")))
        }
        lines.append("")
        lines += advance(&state, ctx)
        return (lines + save(&state, r)).joined(separator: "\n")
    }

    /// Shows the next step: runs a pending command first, then shows one paragraph (and
    /// offers the command after it) or one exercise.
    static func advance(_ state: inout SessionState, _ ctx: Context) -> [String] {
        let r = ctx.render
        guard var active = state.lesson.active else { return [] }
        var lines: [String] = []
        if active.finished {
            return [finishedLine(active, r)]
        }
        if let pending = active.pending {
            active.pending = nil
            state.lesson.active = active
            lines.append(r.dim("(running the lesson's command for you)"))
            lines.append(Transcript.promptPrefix + pending)
            let output = SessionState.run(pending, on: &state, ctx)
            if !output.text.isEmpty { lines.append(output.text) }
            lines.append("")
            active = state.lesson.active ?? active
        }
        var offered: String?
        if active.position < active.steps.count {
            switch active.steps[active.position] {
            case .prose(let text):
                lines += LessonText.render(text, r)
                active.position += 1
                if active.position < active.steps.count, case .command(let command) = active.steps[active.position] {
                    offered = command
                    active.position += 1
                }
            case .command(let command):
                offered = command
                active.position += 1
            case .exercise(let index, let intro):
                if let intro { lines += LessonText.render(intro, r) }
                active.openExercise = index
                active.wrongAnswers = 0
                lines += exerciseLines(active.document.exercises[index], r)
                active.position += 1
            }
        }
        if let offered {
            active.pending = offered
            state.lesson.offerSerial += 1
            if lines.last?.isEmpty == false { lines.append("") }
            lines.append(offerLine(offered, r))
        }
        if active.position >= active.steps.count && active.pending == nil {
            active.finished = true
            if lines.last?.isEmpty == false { lines.append("") }
            lines.append(finishedLine(active, r))
        }
        state.lesson.active = active
        return lines
    }

    /// "▶ forward   Enter runs it …".
    static func offerLine(_ command: String, _ r: Renderer) -> String {
        r.value((r.n.unicode ? "▶ " : "> ") + command) + r.dim("   Enter runs it (edit it first if you like); next moves on")
    }

    static func finishedLine(_ active: ActiveLesson, _ r: Renderer) -> String {
        let exercises = active.document.exercises.count
        var line = r.good("end of lesson \(active.number)")
            + " (\(active.solved.count) of \(exercises) exercise\(exercises == 1 ? "" : "s") right)"
        if let next = active.nextLesson { line += ": lesson \(next) is next" }
        return line
    }

    static func exerciseLines(_ exercise: Exercise, _ r: Renderer) -> [String] {
        LessonText.render(exercise.question.split(separator: "\n", omittingEmptySubsequences: false)
                            .map { "> " + $0 }.joined(separator: "\n"), r)
            + [r.dim("answer VALUE checks it (within \(exercise.tolerance.description)); answer hint; answer show")]
    }

    /// What the shell computes for the exercise on the learner's network (the stated
    /// answer when the command cannot run).
    static func computedAnswer(_ exercise: Exercise, _ state: SessionState) -> Double {
        let output = SessionState.peek(exercise.command, on: state)
        guard !output.isError, let value = exercise.value(fromOutput: output.text) else { return exercise.answer }
        return value
    }

    /// Saves the progress of the active lesson; a note when the file cannot be written
    /// (once per session).
    static func save(_ state: inout SessionState, _ r: Renderer) -> [String] {
        guard let active = state.lesson.active, !state.lesson.progressDisabled else { return [] }
        let file = state.lesson.resolvedProgressFile
        var progress = LessonProgress.load(file)
        progress.current = active.document.name
        var entry = active.progress
        if let old = progress.lessons[active.document.name] {
            entry.solved = Array(Set(old.solved).union(entry.solved)).sorted()
        }
        progress.lessons[active.document.name] = entry
        if let failure = progress.save(file) {
            if state.lesson.reportedSaveFailure { return [] }
            state.lesson.reportedSaveFailure = true
            return [r.dim("(progress is not saved: \(failure))")]
        }
        return []
    }
}
