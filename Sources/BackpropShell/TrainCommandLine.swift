/// `backprop train --data digits --layers 64,32,10 --epochs 50 --alpha 0.5 --batch 32
/// --save model.json`: the shell's own commands, run from flags, for scripts and notebooks.
/// Unlike the shell (J summed over samples, as in the lecture), the flags average the
/// batch gradient unless `--reduction sum` is given, as NumPy, PyTorch and JAX code
/// usually does: α = 0.5 then means the same for every batch size.
public enum TrainCommandLine {
    public static let usage = """
    usage: backprop train --data NAME|FILE.csv --layers N0,N1,…,NL [--epochs 100] [--alpha 0.5]
                          [--batch all|N] [--lambda 0] [--seed 1] [--init xavier] [--act sigmoid]
                          [--cost squared|xent] [--reduction mean|sum] [--test 0.2] [--save FILE]
    """

    /// The shell lines the flags stand for.
    public static func commands(_ arguments: [String]) throws(ShellError) -> [String] {
        var flags: [String: String] = [:]
        var i = 0
        let known = ["data", "layers", "epochs", "alpha", "batch", "lambda", "seed", "init", "act",
                     "cost", "reduction", "test", "save", "shuffle"]
        while i < arguments.count {
            let word = arguments[i]
            guard word.hasPrefix("--") else { throw ShellError("unexpected '\(word)'", near: word) }
            var name = String(word.dropFirst(2))
            var value: String
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
                i += 1
            } else {
                guard i + 1 < arguments.count else { throw ShellError("--\(name) needs a value") }
                value = arguments[i + 1]
                i += 2
            }
            guard known.contains(name) else { throw ShellError("unknown flag --\(name)", near: word) }
            guard flags[name] == nil else { throw ShellError("--\(name) is given twice", near: word) }
            if value.contains(where: { $0 == " " || $0 == "\"" }) && name != "data" && name != "save" {
                throw ShellError("--\(name) \(value): no spaces in values", near: value)
            }
            flags[name] = value
        }
        guard let data = flags["data"] else { throw ShellError("--data is required (xor, digits, iris or FILE.csv)") }
        guard let layers = flags["layers"] else { throw ShellError("--layers is required, e.g. --layers 64,32,10") }
        var lines: [String] = []
        let quotedData = "\"" + data + "\""
        lines.append(BuiltinData.names.contains(data.lowercased()) ? "data \(data)" : "data load \(quotedData)")
        var net = "net " + layers.split(separator: ",").joined(separator: " ")
        if let act = flags["act"] { net += " act=\(act)" }
        if let cost = flags["cost"] { net += " cost=\(cost)" }
        lines.append(net)
        lines.append("init seed=\(flags["seed"] ?? "1") scheme=\(flags["init"] ?? "xavier")")
        if let test = flags["test"] { lines.append("split test=\(test) seed=\(flags["seed"] ?? "1")") }
        var train = "train"
        for name in ["epochs", "alpha", "batch", "lambda", "seed", "shuffle"] {
            if let value = flags[name] { train += " \(name)=\(value)" }
        }
        train += " reduction=\(flags["reduction"] ?? "mean")"
        lines.append(train)
        lines.append("eval")
        if let save = flags["save"] { lines.append("save \"\(save)\"") }
        return lines
    }
}
