import BackpropShell
import Glibc

/// The interactive shell: welcome, then prompt, execute, print, until quit or Ctrl-D.
struct InteractiveShell {
    let session: Session
    /// Where long commands show their progress (the session's progressHandler draws it).
    let progress: ProgressLine

    /// Returns the exit status. (SIGTERM and SIGHUP end the process from their handler.)
    func run() -> Int32 {
        let session = self.session
        Signals.install(cancel: session.cancel)
        guard let editor = LineEditor(
            programName: "backprop", prompt: session.prompt, color: session.style.color,
            historyPath: Terminal.historyPath, complete: { session.completions(for: $0) })
        else {
            return ScriptRunner(session: session, name: "<stdin>", progress: progress).run(backpropStdin)
        }
        Console.line(session.welcome)
        loop: while true {
            editor.prompt = session.prompt  // both may change: lessons, `set color`
            editor.color = session.style.color
            switch editor.readLine(prefill: session.suggestedInput) {
            case .line(let line):
                guard !line.trimmingWhitespace.isEmpty else { continue }
                editor.addToHistory(line.trimmingWhitespace)
                session.cancel.clear()
                if let (presentation, start) = session.presentation(for: line, width: PresentMode.terminalSize().width) {
                    PresentMode.run(session, line: line, start: start, presentation)
                    continue
                }
                let output = session.execute(line)
                progress.clear()
                if output.clearScreen { Console.out("\u{1B}[H\u{1B}[2J") }
                if !output.text.isEmpty {
                    Console.line(output.isError ? paintedError(output.text) : output.text)
                }
                Console.flush()
                if output.quit { break loop }
            case .interrupted:
                continue
            case .endOfInput:
                break loop
            }
        }
        editor.close()
        return 0
    }

    /// Errors in red when colour is on, unless the shell already coloured them.
    private func paintedError(_ text: String) -> String {
        guard session.style.color, !text.contains("\u{1B}[") else { return text }
        return "\u{1B}[31m" + text + "\u{1B}[0m"
    }
}
