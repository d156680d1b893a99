import CLibEdit
import Glibc

/// One line at a time from the terminal, through libedit's native API: emacs keys, a
/// prompt from a callback, history kept in a file, Tab completion.
final class LineEditor {
    enum Event: Equatable {
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    /// The text shown before each line.
    var prompt: String {
        didSet { if prompt != oldValue { updatePromptBuffer() } }
    }
    /// Whether the prompt is drawn in bold.
    var color: Bool {
        didSet { if color != oldValue { updatePromptBuffer() } }
    }
    private let historyPath: String?
    /// Completions of the last word of the text before the cursor.
    let complete: (String) -> [String]

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    /// libedit keeps the prompt's pointer past the callback: the text lives here.
    private var promptBuffer: UnsafeMutablePointer<CChar>
    private var isClosed = false

    /// The escape that hides colour codes from libedit's width count (EL_PROMPT_ESC).
    private static let promptEscape: Character = "\u{1}"

    /// Nil when libedit cannot start (no terminal); call `Terminal.setUpLocale` first.
    init?(programName: String, prompt: String, color: Bool, historyPath: String?,
          complete: @escaping (String) -> [String]) {
        guard let editLine = el_init(programName, backprop_stdin(), backprop_stdout(), backprop_stderr())
        else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.prompt = prompt
        self.color = color
        self.historyPath = historyPath
        self.complete = complete
        promptBuffer = strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        updatePromptBuffer()

        backprop_history_set_size(history, 1000)
        backprop_history_set_unique(history, 1)
        if let historyPath {
            // Not libedit's H_LOAD, which reads out of bounds on a corrupt file; a
            // missing or bad file is no history.
            for line in HistoryFile.lines(at: historyPath) { _ = backprop_history_enter(history, line) }
        }

        backprop_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        backprop_el_set_editor(editLine, "emacs")
        backprop_el_set_signal(editLine, 1)
        backprop_el_set_history(editLine, history)
        backprop_el_set_prompt(editLine, promptCallback, CChar(Self.promptEscape.asciiValue!))
        backprop_el_add_function(editLine, "backprop-complete", "complete the word before the cursor",
                                 completeCallback)
        backprop_el_bind(editLine, "^I", "backprop-complete")
        // The user's ~/.editrc, if any, unless libedit would crash on it.
        if let editrc = EditRC.path, EditRC.isSafe(editrc) { el_source(editLine, editrc) }
    }

    /// Waits for the next line; the terminal is raw only during this call. `prefill`
    /// is put on the line as if typed, ready to run with Enter or to edit.
    func readLine(prefill: String? = nil) -> Event {
        if let prefill, !prefill.isEmpty { el_push(editLine, prefill) }
        while true {
            var count: Int32 = 0
            Signals.inEditor.store(true, ordering: .relaxed)
            errno = 0
            let text = el_gets(editLine, &count)
            let error = errno
            Signals.inEditor.store(false, ordering: .relaxed)

            if let text, count > 0 {
                var line = String(cString: text)  // libedit's buffer: copy at once
                while line.last == "\n" || line.last == "\r\n" || line.last == "\r" { line.removeLast() }
                return .line(line)
            }
            if count < 0 && error == EINTR {
                // Ctrl-C drops the line; another signal (resize, resume) keeps editing.
                guard Signals.takeInterrupt() else { continue }
                Console.line("")
                return .interrupted
            }
            Console.line("")  // Ctrl-D prints no newline of its own
            return .endOfInput
        }
    }

    /// Remembers a line for Up and Down and writes the history file at once, so a
    /// killed or crashed session keeps it. A file that cannot be written is no error.
    func addToHistory(_ line: String) {
        backprop_history_enter(history, line)
        saveHistory()
    }

    /// Puts the terminal back and saves the history; the editor is unusable after it.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        saveHistory()
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    private func saveHistory() {
        guard let historyPath else { return }
        _ = backprop_history_save(history, historyPath)
    }

    private func updatePromptBuffer() {
        let text = color ? Self.bold(prompt) : prompt
        guard let copy = strdup(text) else { return }
        free(promptBuffer)
        promptBuffer = copy
    }

    /// The prompt in bold. Each hidden escape sequence sits between two \u{1} and has
    /// a visible character after it, as libedit needs.
    private static func bold(_ prompt: String) -> String {
        guard let last = prompt.last else { return prompt }
        let escape = String(promptEscape)
        return escape + "\u{1B}[1m" + escape + prompt.dropLast() + escape + "\u{1B}[0m" + escape + String(last)
    }

    fileprivate func currentPrompt() -> UnsafeMutablePointer<CChar> {
        promptBuffer
    }

    /// Tab: completes the word before the cursor, or lists the choices below the line.
    fileprivate func completeAtCursor() -> UInt8 {
        guard let info = el_line(editLine), let buffer = info.pointee.buffer, let cursor = info.pointee.cursor
        else { return UInt8(CC_ERROR) }
        let length = max(0, buffer.distance(to: cursor))  // the buffer is not NUL-terminated
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
        let edit = Completion.edit(lineBeforeCursor: before, candidates: complete(before))

        if edit.deleteCount > 0 { el_deletestr(editLine, Int32(edit.deleteCount)) }
        if !edit.insertion.isEmpty && el_insertstr(editLine, edit.insertion) != 0 {
            return UInt8(CC_ERROR)
        }
        if !edit.choices.isEmpty {
            let width = Int(backprop_terminal_columns(1))
            Console.out("\n" + Completion.columns(edit.choices, width: width) + "\n")
            Console.flush()
            return UInt8(CC_REDISPLAY)
        }
        if edit.isEmpty { return UInt8(CC_REFRESH_BEEP) }
        return UInt8(CC_REFRESH)
    }

    fileprivate static func from(_ editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = backprop_el_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }
}

// libedit's callbacks: capture-less C functions that find the editor through
// EL_CLIENTDATA. A trap here would leave the terminal raw, so none may trap.

private let promptCallback: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = { editLine in
    LineEditor.from(editLine)?.currentPrompt()
}

private let completeCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
    LineEditor.from(editLine)?.completeAtCursor() ?? UInt8(CC_ERROR)
}
