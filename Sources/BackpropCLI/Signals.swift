import Backprop
import Glibc
import Synchronization

/// Signal handling for the interactive shell. The handlers only store into atomics
/// and restore the saved terminal settings (tcsetattr is async-signal-safe); the loop
/// does the rest.
///
/// - SIGINT sets the session's cancellation flag. At the prompt libedit's read then
///   fails with EINTR and the line is cancelled; during a command the command polls it.
/// - SIGTERM and SIGHUP end the process at once, from the handler, wherever the shell
///   is: the terminal is put back first (cooked, and off the alternate screen of
///   present mode), then the signal's default action ends it. The handler does not
///   hand the signal to the loop: libedit only sees a signal that interrupts its
///   read(), and one that arrives while it is busy with keys (a paste) would be lost
///   until the next key. Nothing is lost by ending here: the history is written after
///   every line, and saves are atomic.
/// - A crash while the line editor holds the terminal raw puts the terminal back, then
///   hands the signal to the handler that was there before (Swift's backtracer).
enum Signals {
    /// True while `el_gets` has the terminal.
    static let inEditor = Atomic<Bool>(false)
    /// True while present mode shows the alternate screen with the cursor hidden.
    static let onAlternateScreen = Atomic<Bool>(false)

    /// The session's flag; read without retain or release in the handler.
    nonisolated(unsafe) private static var cancelTarget: Unmanaged<CancellationFlag>?
    /// The terminal as it was at start-up (cooked). On the heap: Swift 6.3 lays out a
    /// global `termios()` in 57 bytes (its padding dropped) while tcgetattr writes
    /// C's 60, past its end (found by the address sanitizer).
    nonisolated(unsafe) private static let savedTerminal: UnsafeMutablePointer<termios> = {
        let terminal = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        terminal.initialize(to: termios())
        return terminal
    }()
    nonisolated(unsafe) private static var hasSavedTerminal = false
    /// The actions the crash handlers replace, by signal number.
    nonisolated(unsafe) private static var previousActions =
        UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))

    private static let crashSignals = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT]

    /// Installs the handlers; `cancel` is set on every Ctrl-C.
    static func install(cancel: CancellationFlag) {
        // Initialise every static before a handler can be the first to touch it.
        _ = inEditor.load(ordering: .relaxed)
        _ = onAlternateScreen.load(ordering: .relaxed)
        _ = leaveAlternateScreen.count
        cancelTarget = Unmanaged.passRetained(cancel)
        hasSavedTerminal = tcgetattr(0, savedTerminal) == 0
        previousActions.initialize(repeating: sigaction(), count: Int(NSIG))

        // A parent may hand over a blocked mask (dispatch threads block nearly all);
        // Ctrl-C, resizing and job control must reach the shell and libedit.
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH, SIGCHLD] + crashSignals {
            sigaddset(&mask, signal)
        }
        sigprocmask(SIG_UNBLOCK, &mask, nil)

        setHandler(SIGINT, onInterrupt)
        setHandler(SIGTERM, onTermination)
        setHandler(SIGHUP, onTermination)
        for signal in crashSignals {
            setHandler(signal, onCrash, previous: previousActions + Int(signal))
        }
    }

    /// True once after each Ctrl-C that nobody has cleared yet (it clears the flag).
    static func takeInterrupt() -> Bool {
        guard let target = cancelTarget, target._withUnsafeGuaranteedRef({ $0.isSet }) else { return false }
        target._withUnsafeGuaranteedRef { $0.clear() }
        return true
    }

    /// Ends the process the way `signal` would have, the terminal put back first.
    fileprivate static func die(by signal: Int32) -> Never {
        restoreTerminal()
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
        // Inside a handler the signal is blocked: let it through now.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        _exit(128 + signal)
    }

    fileprivate static func restoreTerminal() {
        if onAlternateScreen.load(ordering: .relaxed) {
            write(1, leaveAlternateScreen.baseAddress, leaveAlternateScreen.count)
        }
        if hasSavedTerminal { tcsetattr(0, TCSANOW, savedTerminal) }
    }

    /// Shows the cursor and leaves the alternate screen; static bytes, for a handler.
    nonisolated(unsafe) private static let leaveAlternateScreen: UnsafeMutableBufferPointer<UInt8> = {
        let bytes = Array("\u{1B}[?25h\u{1B}[?1049l".utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return buffer
    }()

    /// Ends the line the prompt was on (its text stays on the screen).
    fileprivate static func endPromptLine() {
        var newline = UInt8(ascii: "\n")
        write(1, &newline, 1)
    }

    fileprivate static func cancel() {
        cancelTarget?._withUnsafeGuaranteedRef { $0.set() }
    }

    fileprivate static func restorePreviousAction(_ signal: Int32) {
        sigaction(signal, previousActions + Int(signal), nil)
    }

    private static func setHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void,
                                   previous: UnsafeMutablePointer<sigaction>? = nil) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: libedit's read must see EINTR
        sigaction(signal, &action, previous)
    }
}

private let onInterrupt: @convention(c) (Int32) -> Void = { _ in
    Signals.cancel()
}

private let onTermination: @convention(c) (Int32) -> Void = { signal in
    if Signals.inEditor.load(ordering: .relaxed) && !Signals.onAlternateScreen.load(ordering: .relaxed) {
        Signals.endPromptLine()
    }
    Signals.die(by: signal)
}

private let onCrash: @convention(c) (Int32) -> Void = { signal in
    if Signals.inEditor.load(ordering: .relaxed) { Signals.restoreTerminal() }
    Signals.restorePreviousAction(signal)
    // A fault happens again when the handler returns, now reaching the previous
    // handler; abort() and breakpoints do not, so send those again.
    if signal == SIGABRT || signal == SIGTRAP { raise(signal) }
}
