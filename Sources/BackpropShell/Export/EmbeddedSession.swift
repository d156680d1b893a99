/// Every export carries the session in the JSON that `save` writes, between two marker
/// lines, inside the format's comments (LaTeX `%`, a Markdown `<!-- -->`, a Python raw
/// string), so that `load` reads an exported file back: the network, its exact weights,
/// the sample, the cost and the settings.
enum EmbeddedSession {
    static let begin = "backprop-session begin"
    static let end = "backprop-session end"
    /// The first line of every export, which also lets `export` replace its own files.
    static let signature = "Written by Backprop"

    /// The session JSON, each line prefixed (e.g. "% " for LaTeX), between the markers.
    static func lines(_ json: String, prefix: String, note: String) -> [String] {
        var json = json
        while json.hasSuffix("\n") { json.removeLast() }
        return ["\(prefix)\(begin): \(note)"]
            + json.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }
            + ["\(prefix)\(end)"]
    }

    /// The session JSON inside an exported file, or the text unchanged when it has none
    /// (a session file, or the hand-written form).
    static func unwrap(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.firstIndex(where: { $0.contains(begin) }),
              let last = lines[first...].firstIndex(where: { $0.contains(end) }) else { return text }
        var inner = lines[(first + 1)..<last].map { line -> String in
            line.hasPrefix("% ") ? String(line.dropFirst(2)) : line == "%" ? "" : line
        }
        // Only the JSON object: from its first line to its last (drops the lines of the
        // Python raw string around it).
        if let open = inner.firstIndex(where: { $0.hasPrefix("{") }),
           let close = inner.lastIndex(where: { $0.hasPrefix("}") }), open <= close {
            inner = Array(inner[open...close])
        }
        return inner.joined(separator: "\n") + "\n"
    }

    /// Whether an existing file may be replaced by an export: it is empty or one.
    static func mayReplace(_ head: [UInt8]) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.contains(signature)
    }
}

import Foundation
