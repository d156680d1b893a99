import Foundation
import Testing
@testable import BackpropShell

/// What the soak test (scripts/soak.sh) found: a session of 100 000 lines must not
/// keep every line. `history` keeps the last 1000 (as the line editor does), numbered
/// as typed, and a lesson still notices its offered command across the trimming.
@Suite struct LongSessionTests {
    @Test func historyKeepsTheLastThousandLinesNumberedAsTyped() {
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        for k in 1...2_500 { _ = session.execute("show x # \(k)") }
        #expect(session.enteredLines.count < 2 * Session.historyLimit)
        let lines = session.execute("history").text.split(separator: "\n")
        #expect(lines.count == Session.historyLimit)
        #expect(lines.first == "1502  show x # 1502")
        #expect(lines.last == "2501  history")
    }

    /// `clear` asks the front end to clear the screen and changes nothing else.
    @Test func clearOnlyClearsTheScreen() {
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        _ = session.execute("forward")
        let before = session.snapshot
        let output = session.execute("clear")
        #expect(output == Output(text: "", clearScreen: true))
        #expect(session.snapshot == before)
        #expect(!session.execute("forward").clearScreen)
    }

    @Test func aLessonSeesItsCommandAcrossTheTrimming() throws {
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        session.state.lesson.progressDisabled = true
        for k in 1...1_990 { _ = session.execute("show y # \(k)") }
        let start = session.execute("lesson 1")
        try #require(!start.isError, "\(start.text)")
        // Move on until the lesson offers a command.
        var offered = session.suggestedInput
        var steps = 0
        while offered == "next" && steps < 50 {
            _ = session.execute("next")
            offered = session.suggestedInput
            steps += 1
        }
        let command = try #require(offered, "lesson 1 offers a command")
        try #require(command != "next" && !command.hasPrefix("answer"))
        for k in 1...20 { _ = session.execute("show y # more \(k)") }  // the history is trimmed in here
        _ = session.suggestedInput
        _ = session.execute(command)
        #expect(session.suggestedInput != command, "the lesson noticed \(command)")
    }

    /// `show theta` of a large layer printed every weight, for minutes, without Ctrl-C
    /// (net 7000 7000: 49 million numbers); above 10 000 numbers it prints one line.
    @Test func showOfALargeMatrixIsOneLine() {
        let session = Session(style: Style(unicode: true, color: false, precision: 4))
        #expect(!session.execute("net 200 101 1").isError)
        #expect(!session.execute("init seed=1 eps=0.5").isError)
        let theta = session.execute("show theta 1")
        #expect(!theta.isError)
        #expect(theta.text.hasPrefix("Θ⁽¹⁾ is 101 × 200: 20200 numbers, more than show prints (10000); they range from -0."),
                "\(theta.text.prefix(300))")
        #expect(!theta.text.contains("\n"))
        #expect(session.execute("show grad 1").text.split(separator: "\n").count == 1)
        // Both layers: the summary, then the 1 × 101 matrix in full.
        let both = session.execute("show theta").text.split(separator: "\n")
        #expect(both.count == 2 && both[1].hasPrefix("Θ⁽²⁾ = [ "))
    }

    /// `backward` summarises a gradient larger than 12 × 12 and points to `show grad L`,
    /// which then shows it whole (it used to print the same pointer again).
    @Test func showGradShowsWhatBackwardSummarises() {
        let session = Session(style: Style(unicode: true, color: false, precision: 4))
        #expect(!session.execute("net 13 13 1").isError)
        #expect(session.execute("backward").text.contains("a 13 × 13 matrix: show grad 1"))
        let grad = session.execute("show grad 1").text
        #expect(!grad.contains("show grad 1"), "\(grad)")
        #expect(grad.split(separator: "\n").count >= 13)
    }
}
