import Foundation

/// The built `backprop` executable, run as a user would run it.
enum Backprop {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct NotFound: Error, CustomStringConvertible {
        let tried: [String]
        var description: String {
            "the backprop executable was not found; tried:\n  " + tried.joined(separator: "\n  ")
        }
    }

    /// The executable: $BACKPROP_BINARY, else next to the running test bundle (the
    /// build's products directory, whatever --scratch-path said), else the package's
    /// .build/debug.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["BACKPROP_BINARY"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: running).deletingLastPathComponent()
                .appendingPathComponent("backprop"))
        }
        for bundle in [Bundle.main] + Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("backprop"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("backprop"))
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/backprop"))

        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw NotFound(tried: candidates.map(\.path))
    }

    /// A clean environment: a private HOME, a UTF-8 locale, no crash prompt.
    static func environment(home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "HOME": home.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "SWIFT_BACKTRACE": "interactive=no",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Runs backprop with `arguments`, `input` on a pipe as standard input.
    static func run(_ arguments: [String], input: String = "", environment extra: [String: String] = [:],
                    in directory: URL? = nil) throws -> Result {
        let scratch = try TemporaryDirectory()
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.environment = environment(home: scratch.url, extra)
        if let directory { process.currentDirectoryURL = directory }

        let stdin = Pipe()
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        // Scripts stop at the first error without reading the rest: a closed pipe is fine.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// A directory under /tmp, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("backprop-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
