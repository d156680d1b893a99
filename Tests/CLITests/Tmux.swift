import Foundation
import Testing

/// A private tmux server with one 120×40 pane running a command, for driving the
/// shell as a person at a terminal would.
final class Tmux {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "tmux is needed for the interactive tests but is not installed: run `make test` "
                + "(its set-up installs it) or `apt-get install tmux`"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    private let tmux: URL
    /// A private server on its own socket, removed at the end (short: sockets have a
    /// path limit of about 100 bytes).
    private let socket = "/tmp/backprop-cli-tests-\(getpid())-\(UUID().uuidString.prefix(8)).sock"
    private let session = "backprop"

    /// Starts `command` (a shell command line) in a new detached session.
    init(_ command: String) throws {
        guard let tmux = Self.find() else { throw Missing() }
        self.tmux = tmux
        try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
        let pid = try run(["display-message", "-p", "-t", session, "#{pane_pid}"])
        paneGroup = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The process group of the pane's command (its pid: it leads the group).
    private var paneGroup: Int32 = 0

    /// Ends the server, then waits (a little) for the pane's processes to finish, so
    /// that nothing writes into a test's directory while it is being removed.
    deinit {
        _ = try? run(["kill-server"])
        unlink(socket)
        let deadline = Date().addingTimeInterval(3)
        while paneGroup > 0 && Self.hasLivingProcess(inGroup: paneGroup) && Date() < deadline {
            usleep(20_000)
        }
    }

    /// Whether any process of group `group` is alive (zombies are not), from /proc.
    private static func hasLivingProcess(inGroup group: Int32) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (name) ": state, ppid, pgrp, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, fields[2] == "\(group)", fields[0] != "Z" { return true }
        }
        return false
    }

    static func find() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        return directories.map { URL(fileURLWithPath: $0).appendingPathComponent("tmux") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Sends keys as tmux names them: text, or `Tab`, `Enter`, `Up`, `C-c`, `C-d`.
    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", session] + keys)
    }

    /// Sends text literally, one character at a time as typed.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", session, "-l", text])
    }

    /// Types `line` and presses Enter, as a person running a command.
    func enter(_ line: String) throws {
        try type(line)
        try send("Enter")
    }

    /// The visible screen, trailing blank lines dropped.
    func screen() throws -> String {
        var text = try run(["capture-pane", "-p", "-t", session])
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The screen's last non-blank line, trailing spaces dropped.
    func lastLine() throws -> String {
        try screen().split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Waits until `condition` holds for the screen; fails with the screen after
    /// `seconds`.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var shown = ""
        while Date() < deadline {
            shown = (try? screen()) ?? shown
            if condition(shown) { return shown }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); the screen:\n\(shown)", sourceLocation: sourceLocation)
        throw Failed(description: "timed out waiting for \(what)")
    }

    /// Gives the shell a moment after the screen shows what was typed, before a Ctrl-C
    /// at the prompt: libedit notices SIGINT only while it waits in read(), and one that
    /// arrives while it is still drawing the last keys waits for the next key (on a
    /// loaded machine that window can be long; a person's Ctrl-C comes later than that).
    func settle() {
        usleep(200_000)
    }

    /// Waits until the last line of the screen is exactly `line`.
    @discardableResult
    func waitForLastLine(_ line: String, seconds: Double = 15,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("the last line to be '\(line)'", seconds: seconds, sourceLocation: sourceLocation) {
            $0.split(separator: "\n").last.map(String.init) == line
        }
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        environment.removeValue(forKey: "TMUX")
        let result = try spawn(tmux.path, ["-S", socket] + arguments, environment: environment)
        guard result.status == 0 else {
            throw Failed(description: "tmux \(arguments.joined(separator: " ")) failed: \(result.output)")
        }
        return result.output
    }
}

/// Runs a program and waits for it; its standard output and error, together, come back.
///
/// Not Foundation's Process: the test runner's threads block nearly every signal and a
/// child spawned by Process inherits that mask. tmux would then never hear SIGCHLD and
/// the shell in its pane never Ctrl-C. Here the child starts with an empty mask and
/// every signal at its default action.
func spawn(_ executable: String, _ arguments: [String], environment: [String: String]) throws
    -> (status: Int32, output: String) {
    let scratch = try TemporaryDirectory()
    let outputPath = scratch.url.appendingPathComponent("output").path

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let error = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard error == 0 else {
        throw Tmux.Failed(description: "cannot start \(executable): \(String(cString: strerror(error)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let exited = status & 0x7f == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
}

/// Quotes a string for sh.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension Tmux {
    /// The shell's prompt.
    static let prompt = "backprop>"

    /// `env VARIABLES /path/to/backprop` for a pane: the built binary with a private HOME.
    static func backpropCommand(home: TemporaryDirectory) throws -> String {
        let environment = Backprop.environment(home: home.url)
            .map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        return "env \(environment) \(shellQuoted(try Backprop.executable().path))"
    }

    /// `backprop` in a pane with a private HOME, wrapped in bash so that `after` runs in
    /// the same terminal once it ends; returns at the first prompt.
    static func backprop(home: TemporaryDirectory, after: String = "sleep 600") throws -> Tmux {
        let tmux = try Tmux("bash -c \(shellQuoted("\(try backpropCommand(home: home)); \(after)"))")
        try tmux.waitForLastLine(prompt)
        return tmux
    }

    /// The files a signal test reads once `backprop` has ended.
    struct SignalFiles {
        /// backprop's process id, its exit status ("exit=N") and `stty -a` afterwards.
        let pid: String, status: String, stty: String
    }

    /// `backprop` as a signal's target: the wrapping bash traps `signal` (libedit passes
    /// some on to the whole process group), and writes backprop's pid, its exit status
    /// and the terminal's settings once it ends.
    static func backprop(home: TemporaryDirectory, trapping signal: String) throws -> (Tmux, SignalFiles) {
        let dir = home.url
        let files = SignalFiles(pid: dir.appendingPathComponent("pid").path,
                                status: dir.appendingPathComponent("status").path,
                                stty: dir.appendingPathComponent("stty").path)
        let script = "trap : \(signal); (echo $BASHPID > \(shellQuoted(files.pid)); exec \(try backpropCommand(home: home))); "
            + "echo exit=$? > \(shellQuoted(files.status)); stty -a > \(shellQuoted(files.stty)).tmp; "
            + "mv \(shellQuoted(files.stty)).tmp \(shellQuoted(files.stty)); echo AFTER; sleep 600"
        let tmux = try Tmux("bash -c \(shellQuoted(script))")
        try tmux.waitForLastLine(prompt)
        return (tmux, files)
    }
}
