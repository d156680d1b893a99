import Foundation

/// Where the shell finds what ships beside it: the lessons and their data sets.
/// Looked up in order: $BACKPROP_LESSONS; ../../Lessons from the executable (a build
/// in .build/debug or .build/release of the source tree); ../share/backprop/Lessons
/// beside an installed binary; ./Lessons.
public enum Resources {
    public static func lessonsDirectory() -> URL? {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["BACKPROP_LESSONS"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let bin = executable.deletingLastPathComponent()
        candidates.append(bin.appendingPathComponent("../../Lessons").standardized)
        candidates.append(bin.appendingPathComponent("../../../Lessons").standardized)
        candidates.append(bin.appendingPathComponent("../share/backprop/Lessons").standardized)
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Lessons"))
        // The source tree of this file, for tests and `swift run`.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Lessons").standardized)
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// Lessons/data/NAME.
    public static func dataFile(_ name: String) -> URL? {
        guard let dir = lessonsDirectory() else { return nil }
        let url = dir.appendingPathComponent("data").appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
