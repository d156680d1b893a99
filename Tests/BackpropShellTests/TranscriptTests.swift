import Foundation
import Testing
@testable import BackpropShell

/// Golden transcripts: every `*.transcript` file under Transcripts/ runs in a fresh
/// session (ASCII or Unicode as its name says) and must match exactly.
/// BACKPROP_BLESS=1 rewrites the expected output from what the shell prints now.
@Suite struct TranscriptTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Transcripts")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".transcript") }.sorted()
    }

    @Test func thereAreTranscripts() {
        #expect(Self.files.count >= 1)
    }

    @Test(arguments: files)
    func transcript(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let transcript = Transcript(parsing: text)
        #expect(!transcript.entries.isEmpty)
        let session = Session(style: Style(unicode: !name.contains("ascii"), color: false, precision: 9))
        let (mismatches, actual) = transcript.run(on: session)
        if ProcessInfo.processInfo.environment["BACKPROP_BLESS"] == "1" {
            try (transcript.rendered(actual: actual) + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        for mismatch in mismatches {
            Issue.record("\(name) \(mismatch)")
        }
    }
}
