import Glibc

/// The facts about the terminal and the locale that decide how the shell looks.
enum Terminal {
    /// Interactive means both standard input and standard output are terminals.
    static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// Takes LC_CTYPE from the environment and tells whether its codeset is UTF-8. When
    /// it is not, switches to C.UTF-8 anyway (libedit drops multibyte input and crashes
    /// on a non-ASCII prompt in the C locale); the caller then uses ASCII notation.
    static func setUpLocale() -> Bool {
        setlocale(LC_CTYPE, "")
        if codesetIsUTF8 { return true }
        setlocale(LC_CTYPE, "C.UTF-8")
        return false
    }

    private static var codesetIsUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Colour only on a terminal, never with --no-color or a non-empty NO_COLOR
    /// (https://no-color.org).
    static func wantsColor(interactive: Bool, noColorFlag: Bool) -> Bool {
        guard interactive, !noColorFlag else { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return true
    }

    /// Where the history lives across sessions: ~/.backprop_history, or nowhere when
    /// there is no home directory.
    static var historyPath: String? {
        var home = getenv("HOME").map { String(cString: $0) }
        if home?.isEmpty ?? true, let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        }
        guard let home, !home.isEmpty else { return nil }
        return home.hasSuffix("/") ? home + ".backprop_history" : home + "/.backprop_history"
    }
}
