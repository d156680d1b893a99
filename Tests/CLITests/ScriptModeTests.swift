import Foundation
import Testing

/// `backprop FILE` and piped standard input: each command echoed after `backprop> `
/// with its output; the first failing line stops the run with FILE:N: on stderr.
@Suite("scripts and piped input")
struct ScriptModeTests {
    @Test func failingLineStopsTheScriptWithItsLineNumber() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.file("lesson.bp", """
            # a comment, then blank lines

               \t
            frobnicate 1 2
            quit

            """)
        let result = try Backprop.run([script])
        #expect(result.status == 1)
        #expect(result.stdout == "backprop> frobnicate 1 2\n")
        #expect(result.stderr.hasPrefix("\(script):4: "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("\n"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line of error: \(result.stderr)")
    }

    @Test func quitEndsTheScriptSuccessfully() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.file("quit.bp", "quit\nfrobnicate\n")
        let result = try Backprop.run([script])
        #expect(result.stdout == "backprop> quit\n")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.status == 0)
    }

    @Test func commandsAreEchoedWithTheirOutput() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.file("help.bp", "  help  \nquit\n")
        let result = try Backprop.run([script])
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "backprop> help")
        #expect(lines.count > 3, "help prints something: \(result.stdout)")
        #expect(result.stdout.hasSuffix("backprop> quit\n"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour outside a terminal")
    }

    @Test func pipedInputIsAScriptNamedStdin() throws {
        let failing = try Backprop.run([], input: "\n# nothing yet\nfrobnicate\nquit\n")
        #expect(failing.status == 1)
        #expect(failing.stdout == "backprop> frobnicate\n")
        #expect(failing.stderr.hasPrefix("<stdin>:3: "), "\(failing.stderr)")

        let quitting = try Backprop.run([], input: "quit\n")
        #expect(quitting.stdout == "backprop> quit\n")
        #expect(quitting.status == 0)

        let dash = try Backprop.run(["-"], input: "frobnicate")  // no newline at the end
        #expect(dash.status == 1)
        #expect(dash.stderr.hasPrefix("<stdin>:1: "), "\(dash.stderr)")
    }

    @Test func emptyInputDoesNothing() throws {
        let result = try Backprop.run([], input: "")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test func unreadableScriptIsAnError() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("missing.bp").path
        let result = try Backprop.run([missing])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(missing))

        let folder = try Backprop.run([directory.url.path])
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("cannot read"))
    }

    /// The example network is loaded at start, so `forward` works at once; its output
    /// uses superscript layer indices in Unicode and `^(1)` in ASCII.
    @Test func notationFollowsTheLocaleAndTheAsciiFlag() throws {
        let unicode = try Backprop.run([], input: "forward\n")
        #expect(unicode.status == 0, "\(unicode.stderr)")
        #expect(unicode.stdout.contains("⁽¹⁾"), "\(unicode.stdout)")

        let flag = try Backprop.run(["--ascii"], input: "forward\n")
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(isASCII(flag.stdout), "\(flag.stdout)")
        #expect(flag.stdout.contains("^(1)"), "\(flag.stdout)")

        let plainLocale = try Backprop.run([], input: "forward\n", environment: ["LC_ALL": "C"])
        #expect(plainLocale.status == 0, "\(plainLocale.stderr)")
        #expect(isASCII(plainLocale.stdout), "\(plainLocale.stdout)")
    }
}

private func isASCII(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy(\.isASCII)
}
