import Backprop
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A directory the fuzz targets work in: HOME and the working directory point there,
/// it holds small data and session files under simple names (the line target runs no
/// line with a '/' or '~', so whatever it saves stays here), and what an input leaves
/// behind is removed before the next one.
enum FuzzSandbox {
    nonisolated(unsafe) static var path = ""
    nonisolated(unsafe) static var fixtures: Set<String> = []

    static func setUp() {
        guard path.isEmpty else { return }
        let base = ProcessInfo.processInfo.environment["BACKPROP_FUZZ_SANDBOX"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("backprop-fuzz-\(getpid())")
        try? FileManager.default.removeItem(atPath: base)
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
        setenv("HOME", base, 1)
        // The lessons and their data stay findable from the source tree.
        if let lessons = Resources.lessonsDirectory() { setenv("BACKPROP_LESSONS", lessons.path, 1) }
        _ = FileManager.default.changeCurrentDirectoryPath(base)
        let files: [String: [UInt8]] = [
            "xor.csv": Array("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n".utf8),
            "classes.csv": Array("x1,x2,kind\n0.1,0.2,cat\n0.9,0.8,dog\n0.5,0.4,cat\n0.2,0.9,bird\n".utf8),
            "ragged.csv": Array("1,2,3\n4,5\n".utf8),
            "bom.csv": [0xEF, 0xBB, 0xBF] + Array("a,b,y\r\n0,0,0\r\n1,1,1\r\n".utf8),
            "text.csv": Array("a,b,y\n1,two,0\n".utf8),
            "empty.csv": [],
            "bin.csv": [0x31, 0x2C, 0xFF, 0xFE, 0x0A],
            // Three 2 × 2 images and their labels 0, 2, 1.
            "img.idx": [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
                        0, 255, 51, 102, 255, 0, 0, 0, 17, 34, 68, 136],
            "lab.idx": [0, 0, 8, 1, 0, 0, 0, 3, 0, 2, 1],
            "short.idx": [0, 0, 8, 3, 0, 0, 0, 9],
            "gz.idx": [0x1F, 0x8B, 8, 0],
            "s.json": Array(SessionFile.encode(savedState(data: "xor")).utf8),
            "c.json": Array(SessionFile.encode(savedState(data: "xor.csv")).utf8),
            "min.json": Array(#"{"layers": [{"theta": [[0.1, 0.2], [0.3, 0.4]], "b": [0, 0]}, {"theta": [[1, 1]], "b": [0]}], "x": [1, 0]}"#.utf8),
            "new.json": Array(#"{"format": "backprop-session", "version": 99}"#.utf8),
            "cut.json": Array(SessionFile.encode(savedState(data: "xor")).utf8.prefix(300)),
        ]
        for (name, bytes) in files {
            _ = FileManager.default.createFile(atPath: (base as NSString).appendingPathComponent(name), contents: Data(bytes))
        }
        try! FileManager.default.createDirectory(atPath: (base as NSString).appendingPathComponent("dir"),
                                                 withIntermediateDirectories: true)
        fixtures = Set(files.keys).union(["dir"])
    }

    /// The classic example with a data set, as `save` would write it.
    static func savedState(data: String) -> SessionState {
        var state = SessionState.example(style: Style())
        if data.hasSuffix(".csv") {
            let table = try! CSVReader.parse("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", options: CSVOptions(), name: data)
            state.data = SessionData(name: data, source: .csv(path: data, options: CSVOptions()),
                                     train: table.dataset, classes: table.classes)
        } else {
            state.data = try! DataCommands.builtin(data)
        }
        return state
    }

    /// Removes what the last input wrote (saves, plots, progress) and goes back to
    /// the sandbox if a command changed the working directory.
    static func clean() {
        _ = FileManager.default.changeCurrentDirectoryPath(path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where !fixtures.contains(name) {
            let full = (path as NSString).appendingPathComponent(name)
            chmod(full, 0o755)
            try? FileManager.default.removeItem(atPath: full)
        }
    }
}

/// Plays Ctrl-C for a line that runs too long: a thread sets the session's
/// cancellation flag once a line has run for `limit`; long commands must then return
/// (libFuzzer's -timeout catches those that do not).
enum Watchdog {
    static let started = Atomic<UInt64>(0)
    static let target = Mutex<CancellationFlag?>(nil)
    nonisolated(unsafe) static var limitNanoseconds: UInt64 = 100_000_000
    nonisolated(unsafe) static var running = false

    static func start() {
        guard !running else { return }
        running = true
        if let ms = ProcessInfo.processInfo.environment["BACKPROP_FUZZ_CANCEL_MS"].flatMap(UInt64.init) {
            limitNanoseconds = ms * 1_000_000
        }
        let thread = Thread {
            while true {
                usleep(20_000)
                let t = started.load(ordering: .acquiring)
                if t != 0 && DispatchTime.now().uptimeNanoseconds - t > limitNanoseconds {
                    target.withLock { $0?.set() }
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `body` as one line under the watchdog.
    static func line<T>(_ flag: CancellationFlag, _ body: () -> T) -> T {
        flag.clear()
        target.withLock { $0 = flag }
        started.store(DispatchTime.now().uptimeNanoseconds, ordering: .releasing)
        defer {
            started.store(0, ordering: .releasing)
            target.withLock { $0 = nil }
        }
        return body()
    }
}

/// Stops the fuzzer with a message libFuzzer shows with the input.
func fuzzFailure(_ message: String) -> Never {
    FileHandle.standardError.write(Data("\nFUZZ INVARIANT BROKEN: \(message)\n".utf8))
    abort()
}

/// Output with colour off carries no control character but line feeds and tabs (and an
/// error not even a line feed).
func checkTerminalSafe(_ output: Output, _ what: @autoclosure () -> String) {
    if output.isError && output.text.contains("\n") {
        fuzzFailure("\(what()) failed with more than one line:\n\(output.text)")
    }
    if let bad = output.text.unicodeScalars.first(where: { TerminalSafe.isControl($0) && $0 != "\n" && $0 != "\t" }) {
        fuzzFailure("\(what()) printed the control character U+\(String(bad.value, radix: 16)):\n\(output.text.debugDescription)")
    }
}

