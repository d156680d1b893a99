import Foundation
import Testing
@testable import BackpropShell

/// The progress file (~/.backprop/progress.json) as issue 6 finds it: missing, empty,
/// valid JSON with values no Backprop wrote, or not a file at all. The lessons go on
/// without a crash and the file is rewritten as valid progress.
@Suite struct ProgressFileTests {
    static func write(_ text: String) throws -> (Session, URL) {
        let (session, file) = LessonModeTests.session()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return (session, file)
    }

    @Test func missingProgressFile() throws {
        let (s, file) = LessonModeTests.session()
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(LessonModeTests.ok(s, "lesson").contains("not started"))
        LessonModeTests.ok(s, "lesson 1")
        #expect(try LessonModeTests.progress(file).current == "01-one-neuron")
    }

    @Test func emptyProgressFile() throws {
        let (s, file) = try Self.write("")
        #expect(LessonModeTests.ok(s, "lesson").contains("not started"))
        LessonModeTests.ok(s, "lesson 1")
        #expect(try LessonModeTests.progress(file).current == "01-one-neuron")
    }

    /// Found while hardening: "solved": [-9223372036854775808] overflowed (solved − 1)
    /// and trapped on `lesson 1`.
    @Test(arguments: [
        #"{"version": 1, "current": "01-one-neuron", "lessons": {"01-one-neuron": {"step": 3, "steps": 14, "done": false, "solved": [-9223372036854775808, 9223372036854775807, 0, -1, 99]}}}"#,
        #"{"version": 1, "lessons": {"01-one-neuron": {"step": -9223372036854775808, "steps": -5, "done": false, "solved": []}}}"#,
        #"{"version": 1, "lessons": {"01-one-neuron": {"step": 9223372036854775807, "steps": 9223372036854775807, "done": false, "solved": [1]}}}"#,
        #"{"version": 99, "current": "99-no-such-lesson", "lessons": {"99-no-such-lesson": {"step": 1, "steps": 1, "done": true, "solved": []}}}"#,
        #"{"version": 1, "lessons": {"01-one-neuron": {"step": 1e400, "steps": 1, "done": false, "solved": []}}}"#,
        #"[1, 2, 3]"#,
    ])
    func progressWithValuesNoBackpropWrote(_ text: String) throws {
        let (s, file) = try Self.write(text)
        _ = LessonModeTests.ok(s, "lesson")
        LessonModeTests.ok(s, "lesson 1")
        LessonModeTests.ok(s, "next")
        _ = try LessonModeTests.progress(file)  // rewritten as valid progress
    }
}
