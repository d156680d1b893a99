import BackpropShell
import Glibc

/// Present mode on the terminal: the alternate screen, one slide per key press, the
/// screen cleared and drawn again for each, and back to the shell (its screen as it
/// was) on q. The slides themselves come from the shell (`Session.presentation`).
enum PresentMode {
    /// Runs the slideshow from slide `start`; returns when the presenter quits.
    /// (SIGTERM and SIGHUP end the process from their handler, off the alternate screen.)
    static func run(_ session: Session, line: String, start: Int, _ presentation: Presentation) {
        guard let keys = RawKeys() else { return }
        defer { keys.restore() }
        // A resize interrupts the wait for a key, so the slide is drawn again to fit.
        var previousResize = sigaction()
        var onResize = sigaction()
        onResize.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&onResize.sa_mask)
        onResize.sa_flags = 0
        sigaction(SIGWINCH, &onResize, &previousResize)
        defer { sigaction(SIGWINCH, &previousResize, nil) }
        var presentation = presentation
        var index = start
        var size = terminalSize()
        // The alternate screen keeps the shell's scrollback; the cursor is hidden.
        // The flag is up while the alternate screen may be on, so SIGTERM's handler
        // can take the terminal off it.
        Signals.onAlternateScreen.store(true, ordering: .relaxed)
        Console.out("\u{1B}[?1049h\u{1B}[?25l")
        defer {
            Console.out("\u{1B}[?25h\u{1B}[?1049l")
            Console.flush()
            Signals.onAlternateScreen.store(false, ordering: .relaxed)
        }
        while true {
            draw(presentation.screen(index, width: size.width, height: size.height))
            switch keys.next() {
            case .next: index = min(index + 1, presentation.slides.count - 1)
            case .previous: index = max(index - 1, 0)
            case .first: index = 0
            case .last: index = presentation.slides.count - 1
            case .quit: return
            case .redraw:
                let now = terminalSize()
                if now != size, let again = session.presentation(for: line, width: now.width) {
                    presentation = again.presentation
                }
                size = now
            case .other: continue
            }
        }
    }

    /// Clears the screen and writes the lines from the top left.
    private static func draw(_ lines: [String]) {
        Console.out("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n"))
        Console.flush()
    }

    struct Size: Equatable {
        var width: Int
        var height: Int
    }

    /// The terminal's size, 80 × 24 when it cannot be read.
    static func terminalSize() -> Size {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else {
            return Size(width: 80, height: 24)
        }
        return Size(width: Int(size.ws_col), height: Int(size.ws_row))
    }
}
