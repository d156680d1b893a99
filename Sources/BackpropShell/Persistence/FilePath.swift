/// Parts of a file path, without `NSString.deletingLastPathComponent`: in
/// swift-corelibs-foundation 6.3 it traps on a one-character name ("x", "."), which made
/// `save x` and Tab after `load x` crash the shell.
enum FilePath {
    /// The directory part: "a/b" → "a", "/a" → "/", "a" → "", "a/b/" → "a" (as
    /// deletingLastPathComponent would give it).
    static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var dir = p[..<slash]
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        return dir.isEmpty ? "/" : String(dir)
    }
}
