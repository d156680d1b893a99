@testable import BackpropCLI
import Testing

/// Reading ~/.backprop_history without libedit's H_LOAD (which reads out of bounds on a
/// line whose escapes are broken): the format libedit writes, and what is skipped.
@Suite("the history file")
struct HistoryFileTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// What libedit 3.1's H_SAVE wrote for three entered lines (spaces, UTF-8, a tab, a
    /// backslash, control characters, DEL, a byte 0xFF).
    @Test func decodesWhatLibeditWrites() {
        let file = Self.bytes("_HiStOrY_V2_\nshow\\040x\n"
            + "x\\040=\\040[1\\0402]\\040#\\040caf\\M-C\\M-)\\040\\M-b\\M^A\\M-=\\M-B\\M-9\\M-b\\M^A\\M->\\040tab\\011here\\040back\\134slash\n"
            + "ctrl\\040\\^A\\^[[2J\\040del\\^?\n")
        #expect(HistoryFile.lines(in: file) == ["show x", "x = [1 2] # café ⁽¹⁾ tab\there back\\slash", "ctrl \u{1}\u{1B}[2J del\u{7F}"])
    }

    @Test func brokenLinesAreSkipped() {
        for broken in ["trailing\\", "bad\\q", "meta\\M", "meta\\Mx", "meta\\M-", "caret\\^", "octal\\777", "nul\\000x",
                       "latin1 caf\\M-i", "hi\\M^?"] {
            #expect(HistoryFile.lines(in: Self.bytes("_HiStOrY_V2_\n\(broken)\nok\n")) == ["ok"], "\(broken)")
        }
        #expect(HistoryFile.decode(Self.bytes("a\\$b\\sc\\Ed")) == "ab c\u{1B}d")
    }

    @Test func aFileWithoutTheHeaderIsNoHistory() {
        #expect(HistoryFile.lines(in: Self.bytes("show x\nforward\n")).isEmpty)
        #expect(HistoryFile.lines(in: []).isEmpty)
        #expect(HistoryFile.lines(in: Self.bytes("_HiStOrY_V2_")).isEmpty)
        #expect(HistoryFile.lines(at: "/nonexistent/history").isEmpty)
        #expect(HistoryFile.lines(at: "/dev/zero").isEmpty)
        #expect(HistoryFile.lines(at: "/tmp").isEmpty)
    }
}
