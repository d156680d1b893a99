import Foundation

/// The lessons of the course: the files `NN-topic.md` of the Lessons directory, which
/// `Resources.lessonsDirectory()` finds (the one place that knows where it is).
public enum LessonLibrary {
    /// One lesson file of the course.
    public struct Entry: Sendable, Equatable {
        public let number: Int
        public let name: String
        public let url: URL
    }

    /// The course directory, as `Resources` finds it.
    public static func directory() -> URL? {
        Resources.lessonsDirectory()
    }

    /// The lesson files `NN-topic.md` in `directory`, by number.
    public static func lessons(in directory: URL) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> Entry? in
            guard name.hasSuffix(".md") else { return nil }
            let digits = name.prefix(while: \.isNumber)
            guard digits.count >= 1, name.dropFirst(digits.count).hasPrefix("-"), let number = Int(digits) else { return nil }
            return Entry(number: number, name: String(name.dropLast(3)), url: directory.appendingPathComponent(name))
        }.sorted { ($0.number, $0.name) < ($1.number, $1.name) }
    }
}
