import Glibc

/// Single key presses from the terminal: standard input switched to non-canonical mode
/// without echo (and without signals, so Ctrl-C arrives as a key) for as long as the
/// value lives; `restore` puts the terminal back as it was.
final class RawKeys {
    enum Key: Equatable {
        case next, previous, first, last, quit
        /// The terminal was resized, or a signal interrupted the wait: draw again.
        case redraw
        case other
    }

    private var saved = termios()
    private var isRaw = false

    /// Nil when standard input is not a terminal.
    init?() {
        guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(0, TCSAFLUSH, &raw) == 0 else { return nil }
        isRaw = true
    }

    deinit { restore() }

    func restore() {
        guard isRaw else { return }
        isRaw = false
        tcsetattr(0, TCSAFLUSH, &saved)
    }

    /// Waits for the next key. A signal (a resize) ends the wait.
    func next() -> Key {
        Signals.inEditor.store(true, ordering: .relaxed)
        defer { Signals.inEditor.store(false, ordering: .relaxed) }
        guard let byte = readByte(timeout: -1) else {
            return errno == EINTR ? .redraw : .quit
        }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "n"), UInt8(ascii: "j"),
             UInt8(ascii: "l"):
            return .next
        case 0x7F, 0x08, UInt8(ascii: "p"), UInt8(ascii: "k"), UInt8(ascii: "h"), UInt8(ascii: "b"):
            return .previous
        case UInt8(ascii: "g"), UInt8(ascii: "0"):
            return .first
        case UInt8(ascii: "G"), UInt8(ascii: "$"):
            return .last
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x03, 0x04:  // q, Ctrl-C, Ctrl-D
            return .quit
        case 0x0C:  // Ctrl-L
            return .redraw
        case 0x1B:
            return escapeSequence()
        default:
            return .other
        }
    }

    /// After ESC: an arrow or paging key (ESC [ C, ESC O C, ESC [ 5 ~ …), or Esc alone.
    private func escapeSequence() -> Key {
        guard let introducer = readByte(timeout: 50) else { return .quit }  // Esc alone
        guard introducer == UInt8(ascii: "[") || introducer == UInt8(ascii: "O") else { return .other }
        var parameters: [UInt8] = []
        while let byte = readByte(timeout: 50) {
            if (0x40...0x7E).contains(byte) {
                switch (byte, parameters) {
                case (UInt8(ascii: "C"), _), (UInt8(ascii: "B"), _): return .next
                case (UInt8(ascii: "D"), _), (UInt8(ascii: "A"), _): return .previous
                case (UInt8(ascii: "H"), _): return .first
                case (UInt8(ascii: "F"), _): return .last
                case (UInt8(ascii: "~"), [UInt8(ascii: "5")]): return .previous
                case (UInt8(ascii: "~"), [UInt8(ascii: "6")]): return .next
                case (UInt8(ascii: "~"), [UInt8(ascii: "1")]), (UInt8(ascii: "~"), [UInt8(ascii: "7")]): return .first
                case (UInt8(ascii: "~"), [UInt8(ascii: "4")]), (UInt8(ascii: "~"), [UInt8(ascii: "8")]): return .last
                default: return .other
                }
            }
            parameters.append(byte)
            if parameters.count > 8 { break }
        }
        return .other
    }

    /// One byte, waiting at most `timeout` milliseconds (-1: for ever); nil on a
    /// timeout, at the end of input, or when a signal interrupts the wait.
    private func readByte(timeout: Int32) -> UInt8? {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeout)
        guard ready > 0 else { return nil }
        var byte: UInt8 = 0
        let count = read(0, &byte, 1)
        guard count == 1 else {
            if count == 0 { errno = 0 }
            return nil
        }
        return byte
    }
}
