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
}
