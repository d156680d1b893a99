import Glibc

/// The user's libedit settings (~/.editrc, or $EDITRC), handed to libedit only when
/// every line tokenizes: libedit 3.1's el_source reads through a wild pointer on a line
/// with an unbalanced quote (a lone ' crashed the shell at start-up; found with the
/// address sanitizer). A file that does not pass is skipped, as if it were not there.
enum EditRC {
    /// The file libedit would read: $EDITRC, else $HOME/.editrc.
    static var path: String? {
        if let value = getenv("EDITRC"), value.pointee != 0 { return String(cString: value) }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home.hasSuffix("/") ? home + ".editrc" : home + "/.editrc"
    }

    /// Whether libedit may read the file: a regular file of at most 1 MB of UTF-8 text
    /// without NUL whose every line has its quotes closed and no trailing backslash.
    static func isSafe(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 1 << 20 else { return false }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        return isSafe(bytes: Array(bytes[0..<count]))
    }

    static func isSafe(bytes: [UInt8]) -> Bool {
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else { return false }
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).allSatisfy { tokenizes(Array($0)) }
    }

    /// The quoting of libedit's tokenizer: outside quotes a backslash escapes the next
    /// character, '…' is literal, "…" allows backslash escapes. A line must end outside
    /// quotes and not with a lone backslash.
    static func tokenizes(_ line: [UInt8]) -> Bool {
        enum Quote { case none, single, double }
        var quote = Quote.none
        var i = 0
        while i < line.count {
            let c = line[i]
            switch quote {
            case .none:
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < line.count else { return false }
                    i += 1
                } else if c == UInt8(ascii: "'") {
                    quote = .single
                } else if c == UInt8(ascii: "\"") {
                    quote = .double
                }
            case .single:
                if c == UInt8(ascii: "'") { quote = .none }
            case .double:
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < line.count else { return false }
                    i += 1
                } else if c == UInt8(ascii: "\"") {
                    quote = .none
                }
            }
            i += 1
        }
        return quote == .none
    }
}
