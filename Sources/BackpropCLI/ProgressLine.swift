import CLibEdit

/// The session's one-line status during long commands, drawn in place on a terminal
/// and wiped before the command's output.
final class ProgressLine {
    private var isShown = false

    func draw(_ status: String) {
        let width = max(1, Int(backprop_terminal_columns(1)) - 1)  // never wrap: \r must reach its start
        let line = status.split(separator: "\n").last.map(String.init) ?? ""
        Console.out("\r\u{1B}[K" + String(line.prefix(width)))
        Console.flush()
        isShown = true
    }

    func clear() {
        guard isShown else { return }
        Console.out("\r\u{1B}[K")
        Console.flush()
        isShown = false
    }
}
