import Foundation
@testable import BackpropCLI
import Testing

/// ~/.editrc reaches libedit only when every line tokenizes: a lone quote made libedit's
/// el_source read through a wild pointer (the address sanitizer stopped the shell at
/// start-up).
@Suite("the user's .editrc", .serialized)
struct EditRCTests {
    @Test func linesThatTokenize() {
        for good in ["bind -v", "bind \"\\e[A\" ed-search-prev-history", "backprop:bind ^I ed-complete", "# a comment",
                     "bind 'x' ed-insert", "echo \"it's\"", "", "  \t", "bind \\\" ed-insert"] {
            #expect(EditRC.tokenizes(Array(good.utf8)), "\(good)")
        }
        for bad in ["'", "\"a:b", "a\"b:", "bind \"\\e[A ed-search-prev-history", "trailing \\", "it's", "\"esc \\\""] {
            #expect(!EditRC.tokenizes(Array(bad.utf8)), "\(bad)")
        }
        #expect(EditRC.isSafe(bytes: Array("bind -v\nbind ^R em-inc-search-prev\n".utf8)))
        #expect(!EditRC.isSafe(bytes: Array("bind -v\n'\n".utf8)))
        #expect(!EditRC.isSafe(bytes: [0x62, 0x00, 0x0A]))
        #expect(!EditRC.isSafe(bytes: [0x62, 0xFF, 0x0A]))
        #expect(!EditRC.isSafe("/dev/zero"))
        #expect(!EditRC.isSafe("/nonexistent/.editrc"))
    }

    func start(editrc: String) throws -> Tmux {
        let home = try TemporaryDirectory()
        try editrc.write(to: home.url.appendingPathComponent(".editrc"), atomically: true, encoding: .utf8)
        let backprop = try Backprop.executable().path
        let environment = Backprop.environment(home: home.url)
            .map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        let tmux = try Tmux("bash -c \(shellQuoted("env \(environment) \(shellQuoted(backprop)); sleep 600"))")
        try tmux.waitForLastLine("backprop>")
        withExtendedLifetime(home) {}
        return tmux
    }

    @Test func aLoneQuoteIsNoCrash() throws {
        let tmux = try start(editrc: "bind -v\n'\n")
        try tmux.enter("show x")
        try tmux.waitFor("show x's output") { $0.contains("x = [ 0.05  0.1 ]") }
    }

    /// A good file is still read: `bind -v` gives vi keys (Escape, 0, i).
    @Test func aGoodFileIsRead() throws {
        let tmux = try start(editrc: "bind -v\n")
        try tmux.type("abc")
        try tmux.send("Escape")
        try tmux.type("0iX")
        try tmux.waitForLastLine("backprop> Xabc")
    }
}
