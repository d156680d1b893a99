import Foundation
import Testing

/// Issue 6 through the binary: bytes a script may hold (invalid UTF-8, NUL, a
/// byte-order mark, a 1 MB line), names that once crashed the shell, the history
/// file missing, empty, corrupt or unwritable, and SIGHUP/SIGTERM leaving the terminal
/// as it was.
@Suite("hardening of the backprop binary", .serialized)
struct HardeningTests {
    let prompt = "backprop>"

    static func bytesFile(_ directory: TemporaryDirectory, _ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs backprop with standard input read from the file `stdin` (bytes as they are).
    static func run(stdin path: String) throws -> Backprop.Result {
        let scratch = try TemporaryDirectory()
        let process = Process()
        process.executableURL = try Backprop.executable()
        process.environment = Backprop.environment(home: scratch.url)
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Backprop.Result(status: process.terminationStatus,
                               stdout: try String(contentsOf: outURL, encoding: .utf8),
                               stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    // MARK: the byte path of scripts

    @Test func invalidUTF8StopsTheScriptAtItsLine() throws {
        let directory = try TemporaryDirectory()
        let script = try Self.bytesFile(directory, "latin1.bp",
                                        Array("net 2 2 1\n".utf8) + Array("x = [1 2] # caf".utf8) + [0xE9, 0x0A]
                                            + Array("forward\n".utf8))
        let result = try Backprop.run([script])
        #expect(result.status == 1)
        #expect(result.stderr == "\(script):2: error: the line is not UTF-8 text (byte 0xE9 at byte 16); save the script as UTF-8\n")
        #expect(result.stdout.hasSuffix("backprop> x = [1 2] # caf\u{FFFD}\n"), "\(result.stdout)")
        #expect(!result.stdout.contains("backprop> forward"), "nothing after the bad line runs")
    }

    @Test func invalidUTF8OnStandardInput() throws {
        let directory = try TemporaryDirectory()
        let input = try Self.bytesFile(directory, "input", [0x66, 0x6F, 0xFF, 0x0A, 0x71, 0x75, 0x69, 0x74, 0x0A])
        let result = try Self.run(stdin: input)
        #expect(result.status == 1)
        #expect(result.stderr == "<stdin>:1: error: the line is not UTF-8 text (byte 0xFF at byte 3); save the script as UTF-8\n")
    }

    @Test func aNulByteIsAControlCharacterNotTheEndOfTheLine() throws {
        let directory = try TemporaryDirectory()
        let script = try Self.bytesFile(directory, "nul.bp", Array("x = [1 2]".utf8) + [0] + Array(" rest\nquit\n".utf8))
        let result = try Backprop.run([script])
        #expect(result.status == 1)
        #expect(result.stderr == "\(script):1: error: the line contains a control character (U+0000)\n")
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let script = try Self.bytesFile(directory, "bom.bp", [0xEF, 0xBB, 0xBF] + Array("net 2 2 1\r\nshow x\r\nquit\r\n".utf8))
        let result = try Backprop.run([script])
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("backprop> net 2 2 1\n"))
    }

    @Test func aMegabyteLineIsRefusedAndTheNextLinesDoNotRun() throws {
        let line = "x = [" + String(repeating: "0 ", count: 500_000) + "]"
        let result = try Backprop.run([], input: line + "\nquit\n")
        #expect(result.status == 1)
        #expect(result.stderr == "<stdin>:1: error: the line is 1000006 bytes long; the limit is 100000\n")
    }

    /// A script with no end of line (/dev/zero, a binary file) used to be read whole
    /// into memory by getline before anything was said; it stops at 1 MB.
    @Test func aScriptWithoutLineEndsStopsAtOneMegabyte() throws {
        let zero = try Backprop.run(["/dev/zero"])
        #expect(zero.status == 1)
        #expect(zero.stderr == "/dev/zero:1: error: the line is longer than 1 MB: a script holds one command per line\n")
        let directory = try TemporaryDirectory()
        let long = try directory.file("long.bp", "show x\nx = [" + String(repeating: "1 ", count: 600_000) + "]\nquit\n")
        let result = try Backprop.run([long])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("backprop> show x\n"))
        #expect(result.stderr == "\(long):2: error: the line is longer than 1 MB: a script holds one command per line\n")
    }

    /// Found by fuzzing: Foundation's deletingLastPathComponent traps on a
    /// one-character name, which `save x` and a session file's data lookup used.
    @Test func oneCharacterFileNames() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.file("d", "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
        let script = try directory.file("s.bp", "data load d\nsave m\nload m\nquit\n")
        let result = try Backprop.run([script], in: directory.url)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("m").path))
        // The data file moved away: load warns instead of crashing on the lookup beside "m".
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("d"))
        let again = try Backprop.run([try directory.file("t.bp", "load m\nquit\n")], in: directory.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("warning: the data set was not loaded"), "\(again.stdout)")
    }

    // MARK: the history file


    /// Types a line and waits for the prompt after its output.
    func run(_ tmux: Tmux, _ line: String, expect text: String) throws {
        try tmux.enter(line)
        try tmux.waitFor("\(text) after \(line)") { screen in
            screen.contains(text) && screen.split(separator: "\n").last == "backprop>"
        }
    }

    /// Starts the shell over a history file prepared by `prepare`, runs a command, then
    /// leaves with Ctrl-D: no crash, the session works, the shell ends normally.
    func survivesHistory(_ prepare: (URL) throws -> Void) throws -> (home: TemporaryDirectory, screen: String) {
        let home = try TemporaryDirectory()
        try prepare(home.url.appendingPathComponent(".backprop_history"))
        let tmux = try Tmux.backprop(home: home, after: "echo ENDED; sleep 600")
        try run(tmux, "show x", expect: "x = [ 0.05  0.1 ]")
        try tmux.send("Up")
        try tmux.waitForLastLine("backprop> show x")
        try tmux.send("C-u")
        try tmux.send("C-d")
        let screen = try tmux.waitForLastLine("ENDED")
        return (home, screen)
    }

    @Test func missingHistoryFileIsCreated() throws {
        let (home, _) = try survivesHistory { _ in }
        let saved = try String(contentsOf: home.url.appendingPathComponent(".backprop_history"), encoding: .utf8)
        #expect(saved.contains("show\\040x"), "\(saved)")
    }

    @Test func emptyHistoryFile() throws {
        let (home, _) = try survivesHistory { try Data().write(to: $0) }
        let saved = try String(contentsOf: home.url.appendingPathComponent(".backprop_history"), encoding: .utf8)
        #expect(saved.contains("show\\040x"), "\(saved)")
    }

    @Test func corruptHistoryFile() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // libedit's header, then bytes that are no history at all (no newline for long
        // stretches, invalid UTF-8, NULs, unfinished escapes).
        _ = try survivesHistory { try Data(Array("_HiStOrY_V2_\n".utf8) + noise + Array("\\".utf8)).write(to: $0) }
        _ = try survivesHistory { try Data(noise).write(to: $0) }
    }

    @Test func unwritableHistoryFile() throws {
        // A directory where the file should be: it can be neither read nor written, as
        // root too.
        let (home, screen) = try survivesHistory {
            try FileManager.default.createDirectory(at: $0, withIntermediateDirectories: true)
        }
        #expect(!screen.contains("error"), "\(screen)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: home.url.appendingPathComponent(".backprop_history").path,
                                               isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    // MARK: signals

    /// Ctrl-C during a gradient check of a large network (minutes of work) returns to
    /// the prompt, and the session goes on.
    @Test func controlCStopsACheck() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home, after: "echo ENDED; sleep 600")
        try run(tmux, "net 2 300 300 2", expect: "network 2-300-300-2")
        try run(tmux, "init seed=1", expect: "weights drawn from seed 1")
        try tmux.enter("check")
        usleep(1_000_000)
        try tmux.send("C-c")
        try tmux.waitFor("check's report of the interruption", seconds: 20) { screen in
            screen.contains("check interrupted after") && screen.split(separator: "\n").last == "backprop>"
        }
        try run(tmux, "show x", expect: "x = [ 0.05  0.1 ]")
    }

    /// SIGHUP (the terminal window closed) at the prompt, and SIGTERM during a long
    /// command: the process ends by the signal and the terminal is as it was.
    @Test(arguments: [("HUP", SIGHUP, false), ("TERM", SIGTERM, true)])
    func signalRestoresTheTerminal(_ name: String, _ signal: Int32, _ duringCommand: Bool) throws {
        let home = try TemporaryDirectory()
        let (tmux, files) = try Tmux.backprop(home: home, trapping: name)
        let (pid, status, stty) = (files.pid, files.status, files.stty)
        if duringCommand {
            for (line, output) in [("data xor", "4 training samples"), ("net 2 2 1", "network 2-2-1"),
                                   ("init seed=1", "weights drawn from seed 1")] {
                try run(tmux, line, expect: output)
            }
            try tmux.enter("train epochs=100000000")
            try tmux.waitFor("train's progress line") { $0.split(separator: "\n").last?.contains("epoch") == true }
        } else {
            try tmux.type("half a line")
            try tmux.waitForLastLine("backprop> half a line")  // raw mode now
        }
        let text = try String(contentsOfFile: pid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let processID = try #require(Int32(text))
        #expect(kill(processID, signal) == 0)
        try tmux.waitForLastLine("AFTER", seconds: 20)
        let settings = try String(contentsOfFile: stty, encoding: .utf8)
        let flags = Set(settings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
            #expect(flags.contains(flag) && !flags.contains("-" + flag), "\(flag) is off after SIG\(name):\n\(settings)")
        }
        let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == "exit=\(128 + signal)")
    }
}
