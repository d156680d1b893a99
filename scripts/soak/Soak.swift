import Foundation

/// The soak test (scripts/soak.sh): N mixed commands in one session — the classic
/// example stepped through, XOR, iris and digits trained, sessions saved and loaded,
/// settings, lessons, help, history, and bad lines — with the resident memory at the
/// start (after a warm-up) and at the end. Run with `--script N` it prints the same
/// commands without the bad lines, for the `backprop` binary to run as a script.
@main
struct Soak {
    /// A seeded generator (SplitMix64): the same commands on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func number() -> String { String(format: "%.3f", Double(below(2001)) / 1000 - 1) }
    }

    /// One scenario: lines that must succeed, and bad lines that must fail.
    enum Line {
        case good(String)
        case bad(String)
    }

    static func block(_ g: inout Generator, directory: String) -> [Line] {
        let seed = g.below(1000)
        var lines: [Line] = []
        func good(_ text: String...) { lines += text.map(Line.good) }
        switch g.below(10) {
        case 0, 1:  // the classic example, step by step
            good("reset", "forward", "backward")
            for _ in 0..<(4 + g.below(8)) {
                good(g.pick(["step", "show z", "show a", "show delta 1", "show grad 2", "show theta", "show b", "show cost",
                             "show net", "explain z 1 1", "explain a 2 2", "explain delta 1 2", "explain grad 2 1 1",
                             "explain grad 1 2 0", "explain cost", "check", "update alpha=0.5", "show x", "show y"]))
            }
            good("x = [\(g.number()) \(g.number())]", "y = [\(g.number()) \(g.number())]",
                 "theta 1 = [\(g.number()) \(g.number()); \(g.number()) \(g.number())]", "b 2 = [\(g.number()) \(g.number())]",
                 "act 1 \(g.pick(["sigmoid", "tanh", "relu", "linear"]))", "forward", "backward", "update alpha=0.1 lambda=0.01",
                 "set lambda 0")
        case 2, 3:  // XOR, AND or OR
            good("data \(g.pick(["xor", "and", "or"]))", "net 2 \(2 + g.below(3)) 1", "init seed=\(seed)",
                 "train epochs=\(20 + g.below(80)) alpha=\(g.pick(["0.5", "1", "2", "5"])) batch=\(g.pick(["all", "1", "2"]))",
                 "eval", "predict [1 0]", "sample \(1 + g.below(4))", "forward", "backward", "plot")
        case 4:  // iris
            good("data iris", "split test=0.2 seed=\(seed)", "net 4 \(3 + g.below(6)) 3", "init scheme=xavier seed=\(seed)",
                 "train epochs=\(2 + g.below(4)) alpha=0.05 batch=16 cost=\(g.pick(["squared", "xent"]))", "eval",
                 "sample \(1 + g.below(120))", "explain grad 2 1 1", "set cost squared", "set reduction sum")
        case 5:  // digits
            good("data digits", "net 64 \(8 + g.below(24)) 10", "init scheme=he seed=\(seed)",
                 "train epochs=1 alpha=0.5 batch=64 reduction=mean", "eval", "sample \(1 + g.below(1797))", "show a 2",
                 "set reduction sum")
        case 6:  // save and load
            let file = "\(directory)/soak-\(g.below(3)).json"
            good("save \(file)", "load \(file)", "show net")
        case 7:  // settings, help, lessons
            good("set precision \(1 + g.below(17))", "set notation \(g.pick(["ascii", "unicode"]))",
                 "help \(g.pick(["", "train", "explain", "net"]))", "history", "set precision 9", "set notation unicode",
                 "lesson \(1 + g.below(9))", "next", "lesson stop")
        default:  // bad lines
            for _ in 0..<(3 + g.below(5)) {
                lines.append(.bad(g.pick([
                    "fowrard", "theta 1 = [1 2; 3]", "x = [nan 1]", "x = [1e400 0]", "sample 0", "net 100000 100000 100000",
                    "show zz", "explain grad 9 1 1", "update alpha=-1", "set precision 0", "data load \(directory)/missing.csv",
                    "load \(directory)/missing.json", "train epochs=0", "net 2 2 1 act=tanh act=relu", "]",
                ])))
            }
        }
        return lines
    }

    /// Resident memory in MB, from /proc/self/statm.
    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
        let fields = text.split(separator: " ")
        return Double(fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let scriptOnly = arguments.first == "--script"
        if scriptOnly { arguments.removeFirst() }
        let total = arguments.first.flatMap(Int.init) ?? 100_000
        let directory = arguments.dropFirst().first ?? NSTemporaryDirectory()
        var g = Generator(state: 6)

        if scriptOnly {
            var count = 0
            while count < total {
                for case .good(let text) in block(&g, directory: directory) where count < total {
                    print(text)
                    count += 1
                }
            }
            print("quit")
            return
        }

        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        let warmUp = min(5_000, total / 10)
        var executed = 0, unexpected = 0, startMB = 0.0, peakMB = 0.0
        var samples: [(Int, Double)] = []
        let clock = ContinuousClock()
        let began = clock.now
        while executed < total {
            for line in block(&g, directory: directory) where executed < total {
                let (text, shouldFail) = switch line {
                case .good(let text): (text, false)
                case .bad(let text): (text, true)
                }
                let output = session.execute(text)
                if output.isError != shouldFail {
                    unexpected += 1
                    if unexpected <= 10 {
                        print("unexpected \(output.isError ? "failure" : "success") of \(text): \(output.text.prefix(200))")
                    }
                }
                executed += 1
                if executed == warmUp { startMB = residentMB() }
                if executed % 10_000 == 0 {
                    let mb = residentMB()
                    peakMB = max(peakMB, mb)
                    samples.append((executed, mb))
                }
            }
        }
        let endMB = residentMB()
        let seconds = Double((clock.now - began).components.seconds)
        print("soak: \(executed) commands in \(Int(seconds)) s, \(unexpected) unexpected results")
        print("soak: resident memory by command count: " + samples.map { "\($0.0 / 1000)k \(String(format: "%.1f", $0.1))" }.joined(separator: ", "))
        let growth = (endMB - startMB) / startMB * 100
        print(String(format: "soak: resident memory %.1f MB at the start (after %d commands), %.1f MB at the end, peak %.1f MB: %+.1f%%",
                     startMB, warmUp, endMB, max(peakMB, endMB), growth))
        exit(unexpected == 0 && growth <= 10 ? 0 : 1)
    }
}
