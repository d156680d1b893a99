/// The shell's one list of commands, in the order `help` shows them.
enum CommandTable {
    static let all: [Command] = [
        NetworkCommands.net, NetworkCommands.act, NetworkCommands.theta, NetworkCommands.bias,
        NetworkCommands.initialize,
        SampleCommands.x, SampleCommands.y,
        PassCommands.forward, PassCommands.backward, StepCommand.step, PresentCommand.present,
        ShowCommand.show, ExplainCommand.explain,
        CheckCommand.check, UpdateCommand.update,
        DataCommands.data, DataCommands.split, DataCommands.sample,
        TrainCommands.train, TrainCommands.eval, TrainCommands.predict, PlotCommand.plot,
        FileCommands.save, FileCommands.load, ExportCommand.export, RecordCommand.record,
        LessonCommands.lesson, LessonCommands.next, LessonCommands.answer,
        SettingsCommands.set, HelpCommand.help, SettingsCommands.history, SettingsCommands.reset,
        SettingsCommands.clear, SettingsCommands.quit,
    ]

    static let names = all.map(\.name)

    static func command(named name: String) -> Command? {
        all.first { $0.name == name }
    }

    /// "unknown command 'fowrard' — did you mean forward?"
    static func unknown(_ word: String) -> String {
        let lower = word.lowercased()
        let best = names.map { ($0, editDistance(lower, $0)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= max(1, min(2, best.0.count / 3)) {
            return "unknown command '\(word)' — did you mean \(best.0)?"
        }
        return "unknown command '\(word)'; type help for the list"
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
