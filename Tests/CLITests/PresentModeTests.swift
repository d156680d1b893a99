import Foundation
import Testing

/// Present mode on a real terminal, through tmux: one slide per key, the screen cleared
/// between slides, q back to the shell with its screen and state as they were, and the
/// terminal left sane.
@Suite("present mode in tmux", .serialized)
struct PresentModeTests {
    let prompt = "backprop>"


    func firstLine(_ screen: String) -> String {
        String(screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    @Test func oneEquationPerKeyAndQReturnsWithTheStateIntact() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        try tmux.enter("show x")
        try tmux.waitFor("show x's output") { $0.contains("x = [ 0.05  0.1 ]") }
        try tmux.enter("present")

        // The title slide, on a screen of its own.
        var screen = try tmux.waitFor("the title slide") { firstLine($0).hasSuffix("1/10  2-2-2") }
        #expect(firstLine(screen).hasPrefix("the network and the sample"))
        #expect(screen.contains("Backpropagation through the 2-2-2 network"))
        #expect(!screen.contains("backprop> show x"), "the shell's lines are not on the slide:\n\(screen)")
        #expect(screen.split(separator: "\n").last.map(String.init)?.contains("q back to the shell") == true)

        // Space: the first equation, large and centred, with its numbers; the screen was cleared.
        try tmux.send("Space")
        screen = try tmux.waitFor("slide 2") { firstLine($0).hasSuffix("2/10  2-2-2") }
        #expect(firstLine(screen).hasPrefix("step 1 of 9: forward, layer 1: z = Θ a"))
        let equation = try #require(screen.split(separator: "\n").first { $0.contains("z⁽¹⁾ = Θ⁽¹⁾ a⁽⁰⁾ + b⁽¹⁾") })
        let indent = equation.prefix(while: { $0 == " " }).count
        #expect(indent > 20, "the equation is centred on the 120 columns: \(equation)")
        #expect(screen.contains("⎣ 0.25  0.3 ⎦ ⎣ 0.1  ⎦   ⎣ 0.35 ⎦"))
        #expect(screen.contains("─▶ z₁ 0.3775"), "the diagram shows z⁽¹⁾ flowing in:\n\(screen)")
        #expect(!screen.contains("Backpropagation through"), "the title slide is gone:\n\(screen)")

        // Enter and → move on; ← and Backspace go back; End and Home jump.
        try tmux.send("Enter")
        try tmux.waitFor("slide 3") { firstLine($0).hasSuffix("3/10  2-2-2") }
        try tmux.send("Right")
        try tmux.waitFor("slide 4") { firstLine($0).hasSuffix("4/10  2-2-2") }
        try tmux.send("Left")
        try tmux.waitFor("back to slide 3") { firstLine($0).hasSuffix("3/10  2-2-2") }
        try tmux.send("BSpace")
        try tmux.waitFor("back to slide 2") { firstLine($0).hasSuffix("2/10  2-2-2") }
        try tmux.send("End")
        screen = try tmux.waitFor("the last slide") { firstLine($0).hasSuffix("10/10  2-2-2") }
        #expect(screen.contains("∂J/∂Θ⁽¹⁾ = δ⁽¹⁾ (a⁽⁰⁾)ᵀ"))
        #expect(screen.contains("the backward pass is complete"))
        try tmux.send("Space")  // past the end: stays
        usleep(300_000)
        #expect(firstLine(try tmux.screen()).hasSuffix("10/10  2-2-2"))
        try tmux.send("Home")
        try tmux.waitFor("the first slide") { firstLine($0).hasSuffix("1/10  2-2-2") }
        try tmux.send("PageDown")
        try tmux.waitFor("slide 2 by PageDown") { firstLine($0).hasSuffix("2/10  2-2-2") }

        // q: the shell's screen as it was, and the session unchanged.
        try tmux.type("q")
        screen = try tmux.waitForLastLine(prompt)
        #expect(screen.contains("backprop> show x") && screen.contains("backprop> present"), "\(screen)")
        #expect(!screen.contains("2/10  2-2-2"))
        try tmux.enter("step")
        screen = try tmux.waitFor("step's output") { $0.contains("step 1 of 9: forward, layer 1") }
        try tmux.enter("x = [1 2]")
        try tmux.waitFor("x changed") { $0.contains("x = [ 1  2 ]") }
    }

    @Test func aMistakeIsReportedAndPresentStartsWhereAsked() throws {
        let home = try TemporaryDirectory()
        let tmux = try Tmux.backprop(home: home)
        try tmux.enter("present 99")
        try tmux.waitFor("the error") { $0.contains("error: there are 10 slides") }
        try tmux.enter("net 3 4 2")
        try tmux.enter("init seed=1")
        try tmux.waitForLastLine(prompt)
        try tmux.enter("present 7")
        let screen = try tmux.waitFor("slide 7") { firstLine($0).hasSuffix("7/10  3-4-2") }
        #expect(screen.contains("δ⁽²⁾"), "\(screen)")
        try tmux.send("Escape")
        try tmux.waitForLastLine(prompt)
    }

    @Test func theTerminalIsSaneAfterPresentAndAfterSigterm() throws {
        let home = try TemporaryDirectory()
        let status = home.url.appendingPathComponent("status").path
        let stty = home.url.appendingPathComponent("stty").path
        let pid = home.url.appendingPathComponent("pid").path
        let backprop = try Backprop.executable().path
        let environment = Backprop.environment(home: home.url)
            .map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        let after = "echo exit=$? > \(shellQuoted(status)); stty -a > \(shellQuoted(stty)).tmp; "
            + "mv \(shellQuoted(stty)).tmp \(shellQuoted(stty)); echo AFTER; sleep 600"

        // q, then Ctrl-D at the prompt.
        do {
            let tmux = try Tmux.backprop(home: home, after: after)
            try tmux.enter("present")
            try tmux.waitFor("the title slide") { firstLine($0).hasSuffix("1/10  2-2-2") }
            try tmux.send("C-c")  // Ctrl-C leaves present mode too
            try tmux.waitForLastLine(prompt)
            try tmux.send("C-d")
            try tmux.waitForLastLine("AFTER")
            try expectSane(stty: stty, status: status, expected: "exit=0")
        }
        try? FileManager.default.removeItem(atPath: stty)

        // SIGTERM while a slide is shown.
        let script = "trap : TERM; (echo $BASHPID > \(shellQuoted(pid)); exec env \(environment) \(shellQuoted(backprop))); " + after
        let tmux = try Tmux("bash -c \(shellQuoted(script))")
        try tmux.waitForLastLine(prompt)
        try tmux.enter("present")
        try tmux.waitFor("the title slide") { firstLine($0).hasSuffix("1/10  2-2-2") }
        let text = try String(contentsOfFile: pid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let processID = try #require(Int32(text))
        #expect(kill(processID, SIGTERM) == 0)
        let screen = try tmux.waitForLastLine("AFTER")
        #expect(!screen.contains("1/10  2-2-2"), "the slide is gone with the alternate screen:\n\(screen)")
        try expectSane(stty: stty, status: status, expected: "exit=143")
    }

    private func expectSane(stty: String, status: String, expected: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let settings = try String(contentsOfFile: stty, encoding: .utf8)
        let flags = Set(settings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for flag in ["icanon", "echo", "isig", "icrnl", "opost", "ixon"] {
            #expect(flags.contains(flag) && !flags.contains("-" + flag),
                    "\(flag) is off after backprop:\n\(settings)", sourceLocation: sourceLocation)
        }
        let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == expected, sourceLocation: sourceLocation)
    }
}
