@testable import BackpropCLI
import Testing

/// What Tab does, from the text before the cursor and the session's completions.
@Suite("Tab completion edits")
struct CompletionTests {
    typealias Edit = Completion.Edit

    @Test func oneMatchCompletesTheWordAndAddsASpace() {
        #expect(Completion.edit(lineBeforeCursor: "hel", candidates: ["help"]) == Edit(insertion: "p "))
        #expect(Completion.edit(lineBeforeCursor: "show ", candidates: ["theta"]) == Edit(insertion: "theta "))
        #expect(Completion.edit(lineBeforeCursor: "help", candidates: ["help"]) == Edit(insertion: " "))
    }

    @Test func aDirectoryGetsNoSpace() {
        #expect(Completion.edit(lineBeforeCursor: "load Less", candidates: ["Lessons/"])
                == Edit(insertion: "ons/"))
    }

    @Test func severalMatchesInsertTheCommonPrefixAndList() {
        let edit = Completion.edit(lineBeforeCursor: "load Lessons/data/x", candidates:
                                   ["Lessons/data/xor.csv", "Lessons/data/xor-noisy.csv"])
        #expect(edit == Edit(insertion: "or", choices: ["xor.csv", "xor-noisy.csv"]))

        let none = Completion.edit(lineBeforeCursor: "he", candidates: ["help", "hello"])
        #expect(none == Edit(insertion: "l", choices: ["help", "hello"]))
    }

    @Test func aReplacementThatIsNotAnExtensionReplacesTheWord() {
        // Unicode scalars, as libedit counts characters.
        #expect(Completion.edit(lineBeforeCursor: "act 1 SIG", candidates: ["sigmoid"])
                == Edit(deleteCount: 3, insertion: "sigmoid "))
        #expect(Completion.edit(lineBeforeCursor: "load é", candidates: ["ée/"])
                == Edit(insertion: "e/"))
    }

    @Test func noMatchChangesNothing() {
        #expect(Completion.edit(lineBeforeCursor: "zzz", candidates: []).isEmpty)
        #expect(Completion.edit(lineBeforeCursor: "help", candidates: ["help", "help"]) == Edit(insertion: " "))
    }

    @Test func choicesAreListedInColumnsDownThenAcross() {
        let listing = Completion.columns(["a", "bb", "ccc", "dddd", "e"], width: 14)
        #expect(listing == """
            a     dddd
            bb    e
            ccc
            """)
        #expect(Completion.columns(["one"], width: 2) == "one")
    }
}

@Suite("command-line options")
struct OptionsTests {
    func mode(_ arguments: [String]) throws -> Options.Mode {
        try Options.parse(arguments).mode
    }

    @Test func forms() throws {
        let none = try Options.parse([])
        #expect(none == Options())
        let script = try mode(["lesson.bp"])
        #expect(script == .script(path: "lesson.bp"))
        let dash = try mode(["-"])
        #expect(dash == .shell)
        let afterDashes = try mode(["--", "--odd-name.bp"])
        #expect(afterDashes == .script(path: "--odd-name.bp"))
        let flags = try Options.parse(["--ascii", "--no-color", "x.bp"])
        #expect(flags.ascii && flags.noColor && flags.mode == .script(path: "x.bp"))
        let version = try mode(["--version"])
        #expect(version == .version)
        let help = try mode(["x.bp", "--help"])
        #expect(help == .help)
        #expect(throws: Options.UsageError.self) { try Options.parse(["--nope"]) }
    }
}
