import Foundation
import Testing

/// The shell on a real terminal, driven through tmux: line editing, completion,
/// history, Ctrl-C, Ctrl-D, and the terminal left as it was found.
@Suite("the interactive shell in tmux", .serialized)
struct InteractiveTests {
    let prompt = "backprop>"


    @Test func tabCompletesACommand() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        let welcome = try tmux.screen()
        #expect(welcome.contains("Backprop"), "the welcome line: \(welcome)")

        try tmux.type("hel")
        try tmux.waitForLastLine("backprop> hel")
        try tmux.send("Tab")
        try tmux.waitForLastLine("backprop> help")
        try tmux.type("X")  // a space came with the word
        try tmux.waitForLastLine("backprop> help X")
    }

    @Test func upRecallsThePreviousLineAlsoInTheNextSession() throws {
        let home = try TemporaryDirectory()
        do {
            let tmux = try Tmux.backprop(home: home, after: "echo ENDED; sleep 600")
            try tmux.enter("frobnicate 42")
            try tmux.waitFor("a new prompt after the command") {
                $0.split(separator: "\n").filter { $0.hasPrefix(prompt) }.count >= 2
                    && $0.split(separator: "\n").last == "backprop>"
            }
            try tmux.send("Up")
            try tmux.waitForLastLine("backprop> frobnicate 42")
            tmux.settle()
            try tmux.send("C-c")
            try tmux.waitForLastLine(prompt)
            try tmux.send("C-d")
            try tmux.waitForLastLine("ENDED")
        }
        let history = home.url.appendingPathComponent(".backprop_history")
        let saved = (try? String(contentsOf: history, encoding: .utf8)) ?? ""
        // libedit's own format: a header, then each line with spaces escaped as \040.
        #expect(saved.hasPrefix("_HiStOrY_V2_\n"), "history file: \(saved)")
        #expect(saved.contains("frobnicate\\04042"), "history file: \(saved)")

        let again = try Tmux.backprop(home: home)
        try again.send("Up")
        try again.waitForLastLine("backprop> frobnicate 42")
    }

    @Test func clearClearsTheScreen() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        try tmux.enter("forward")
        try tmux.waitFor("J after forward") { $0.contains("J = ") }
        try tmux.enter("clear")
        let screen = try tmux.waitFor("only the prompt on the screen") { $0 == prompt }
        #expect(screen == prompt)
        try tmux.send("Up")  // the session and its history are kept
        try tmux.waitForLastLine("backprop> clear")
    }

    @Test func controlCCancelsTheLineBeingTyped() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        try tmux.type("échelle ⁽¹⁾")  // UTF-8 input shows as typed
        try tmux.waitForLastLine("backprop> échelle ⁽¹⁾")
        tmux.settle()
        try tmux.send("C-c")
        let screen = try tmux.waitForLastLine(prompt)
        let lines = screen.split(separator: "\n")
        #expect(lines.dropLast().last == "backprop> échelle ⁽¹⁾", "the cancelled line stays above: \(screen)")
        try tmux.type("xyz")
        try tmux.waitForLastLine("backprop> xyz")
    }

    @Test func controlCStopsALongCommand() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        for line in ["data xor", "net 2 2 1", "init seed=1"] {
            try tmux.enter(line)
        }
        try tmux.waitForLastLine(prompt)
        try tmux.enter("train epochs=100000000")  // hours, unless Ctrl-C stops it
        try tmux.waitFor("train's progress line") { $0.split(separator: "\n").last?.contains("epoch") == true }
        try tmux.send("C-c")
        let screen = try tmux.waitForLastLine(prompt, seconds: 20)
        #expect(screen.contains("backprop> train epochs=100000000"))
        try tmux.type("xyz")  // the shell goes on
        try tmux.waitForLastLine("backprop> xyz")
    }

    @Test func controlDLeavesWithTheTerminalSane() throws {
        let home = try TemporaryDirectory()
        let status = home.url.appendingPathComponent("status").path
        let stty = home.url.appendingPathComponent("stty").path
        let tmux = try Tmux.backprop(home: home, after: "echo exit=$? > \(shellQuoted(status)); "
                             + "stty -a > \(shellQuoted(stty)).tmp; mv \(shellQuoted(stty)).tmp \(shellQuoted(stty)); "
                             + "echo AFTER; sleep 600")
        try tmux.type("abc")
        try tmux.send("C-u")  // emacs: kill the line
        try tmux.waitForLastLine(prompt)
        try tmux.send("C-d")
        let screen = try tmux.waitForLastLine("AFTER")
        let lines = screen.split(separator: "\n")
        #expect(lines.dropLast().last?.hasPrefix(prompt) == true, "Ctrl-D ends the prompt's line: \(screen)")
        try expectSaneTerminal(stty: stty, status: status, expectedStatus: "exit=0")
    }

    @Test func sigtermAtThePromptRestoresTheTerminal() throws {
        let home = try TemporaryDirectory()
        // libedit passes the signal on to the whole process group: bash traps it.
        let (tmux, files) = try Tmux.backprop(home: home, trapping: "TERM")
        let (pid, status, stty) = (files.pid, files.status, files.stty)
        try tmux.type("half a line")
        try tmux.waitForLastLine("backprop> half a line")  // the terminal is raw now
        let text = try String(contentsOfFile: pid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let processID = try #require(Int32(text))
        #expect(kill(processID, SIGTERM) == 0)
        try tmux.waitForLastLine("AFTER")
        try expectSaneTerminal(stty: stty, status: status, expectedStatus: "exit=143")
    }

    /// `kill %1` on a stopped job: SIGTERM, then SIGCONT. The shell ends as soon as it
    /// resumes, the terminal put back.
    @Test func sigtermToAStoppedShellEndsIt() throws {
        let home = try TemporaryDirectory()
        let (tmux, files) = try Tmux.backprop(home: home, trapping: "TERM")
        try tmux.type("half a line")
        try tmux.waitForLastLine("backprop> half a line")
        let processID = try #require(Int32(try String(contentsOfFile: files.pid, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(processID, SIGSTOP) == 0)
        #expect(kill(processID, SIGTERM) == 0)
        #expect(kill(processID, SIGCONT) == 0)
        try tmux.waitForLastLine("AFTER")
        try expectSaneTerminal(stty: files.stty, status: files.status, expectedStatus: "exit=143")
    }

    /// SIGTERM while libedit is busy with a long paste, not waiting in read(). Until the
    /// handler ended the process itself, the signal was lost there and the shell went on
    /// waiting for a key (CI saw it once under load, at the prompt).
    @Test func sigtermDuringAPasteEndsIt() throws {
        let home = try TemporaryDirectory()
        let (tmux, files) = try Tmux.backprop(home: home, trapping: "TERM")
        let processID = try #require(Int32(try String(contentsOfFile: files.pid, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        try tmux.type(String(repeating: "x", count: 4000))
        #expect(kill(processID, SIGTERM) == 0)
        try tmux.waitForLastLine("AFTER")
        try expectSaneTerminal(stty: files.stty, status: files.status, expectedStatus: "exit=143")
    }

    private func expectSaneTerminal(stty: String, status: String, expectedStatus: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let settings = try String(contentsOfFile: stty, encoding: .utf8)
        let flags = Set(settings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
            #expect(flags.contains(flag) && !flags.contains("-" + flag),
                    "\(flag) is off after backprop:\n\(settings)", sourceLocation: sourceLocation)
        }
        let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == expectedStatus, sourceLocation: sourceLocation)
    }
}
