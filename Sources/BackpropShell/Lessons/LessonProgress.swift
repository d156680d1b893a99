import Foundation

/// The learner's progress through the course, kept in `~/.backprop/progress.json`:
///
///     {"version": 1, "current": "03-the-cost",
///      "lessons": {"01-one-neuron": {"step": 14, "steps": 14, "done": true, "solved": [1, 2]}}}
///
/// `step` is how many steps of the lesson have been shown, `solved` the exercises
/// (1-based) answered right. A missing, unreadable or corrupt file reads as no progress;
/// a file that cannot be written is reported once and otherwise ignored.
struct LessonProgress: Codable, Equatable {
    struct Lesson: Codable, Equatable {
        var step: Int
        var steps: Int
        var done: Bool
        var solved: [Int]
    }

    var version = 1
    var current: String?
    var lessons: [String: Lesson] = [:]

    /// `$HOME/.backprop/progress.json`, or nil without a HOME.
    static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".backprop").appendingPathComponent("progress.json")
    }

    static func load(_ url: URL?) -> LessonProgress {
        guard let url, let data = try? Data(contentsOf: url),
              let progress = try? JSONDecoder().decode(LessonProgress.self, from: data) else {
            return LessonProgress()
        }
        return progress
    }

    /// Writes the file atomically; returns why it could not, or nil.
    func save(_ url: URL?) -> String? {
        guard let url else { return "there is no HOME to keep it in" }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: url, options: .atomic)
            return nil
        } catch {
            return "\(url.path) cannot be written"
        }
    }
}
