/// Reading a parsed JSON value with one clear line for each way it can be wrong. Each
/// reader knows its place in the document ("network.layers[2].theta[1][3]"; positions
/// count from 1, as layers and units do in the lecture).
struct JSONReader {
    let value: JSON
    let path: String
    /// Prefix of every message, e.g. "model.json: ".
    let file: String

    init(_ value: JSON, path: String = "", file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    func fail(_ message: String) -> ShellError {
        ShellError("\(file)\(path.isEmpty ? "" : path + " ")\(message)")
    }

    func child(_ key: String, _ value: JSON) -> JSONReader {
        JSONReader(value, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    // MARK: objects

    /// The members of an object; any key outside `allowed` is refused (a misspelt key
    /// would otherwise be ignored silently).
    func object(allowed: [String]) throws(ShellError) -> [String: JSON] {
        guard case .object(let members) = value else {
            throw fail("must be an object { … }, found \(value.kindName)")
        }
        var out: [String: JSON] = [:]
        for (key, v) in members {
            guard allowed.contains(key) else {
                throw fail("has an unknown member \"\(key)\" (allowed: \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            out[key] = v
        }
        return out
    }

    /// A member that must be present and not null.
    func required(_ key: String, in members: [String: JSON]) throws(ShellError) -> JSONReader {
        guard let v = members[key] else {
            throw ShellError("\(file)\(path.isEmpty ? "" : path + " ")is missing \"\(key)\"")
        }
        let r = child(key, v)
        if v == .null { throw r.fail("must not be null") }
        return r
    }

    /// A member that may be absent or null.
    func optional(_ key: String, in members: [String: JSON]) -> JSONReader? {
        guard let v = members[key], v != .null else { return nil }
        return child(key, v)
    }

    // MARK: plain values

    func string() throws(ShellError) -> String {
        guard case .string(let s) = value else { throw fail("must be text in double quotes, found \(value.kindName)") }
        return s
    }

    func choice(_ choices: [String]) throws(ShellError) -> String {
        let s = try string()
        guard choices.contains(s) else {
            throw fail("must be \(Arguments.list(choices.map { "\"\($0)\"" })), found \"\(s)\"")
        }
        return s
    }

    func bool() throws(ShellError) -> Bool {
        guard case .bool(let b) = value else { throw fail("must be true or false, found \(value.kindName)") }
        return b
    }

    /// A finite Double, exactly as written (the literal is converted once, correctly rounded).
    func double() throws(ShellError) -> Double {
        guard case .number(let text) = value else { throw fail("must be a number, found \(value.kindName)") }
        guard let d = Double(text), d.isFinite else {
            throw fail("is \(text), which is not a finite Double (it overflows)")
        }
        return d
    }

    func integer(in range: ClosedRange<Int>) throws(ShellError) -> Int {
        guard case .number(let text) = value else { throw fail("must be a whole number, found \(value.kindName)") }
        guard let n = Int(text) else {
            if let d = Double(text), d == d.rounded(), d.isFinite, abs(d) < 1e18 {
                let n = Int(d)
                if range.contains(n) { return n }
            }
            throw fail("must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(text)")
        }
        guard range.contains(n) else {
            throw fail("must be from \(range.lowerBound) to \(range.upperBound), found \(n)")
        }
        return n
    }

    // MARK: lists

    func array() throws(ShellError) -> [JSONReader] {
        guard case .array(let items) = value else { throw fail("must be a list [ … ], found \(value.kindName)") }
        return items.enumerated().map { k, v in
            JSONReader(v, path: path + "[\(k + 1)]", file: file)
        }
    }

    /// A list of `count` finite numbers (any length when nil).
    func doubles(count: Int? = nil, what: String = "") throws(ShellError) -> [Double] {
        let items = try array()
        if let count, items.count != count {
            throw fail("must have \(count) entr\(count == 1 ? "y" : "ies")\(what), found \(items.count)")
        }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try item.double()) }
        return out
    }
}
