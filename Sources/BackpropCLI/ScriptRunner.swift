import BackpropShell
import CLibEdit
import Glibc

/// Runs commands read from a file or a pipe: each command is echoed after the prompt
/// with its output; the first failing one stops the run.
struct ScriptRunner {
    let session: Session
    /// The name in error messages: the path, or `<stdin>`.
    let name: String
    /// Progress of long commands, when standard output is a terminal.
    var progress: ProgressLine? = nil

    /// Runs every line of `input`; returns the exit status (0, or 1 after a failure).
    func run(_ input: UnsafeMutablePointer<FILE>) -> Int32 {
        var lineNumber = 0
        var line: [UInt8] = []
        while true {
            guard let complete = Self.readLine(input, into: &line) else { break }
            lineNumber += 1
            guard complete else {
                // No end of line within the limit (a binary file, /dev/zero): stop here,
                // before the line takes all the memory there is.
                Console.error("\(name):\(lineNumber): error: the line is longer than \(Self.maximumLineBytes / 1_048_576) MB: "
                              + "a script holds one command per line")
                return 1
            }
            // All the bytes of the line (a NUL inside it included), checked as UTF-8
            // rather than repaired: a script is refused where its text is broken.
            guard var text = String(validating: line, as: UTF8.self) else {
                Console.line("backprop> " + (Self.command(in: String(decoding: line, as: UTF8.self)) ?? ""))
                Console.error("\(name):\(lineNumber): error: \(line.withUnsafeBytes { Self.invalidUTF8($0) })")
                return 1
            }
            // A byte-order mark some editors put at the start of a file.
            if lineNumber == 1 && text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let line = Self.command(in: text)
            guard let line else { continue }
            switch execute(line, number: lineNumber) {
            case .failed: return 1
            case .quit: return 0
            case .goOn: continue
            }
        }
        if ferror(input) != 0 {
            Console.error("backprop: cannot read \(name): \(String(cString: strerror(errno)))")
            return 1
        }
        return 0
    }

    /// Runs given command lines as a script (for `backprop train`).
    func run(lines: [String]) -> Int32 {
        for (index, line) in lines.enumerated() {
            switch execute(line, number: index + 1) {
            case .failed: return 1
            case .quit: return 0
            case .goOn: continue
            }
        }
        return 0
    }

    private enum Next { case goOn, quit, failed }

    /// Echoes one command, runs it and prints its output (an error as NAME:LINE: …).
    private func execute(_ line: String, number: Int) -> Next {
        Console.line("backprop> " + line)
        session.cancel.clear()
        let output = session.execute(line)
        progress?.clear()
        if output.isError {
            Console.error("\(name):\(number): \(output.text)")
            return .failed
        }
        if !output.text.isEmpty { Console.line(output.text) }
        return output.quit ? .quit : .goOn
    }

    /// The longest line a script may have; the shell refuses lines of more than 100 000
    /// bytes with its own message.
    static let maximumLineBytes = 1_048_576

    /// Reads the next line into `line` (without its "\n"): true for a whole line, false
    /// when it reached `maximumLineBytes` without ending, nil at the end of the input.
    static func readLine(_ input: UnsafeMutablePointer<FILE>, into line: inout [UInt8]) -> Bool? {
        line.removeAll(keepingCapacity: true)
        var any = false
        while true {
            let c = getc(input)
            if c == EOF { return any ? true : nil }
            any = true
            if c == 0x0A { return true }
            if line.count >= maximumLineBytes { return false }
            line.append(UInt8(truncatingIfNeeded: c))
        }
    }

    /// "the line is not UTF-8 text (byte 0xFF at byte 9)".
    static func invalidUTF8(_ bytes: UnsafeRawBufferPointer) -> String {
        // Decode scalar by scalar up to the first bad sequence.
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: break decoding
            }
        }
        let bad = offset < bytes.count ? bytes[offset] : 0
        let hex = String(bad, radix: 16, uppercase: true)
        return "the line is not UTF-8 text (byte 0x\(hex.count == 1 ? "0" + hex : hex) at byte \(offset + 1)); save the script as UTF-8"
    }

    /// The command on a script line, or nil for a blank line or a `#` comment.
    static func command(in rawLine: String) -> String? {
        let line = rawLine.trimmingWhitespace
        if line.isEmpty || line.hasPrefix("#") { return nil }
        return line
    }

    /// Runs the script at `path`; a file that cannot be read is reported and exits 1.
    static func run(path: String, session: Session, progress: ProgressLine?) -> Int32 {
        guard let file = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            Console.error("backprop: cannot read \(path): \(reason)")
            return 1
        }
        defer { fclose(file) }
        return ScriptRunner(session: session, name: path, progress: progress).run(file)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line ends.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
