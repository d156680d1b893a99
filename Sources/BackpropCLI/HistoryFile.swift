import Glibc

/// The history file (~/.backprop_history), read here rather than by libedit: libedit
/// 3.1's H_LOAD reads past its buffer when a line's escapes are broken (a line ending
/// in a backslash; found by the address sanitizer on a corrupt file). Lines are decoded
/// from the format libedit writes with H_SAVE (strvis: \040, \134, \M-x, \M^x, \^x);
/// a line that does not decode, or decodes to something that is not text, is skipped.
enum HistoryFile {
    static let header = "_HiStOrY_V2_"
    /// A larger file is not a history of 1000 lines: it is read as none.
    static let maximumBytes = 4 << 20

    /// The lines of the file at `path`, oldest first; none when it is missing, not a
    /// regular file, too large or not a history file.
    static func lines(at path: String) -> [String] {
        guard let bytes = read(path) else { return [] }
        return lines(in: bytes)
    }

    static func lines(in bytes: [UInt8]) -> [String] {
        var rows = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard let first = rows.first, Array(first) == Array(header.utf8) else { return [] }
        rows.removeFirst()
        return rows.compactMap { decode(Array($0)) }.filter { !$0.isEmpty }
    }

    /// One line unescaped as unvis(3) does; nil when an escape is broken or the result
    /// is not UTF-8 text without NUL.
    static func decode(_ line: [UInt8]) -> String? {
        func control(_ c: UInt8) -> UInt8 { c == UInt8(ascii: "?") ? 0x7F : c & 0x1F }
        var out: [UInt8] = []
        var i = 0
        while i < line.count {
            let c = line[i]
            i += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard i < line.count else { return nil }
            let e = line[i]
            i += 1
            switch e {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(e - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, i < line.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[i]) {
                    value = value * 8 + Int(line[i] - UInt8(ascii: "0"))
                    i += 1
                    digits += 1
                }
                guard value <= 0xFF else { return nil }
                out.append(UInt8(value))
            case UInt8(ascii: "M"):
                guard i + 1 < line.count else { return nil }
                let kind = line[i], char = line[i + 1]
                i += 2
                switch kind {
                case UInt8(ascii: "-"): out.append(char | 0x80)
                case UInt8(ascii: "^"): out.append(control(char) | 0x80)
                default: return nil
                }
            case UInt8(ascii: "^"):
                guard i < line.count else { return nil }
                out.append(control(line[i]))
                i += 1
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "s"): out.append(0x20)
            case UInt8(ascii: "E"): out.append(0x1B)
            case UInt8(ascii: "$"): break  // a hidden marker
            default: return nil
            }
        }
        guard !out.contains(0) else { return nil }
        return String(validating: out, as: UTF8.self)
    }

    /// The bytes of a regular file of at most `maximumBytes`.
    private static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maximumBytes else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= maximumBytes {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return bytes.count <= maximumBytes ? bytes : nil
    }
}
