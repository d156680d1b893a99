import Backprop

/// record FILE [title="…"] … record stop: write what is typed and shown as a lesson.
enum RecordCommand {
    static let record = Command(
        name: "record",
        usage: "record FILE [title=\"…\"]  |  record stop  |  record",
        summary: "write everything typed and shown from now on as a lesson file, until record stop",
        details: """
        The file is Markdown in the lesson format (Lessons/README.md): it starts with the
        commands that rebuild the session as it is now, then every command with its output.
        While recording, a line `# text` becomes a paragraph of the lesson, and `#? question`
        turns the next command into an exercise whose answer is the last number it prints.
        The file is written after every line; record stop ends the recording, and the file
        passes the lesson checker as it is. record alone tells whether a recording runs.
        """,
        example: "record 16-my-lesson.md title=\"My lesson\"",
        options: ["title"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...1, usage: "record FILE [title=\"…\"] | record stop")
            try args.expectNoAssignment(usage: "record FILE | record stop")
            guard let word = args.word(0) else {
                guard let recorder = state.recorder else { return "not recording: record FILE starts" }
                return "recording to \(recorder.path): \(summary(recorder)) so far; record stop ends it"
            }
            if word.lowercased() == "stop" && args.options["title"] == nil {
                guard var recorder = state.recorder else {
                    throw ShellError("nothing is being recorded: record FILE starts a recording")
                }
                let written = recorder.write()
                state.recorder = nil
                guard written else {
                    throw ShellError("the recording could not be written: \(recorder.writeError ?? "unknown error")")
                }
                var lines = ["recorded \(summary(recorder)) in \(recorder.path): a lesson as it is (Lessons/NN-topic.md)"]
                if !recorder.skipped.isEmpty {
                    lines.append("left out (a lesson cannot hold them): " + recorder.skipped.joined(separator: ", "))
                }
                if recorder.exerciseCount == 0 {
                    lines.append(ctx.render.dim("no exercise: a line #? QUESTION before a command makes its last number one "
                                                + "(the course's lessons have at least one)"))
                }
                let files = recorder.items.compactMap { item -> String? in
                    guard case .command(let line, _, _) = item else { return nil }
                    let word = line.split(separator: " ").first.map { $0.lowercased() } ?? ""
                    return ["save", "load", "export", "plot"].contains(word) || line.hasPrefix("data load") ? line : nil
                }
                if !files.isEmpty {
                    lines.append(ctx.render.dim("these read or write files, which must be there when the lesson runs: "
                                                + files.joined(separator: ", ")))
                }
                return lines.joined(separator: "\n")
            }
            if let recorder = state.recorder {
                throw ShellError("already recording to \(recorder.path): record stop ends it first")
            }
            let title = args.options["title"]?.text ?? LessonRecorder.title(fromPath: word)
            guard !title.contains("\n") else { throw ShellError("title= must be one line") }
            // The lesson starts from a fresh session: stepping starts from z⁽¹⁾ and the
            // training curve anew, and the pass is computed as the first block's forward does.
            state.stepIndex = 0
            state.trainingLog = []
            _ = try? state.forward()
            let (setup, problems) = LessonRecorder.setup(for: state)
            var recorder = LessonRecorder(path: word, title: title, setup: setup)
            try PlainText.errors(ctx.render) { () throws(ShellError) in
                try LessonRecorder.write(recorder.markdown(), to: word)
            }
            recorder.writeError = nil
            state.recorder = recorder
            var lines = ["recording to \(word) (\"\(title)\"): every command and its output from now on; record stop ends it",
                         ctx.render.dim("# TEXT adds a paragraph; #? QUESTION makes the next command an exercise")]
            if setup.count > 1 {
                lines.append(ctx.render.dim("the lesson starts with \(setup.count) commands that rebuild this session: "
                                            + setup.map(\.line).prefix(6).joined(separator: ", ")
                                            + (setup.count > 6 ? ", …" : "")))
            }
            for problem in problems { lines.append(ctx.render.bad("warning:") + " " + problem) }
            return lines.joined(separator: "\n")
        },
        complete: { state, given, partial in
            if given.isEmpty {
                return state.recorder == nil ? Complete.paths(partial) : Complete.matching(["stop"], partial)
            }
            return given.count == 1 && state.recorder == nil ? Complete.matching(["title="], partial) : []
        }
    )

    static func summary(_ recorder: LessonRecorder) -> String {
        let commands = recorder.commandCount
        let paragraphs = recorder.items.filter { if case .prose = $0 { return true } else { return false } }.count
        let exercises = recorder.exerciseCount
        return "\(commands) command\(commands == 1 ? "" : "s"), \(paragraphs) paragraph\(paragraphs == 1 ? "" : "s"), "
            + "\(exercises) exercise\(exercises == 1 ? "" : "s")"
    }
}
