import Backprop
import Foundation
import Testing
@testable import BackpropShell

/// Issue 6's table of bad inputs: each line fails with exactly the one-line message
/// shown (or, for blank lines, prints nothing), and leaves the session — network,
/// weights, sample, cost, data set, training log and settings — exactly as it was.
@Suite struct BadInputTests {
    /// What a row starts from.
    enum Setup: String, Sendable {
        /// The classic 2-2-2 example with `data xor`, `split test=0.25 seed=3`, `set precision 6`.
        case standard
        /// The classic 2-2-2 example and nothing else.
        case example
        /// `data xor`, `net 2 2 1 bias=off`, `init seed=2`, one short `train` (a log to keep).
        case trainedNoBias

        var lines: [String] {
            switch self {
            case .standard: return ["data xor", "split test=0.25 seed=3", "set precision 6"]
            case .example: return []
            case .trainedNoBias: return ["data xor", "net 2 2 1 bias=off", "init seed=2", "train epochs=3 alpha=1"]
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let line: String
        /// The whole output after "error: ", or nil: the line prints nothing and is no error.
        let message: String?
        let setup: Setup
        let sourceLine: Int

        var testDescription: String {
            let shown = line.count > 60 ? String(line.prefix(60)) + "… (\(line.utf8.count) bytes)" : line
            return "\(setup.rawValue): \(shown.debugDescription)"
        }
    }

    static func bad(_ line: String, _ message: String?, _ setup: Setup = .standard, sourceLine: Int = #line) -> Row {
        Row(line: line, message: message, setup: setup, sourceLine: sourceLine)
    }

    /// Files the rows read, made once; `$DIR` in a row stands for their directory.
    static let files: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-bad-inputs-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ bytes: [UInt8]) {
            try! Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        func put(_ name: String, _ text: String) { put(name, Array(text.utf8)) }
        put("empty.csv", "")
        put("bom-only.csv", [0xEF, 0xBB, 0xBF])
        put("blank-lines.csv", "\n\n  \n,\n")
        put("ragged.csv", "1,2,3\n4,5\n")
        put("crlf-ragged.csv", "a,b,y\r\n0,0,0\r\n1,1\r\n")
        put("text.csv", "a,b,y\n1,two,0\n")
        put("nan.csv", "a,b,y\n1,nan,0\n")
        put("huge.csv", "a,b,y\n1,1e400,0\n")
        put("xor.csv", "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
        put("one-column.csv", "1\n2\n3\n")
        put("header-only.csv", "a,b,y\n")
        put("binary.csv", [0x31, 0x2C, 0xFF, 0xFE, 0x0A])
        put("one-class.csv", "a,b,kind\n1,2,cat\n3,4,cat\n")
        put("escape.csv", "a,b,y\n1,\u{1B}[2J,0\n")
        put("escape.json", "{\"a\": \"\\\n\"}")
        // Three 2 × 2 images, labels 0, 2, 1, and broken variants.
        put("img.idx", [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 51, 102, 255, 0, 0, 0, 17, 34, 68, 136])
        put("lab.idx", [0, 0, 8, 1, 0, 0, 0, 3, 0, 2, 1])
        put("lab-short.idx", [0, 0, 8, 1, 0, 0, 0, 3, 0, 2])
        put("lab-two.idx", [0, 0, 8, 1, 0, 0, 0, 2, 0, 2])
        put("gz.idx", [0x1F, 0x8B, 8, 0, 0, 0])
        put("float.idx", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        put("huge.idx", [0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2])
        // Session files.
        let good = SessionFile.encode(SessionState.example(style: Style()))
        put("good.json", good)
        // Cut where "sample" begins: the text ends inside the top object.
        put("truncated.json", String(good[..<good.range(of: "\"sample\"")!.lowerBound]))
        put("corrupt.json", good.replacingOccurrences(of: "\"theta\": [", with: "\"theta\": {"))
        put("newer.json", good.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"))
        put("version-text.json", good.replacingOccurrences(of: "\"version\": 1", with: "\"version\": \"1\""))
        put("nan.json", good.replacingOccurrences(of: "0.15", with: "NaN"))
        put("overflow.json", good.replacingOccurrences(of: "0.15", with: "1e400"))
        put("shape.json", good.replacingOccurrences(of: "[0.15, 0.2]", with: "[0.15, 0.2, 0.1]"))
        put("misspelt.json", good.replacingOccurrences(of: "\"lambda\"", with: "\"lamda\""))
        put("empty.json", "")
        put("list.json", "[1, 2, 3]")
        put("deep.json", String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        put("big.json", #"{"format": "backprop-session", "version": 1, "network": {"sizes": [100000, 100000, 100000], "bias": true, "layers": []}}"#)
        put("not-session.txt", "my notes\n")
        try! FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        mkfifo(dir.appendingPathComponent("fifo").path, 0o644)
        return dir
    }()

    /// A line of 1 000 006 bytes.
    static let megabyteLine = "x = [" + String(repeating: "0 ", count: 500_000) + "]"
    static let sixtyFiveLayers = "net " + Array(repeating: "2", count: 66).joined(separator: " ")

    static let rows: [Row] = [
        // Blank lines and comments print nothing.
        bad("", nil),
        bad("   \t  ", nil),
        bad("# a comment", nil),
        bad("  # an indented comment with [ and \" in it", nil),
        // Lines that cannot be read.
        bad(megabyteLine, "the line is 1000006 bytes long; the limit is 100000"),
        bad("forward\u{07}", "the line contains a control character (U+0007)"),
        bad("\u{1B}[A", "the line contains a control character (U+001B)"),
        bad("x = [1\u{0} 2]", "the line contains a control character (U+0000)"),
        bad("forward\u{7F}", "the line contains a control character (U+007F)"),
        bad("show\rtheta", "the line contains a control character (U+000D)"),
        bad("forward\u{85}", "the line contains a control character (U+0085)"),
        bad("forward\u{9B}2J", "the line contains a control character (U+009B)"),
        bad("fowrard\u{2028}", "unknown command 'fowrard⟨U+2028⟩'; type help for the list"),
        // Invalid UTF-8 reaches the shell as U+FFFD (the CLI's byte path is tested in CLITests).
        bad("forward\u{FFFD}", "unknown command 'forward\u{FFFD}' — did you mean forward?"),
        bad("\u{FFFD}\u{FFFD}", "unknown command '\u{FFFD}\u{FFFD}'; type help for the list"),
        // Unknown commands and misplaced tokens.
        bad("fowrard", "unknown command 'fowrard' — did you mean forward?"),
        bad("frobnicate", "unknown command 'frobnicate'; type help for the list"),
        bad("[1 2]", "a line starts with a command; type help for the list (at '[1 2]')"),
        bad("= 3", "a line starts with a command; type help for the list (at '=')"),
        bad("]", "']' without a matching '['"),
        bad("\"unclosed", "the quoted text is never closed (at '\"unclosed')"),
        bad("help frobnicate", "unknown command 'frobnicate'; type help for the list"),
        // Unknown and duplicate options.
        bad("net 2 2 1 colour=on", "unknown option 'colour': net takes act=, bias=, cost="),
        bad("forward speed=2", "unknown option 'speed': forward takes no options"),
        bad("net 2 2 1 act=tanh act=relu", "option 'act=' is given twice (at 'act')"),
        bad("update alpha=0.1 ALPHA=0.2", "option 'alpha=' is given twice (at 'ALPHA')"),
        bad("train alpha=", "option 'alpha=' needs a value"),
        bad("update alpha==1", "option 'alpha=' needs a value"),
        bad("x = [1 2] = [3 4]", "only one '=' is allowed"),
        bad("forward = 1", "forward takes no '= value': usage: forward (at '1')"),
        bad("net 2 2 1 act=softmax", "act= must be sigmoid, tanh, relu, linear or identity, not 'softmax'"),
        bad("init scheme=gaussian", "scheme= must be uniform, normal, xavier or he, not 'gaussian'"),
        bad("init scheme=he eps=0.5", "eps= only goes with scheme=uniform (at '0.5')"),
        bad("data xor header=yes", "options only go with data load FILE (at 'header')"),
        bad("reset now", "too many words for reset: usage: reset (at 'now')"),
        bad("clear all", "too many words for clear: usage: clear (at 'all')"),
        bad("step now", "step takes only the word restart (at 'now')"),
        // Malformed and ragged matrices.
        bad("theta 1 = [0.1 0.2; 0.3]", "ragged matrix: row 2 has 1 entry, row 1 has 2 (at '0.3')"),
        bad("theta 1 = [0.1; 0.2 0.3]", "ragged matrix: row 2 has 2 entries, row 1 has 1 (at '0.2 0.3')"),
        bad("theta 1 = [0.1 0.2; 0.3 0.4", "'[' is never closed: a matrix ends with ']' (at '[0.1 0.2; 0.3 0.4')"),
        bad("theta 1 = [[0.1 0.2]]", "a matrix cannot contain '[': rows are separated by ';' (at '[0.1 0.2')"),
        bad("theta 1 = []", "the matrix [] is empty (at '[]')"),
        bad("theta 1 = [;]", "row 1 of the matrix is empty (at '[;]')"),
        bad("theta 1 = [0.1 0.2;; 0.3 0.4]", "row 2 of the matrix is empty (at '[0.1 0.2;; 0.3 0.4]')"),
        bad("theta 1 = [0.1 abc; 0.3 0.4]", "'abc' is not a matrix entry"),
        bad("theta 1 = 5", "expected a matrix in brackets [ ] (at '5')"),
        bad("theta 1", "theta needs '= [..]', e.g. theta 1 = [0.1 0.1; 0.1 0.1]"),
        bad("theta 1 [0.1 0.2; 0.3 0.4]", "too many words for theta: usage: theta L = [..; ..] (at '[0.1 0.2; 0.3 0.4]')"),
        // Wrong shapes for the layer.
        bad("theta 1 = [1 2 3; 4 5 6]", "Θ⁽¹⁾ must be 2 × 2, got 2 × 3 (at '[1 2 3; 4 5 6]')"),
        bad("theta 2 = [1 2]", "Θ⁽²⁾ must be 2 × 2, got 1 × 2 (at '[1 2]')"),
        bad("b 1 = [1 2 3]", "b⁽¹⁾ needs 2 entries, got 3 (at '[1 2 3]')"),
        bad("b 2 = [1 2; 3 4]", "expected a vector (one row or one column), got a 2 × 2 matrix (at '[1 2; 3 4]')"),
        bad("b 1 = [1 2]", "this network has no bias units (net … bias=on adds them) (at '[1 2]')", .trainedNoBias),
        bad("x = [1 2 3]", "x needs 2 entries for this network, got 3 (at '[1 2 3]')"),
        bad("y = [1]", "y needs 2 entries for this network, got 1 (at '[1]')"),
        bad("x = 0.5", "expected a vector in brackets [ ] (at '0.5')"),
        bad("predict [1 2 3]", "the network takes 2 inputs, got 3"),
        // Indices 0, negative, past the end, not whole.
        bad("theta 0 = [1 2; 3 4]", "layer 0 is the input x and has no weights: the layers are 1 to 2 (at '0')"),
        bad("theta -1 = [1 2]", "layer -1 does not exist: the layers are 1 to 2 (at '-1')"),
        bad("theta 3 = [1 2; 3 4]", "layer 3 does not exist: the layers are 1 to 2 (at '3')"),
        bad("theta 1.5 = [1 2; 3 4]", "a layer number must be a whole number from 1 to 2, not '1.5'"),
        bad("act 0 tanh", "layer 0 is the input x and has no weights: the layers are 1 to 2 (at '0')"),
        bad("act 1 sigmoidal", "unknown activation 'sigmoidal': choose sigmoid, tanh, relu or linear"),
        bad("show z 5", "layer 5 does not exist: the layers are 1 to 2 (at '5')"),
        bad("show a -1", "layer -1 does not exist: the layers are 1 to 2 (at '-1')"),
        bad("show zz", "show what? choose z, a, delta, theta, b, grad, cost, net, x, y (at 'zz')"),
        bad("show cost 1", "show cost takes no layer (at '1')"),
        bad("explain grad 2 3 1", "unit i of layer 2 must be between 1 and 2, not 3 (at '3')"),
        bad("explain grad 2 1 5", "unit j of layer 1 (0 for the bias) must be between 0 and 2, not 5 (at '5')"),
        bad("explain z 1 0", "unit i of layer 1 must be between 1 and 2, not 0 (at '0')"),
        bad("explain delta 1 -1", "unit i of layer 1 must be between 1 and 2, not -1 (at '-1')"),
        bad("explain delta 2", "explain needs more: usage: explain delta L i"),
        bad("explain foo 1 1", "explain what? choose z, a, delta, grad, cost (at 'foo')"),
        bad("sample 0", "the sample number must be between 1 and 3, not 0 (at '0')"),
        bad("sample 4", "the sample number must be between 1 and 3, not 4 (at '4')"),
        bad("sample -1", "the sample number must be between 1 and 3, not -1 (at '-1')"),
        bad("lesson 0", "there is no lesson 0: the lessons are 1 to 15 (at '0')"),
        bad("lesson 99", "there is no lesson 99: the lessons are 1 to 15 (at '99')"),
        bad("lesson 1000", "a lesson number must be between 0 and 999, not 1000 (at '1000')"),
        // Numbers: overflow, -0, NaN, infinity, huge integer literals.
        bad("x = [1e400 0]", "'1e400' is too large: it overflows a Double"),
        bad("x = [nan 0]", "NaN is not allowed as a matrix entry (at 'nan')"),
        bad("x = [inf 0]", "infinity is not allowed as a matrix entry (at 'inf')"),
        bad("y = [0 -infinity]", "infinity is not allowed as a matrix entry (at '-infinity')"),
        bad("update alpha=1e400", "'1e400' is too large: it overflows a Double"),
        bad("update alpha=nan", "NaN is not allowed as alpha= (at 'nan')"),
        bad("update alpha=-0", "alpha= must be greater than 0 (at '-0')"),
        bad("update alpha=0x", "'0x' is not alpha="),
        bad("update lambda=-1e-9", "lambda= must be 0 or more (at '-1e-9')"),
        bad("set lambda inf", "infinity is not allowed as lambda (at 'inf')"),
        bad("set lambda -0.5", "lambda must be 0 or more (at '-0.5')"),
        bad("set precision -0", "precision must be between 1 and 17, not 0 (at '-0')"),
        bad("set precision 99999999999999999999", "precision must be between 1 and 17, not 99999999999999999999 (at '99999999999999999999')"),
        bad("net 99999999999999999999 2", "a layer size must be between 1 and 100000, not 99999999999999999999 (at '99999999999999999999')"),
        bad("net 2 -0 1", "a layer size must be between 1 and 100000, not 0 (at '-0')"),
        bad("net 2 1e3 1", "a layer size must be between 1 and 100000, not 1e3 (at '1e3')"),
        bad("init seed=99999999999999999999", "seed= must be between 0 and 9223372036854775807, not 99999999999999999999 (at '99999999999999999999')"),
        bad("init seed=-4", "seed= must be between 0 and 9223372036854775807, not -4 (at '-4')"),
        bad("init eps=0", "eps= must be greater than 0 (at '0')"),
        bad("sample 18446744073709551616", "the sample number must be between 1 and 3, not 18446744073709551616 (at '18446744073709551616')"),
        bad("check eps=1e-400", "eps= must be between 0 and 1, e.g. 1e-4 (at '1e-400')"),
        bad("check eps=nan", "NaN is not allowed as eps= (at 'nan')"),
        bad("split test=1", "test= must be at least 0 and below 1 (at '1')"),
        bad("split test=-0.1", "test= must be at least 0 and below 1 (at '-0.1')"),
        bad("train epochs=1e9", "epochs= must be between 1 and 100000000, not 1e9 (at '1e9')", .trainedNoBias),
        bad("train epochs=0", "epochs= must be between 1 and 100000000, not 0 (at '0')", .trainedNoBias),
        bad("train alpha=-0", "alpha= must be greater than 0 (at '-0')", .trainedNoBias),
        bad("train alpha=inf", "infinity is not allowed as alpha= (at 'inf')", .trainedNoBias),
        bad("train lambda=nan", "NaN is not allowed as lambda= (at 'nan')", .trainedNoBias),
        bad("train batch=0", "batch= must be between 1 and 9223372036854775807, not 0 (at '0')", .trainedNoBias),
        bad("train cost=xent reduction=median", "reduction= must be sum or mean, not 'median'", .trainedNoBias),
        // A network too large for memory is refused before anything is allocated.
        bad("net 100000 100000 100000", "a network of 20000200000 weights needs about 640006 MB; the limit is 50000000 weights"),
        bad("net 2 100000 100000 2", "a network of 10000600002 weights needs about 320019 MB; the limit is 50000000 weights"),
        bad(sixtyFiveLayers, "at most 64 layers, got 65"),
        bad("net 2", "net needs at least two layer sizes, e.g. net 2 2 1"),
        bad("net 2 2 1 act=tanh cost=xent", "cross-entropy needs a sigmoid output layer (its a must lie in (0, 1))"),
        // Data sets.
        bad("train", "no data set yet: choose one with data first, e.g. data xor", .example),
        bad("train", "the data has 2 inputs and 1 outputs but the network is 2-2-2: try net 2 2 1"),
        bad("eval", "no data set yet: choose one with data first", .example),
        bad("data mnist", "no data set called 'mnist': choose xor, and, or, iris or digits, or data load FILE.csv"),
        bad("data load", "data needs more: usage: data load FILE.csv [options]"),
        bad("data load $DIR/missing.csv", "no such file: $DIR/missing.csv"),
        bad("data load $DIR/empty.csv", "$DIR/empty.csv is empty"),
        bad("data load $DIR/bom-only.csv", "$DIR/bom-only.csv is empty"),
        bad("data load $DIR/blank-lines.csv", "$DIR/blank-lines.csv is empty"),
        bad("data load $DIR/ragged.csv", "$DIR/ragged.csv line 2 has 2 columns, the first has 3"),
        bad("data load $DIR/crlf-ragged.csv", "$DIR/crlf-ragged.csv line 3 has 2 columns, the first has 3"),
        bad("data load $DIR/text.csv", "$DIR/text.csv line 2, column 2: 'two' is not a finite number"),
        bad("data load $DIR/nan.csv", "$DIR/nan.csv line 2, column 2: 'nan' is not a finite number"),
        bad("data load $DIR/huge.csv", "$DIR/huge.csv line 2, column 2: '1e400' is not a finite number"),
        bad("data load $DIR/one-column.csv", "$DIR/one-column.csv needs at least two columns (inputs and a target)"),
        bad("data load $DIR/header-only.csv", "$DIR/header-only.csv has a header but no rows"),
        bad("data load $DIR/binary.csv", "$DIR/binary.csv is not UTF-8 text"),
        bad("data load $DIR/one-class.csv", "the target column has a single class 'cat'"),
        bad("data load $DIR/escape.csv", "$DIR/escape.csv line 2, column 2: '⟨U+001B⟩[2J' is not a finite number"),
        bad("data load $DIR/xor.csv target=4", "target column 4 does not exist: $DIR/xor.csv has 3 columns"),
        bad("data load $DIR/xor.csv target=0", "target= must be between 1 and 1000000, not 0 (at '0')"),
        bad("data load $DIR/xor.csv target=1,2,3", "every column is a target: no inputs are left"),
        bad("data load $DIR/xor.csv onehot=yes target=1,2", "one-hot targets need a single target column"),
        bad("data load $DIR/xor.csv scale=log", "scale= must be none, minmax or standard, not 'log'"),
        bad("data load $DIR/folder", "$DIR/folder is a directory, not a file"),
        bad("data load $DIR/fifo", "$DIR/fifo is not a regular file (a device, pipe or socket cannot be read as data)"),
        bad("data load /dev/zero", "/dev/zero is not a regular file (a device, pipe or socket cannot be read as data)"),
        bad("data load $DIR/img.idx $DIR/lab-short.idx", "$DIR/lab-short.idx is truncated: its header announces 3 bytes of data (11 bytes in all), the file has 10"),
        bad("data load $DIR/img.idx $DIR/lab-two.idx", "$DIR/img.idx has 3 images but $DIR/lab-two.idx has 2 labels"),
        bad("data load $DIR/lab.idx $DIR/img.idx", "$DIR/lab.idx has one dimension (3): it looks like a labels file; the images come first: data load IMAGES LABELS"),
        bad("data load $DIR/gz.idx $DIR/lab.idx", "$DIR/gz.idx is gzip-compressed: unpack it first (gunzip $DIR/gz.idx)"),
        bad("data load $DIR/float.idx $DIR/lab.idx", "$DIR/float.idx holds floats (magic number 0x00000D01); only unsigned bytes (0x08), as in MNIST, are read"),
        bad("data load $DIR/huge.idx $DIR/lab.idx", "$DIR/huge.idx announces 4294967295 × 4294967295 × 2 values; at most 100000000 are read"),
        bad("data load $DIR/img.idx $DIR/lab.idx scale=minmax", "scale= is for CSV files: IDX images are always scaled ÷ 255 and labels made one-hot (at 'minmax')"),
        // Session files: missing, truncated, corrupted, newer, not a session.
        bad("load $DIR/missing.json", "no such file: $DIR/missing.json"),
        bad("load $DIR/truncated.json", "$DIR/truncated.json is not valid JSON: line 27, column 3: expected a member name in double quotes, found the end of the text"),
        bad("load $DIR/corrupt.json", "$DIR/corrupt.json is not valid JSON: line 12, column 11: expected a member name in double quotes, found '['"),
        bad("load $DIR/newer.json", "$DIR/newer.json was saved by a newer Backprop (format version 2); this one reads version 1"),
        bad("load $DIR/version-text.json", "$DIR/version-text.json: \"version\" must be a whole number, found \"1\""),
        bad("load $DIR/nan.json", "$DIR/nan.json is not valid JSON: line 12, column 12: NaN and Infinity are not JSON numbers (and not allowed as weights)"),
        bad("load $DIR/overflow.json", "$DIR/overflow.json: network.layers[1].theta[1][1] is 1e400, which is not a finite Double (it overflows)"),
        bad("load $DIR/shape.json", "$DIR/shape.json: network.layers[1].theta[1] must have 2 entries (Θ is 2 × 2 (n₁ × n₀)), found 3"),
        bad("load $DIR/misspelt.json", "$DIR/misspelt.json: objective has an unknown member \"lamda\" (allowed: \"cost\", \"reduction\", \"lambda\")"),
        bad("load $DIR/empty.json", "$DIR/empty.json is not valid JSON: line 1, column 1: the text is empty: expected a JSON object"),
        bad("load $DIR/escape.json", "$DIR/escape.json is not valid JSON: line 1, column 8: unknown escape '\\⟨U+000A⟩'"),
        bad("load $DIR/list.json", "$DIR/list.json is not a Backprop session: it holds a list, not an object { … }"),
        bad("load $DIR/deep.json", "$DIR/deep.json is not valid JSON: line 1, column 65: nested more than 64 levels deep"),
        bad("load $DIR/big.json", "$DIR/big.json: network.sizes describe a network of 20000200000 weights; the limit is 50000000"),
        bad("load $DIR/not-session.txt", "$DIR/not-session.txt is not valid JSON: line 1, column 1: expected a value, found 'm'"),
        bad("load $DIR/folder", "$DIR/folder is a directory, not a file"),
        bad("load $DIR/fifo", "$DIR/fifo is not a regular file (a device, pipe or socket cannot be read as data)"),
        // Saves that cannot be made keep the session and the file that was there.
        bad("save $DIR/folder", "cannot save to $DIR/folder: it is a directory"),
        bad("save $DIR/nowhere/model.json", "cannot save to $DIR/nowhere/model.json: the directory $DIR/nowhere does not exist"),
        bad("save $DIR/xor.csv", "cannot save to $DIR/xor.csv: the file exists and is not a Backprop session file; choose another name or remove it first"),
        bad("save $DIR/not-session.txt/model.json", "cannot save to $DIR/not-session.txt/model.json: $DIR/not-session.txt is not a directory"),
        bad("save", "save needs more: usage: save FILE"),
        // Settings.
        bad("set notation latin", "set notation takes unicode or ascii, not 'latin'"),
        bad("set wobble 3", "nothing called 'wobble' to set: choose color, cost, lambda, notation, precision, reduction"),
        bad("set cost xent extra", "too many words for set: usage: set NAME VALUE (at 'extra')"),
        bad("set precision", "set needs more: usage: set NAME VALUE"),
        // Lessons and plots.
        bad("next", "no lesson is running: type lesson for the list, lesson 1 to begin"),
        bad("answer 3", "no lesson is running: type lesson for the list, lesson 1 to begin"),
        bad("plot", "nothing to plot yet: train first (e.g. data xor, net 2 2 1, init seed=1, train epochs=2000 alpha=2)"),
        bad("plot file=$DIR/curve.png", "plot writes SVG pictures: give a file name ending in .svg", .trainedNoBias),
        bad("plot scale=cubic", "scale= must be linear or log, not 'cubic'", .trainedNoBias),
    ]

    @Test(arguments: rows)
    func badInputChangesNothing(_ row: Row) throws {
        let dir = Self.files.path
        let line = row.line.replacingOccurrences(of: "$DIR", with: dir)
        let session = Session(style: Style(unicode: true, color: false, precision: 9))
        session.state.lesson.progressDisabled = true
        for setupLine in row.setup.lines {
            let out = session.execute(setupLine)
            try #require(!out.isError, "setup line \(setupLine) failed: \(out.text)")
        }
        let before = session.snapshot
        let output = session.execute(line)
        let location = SourceLocation(fileID: #fileID, filePath: #filePath, line: row.sourceLine, column: 9)
        if let message = row.message {
            let expected = "error: " + message.replacingOccurrences(of: "$DIR", with: dir)
            #expect(output.isError, "the line should fail", sourceLocation: location)
            #expect(output.text == expected, sourceLocation: location)
            #expect(!output.text.contains("\n"), "an error is one line", sourceLocation: location)
        } else {
            #expect(!output.isError && output.text.isEmpty, "expected no output, got \(output.text)", sourceLocation: location)
        }
        #expect(session.snapshot == before, "the session changed", sourceLocation: location)
    }

    @Test func tableIsLargeEnough() {
        #expect(Self.rows.count >= 80)
    }

    /// An unreadable file: chmod 000 for a normal user; root reads anything, so there
    /// /proc/self/mem, which exists but fails read(2).
    @Test func unreadableFile() throws {
        let session = IOTest.session()
        IOTest.ok(session, "data xor")
        let before = session.snapshot
        let url = Self.files.appendingPathComponent("locked-\(UUID().uuidString.prefix(6)).csv")
        try IOTest.write("1,2,3\n4,5,6\n", url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(chmod(url.path, 0) == 0)
        if IOTest.isRoot {
            #expect(IOTest.fails(session, "data load /proc/self/mem") == "error: /proc/self/mem cannot be read")
            #expect(IOTest.fails(session, "load /proc/self/mem") == "error: /proc/self/mem cannot be read")
        } else {
            #expect(IOTest.fails(session, "data load \(url.path)") == "error: \(url.path) cannot be read (permission denied)")
            #expect(IOTest.fails(session, "load \(url.path)") == "error: \(url.path) cannot be read (permission denied)")
        }
        #expect(session.snapshot == before)
    }

    /// What the shell prints never carries a control character from outside: a typed
    /// line in `history`, a class name from a CSV file, a session file's "saved_by".
    @Test func controlCharactersNeverReachTheTerminal() throws {
        let session = IOTest.session()
        #expect(session.execute("x\u{1B}[2J").isError)
        #expect(session.execute("history").text == "1  x⟨U+001B⟩[2J\n2  history")
        let url = Self.files.appendingPathComponent("classes-\(UUID().uuidString.prefix(6)).csv")
        try IOTest.write("a,kind\n1,\u{1B}]0;pwned\u{07}\n2,dog\n", url)
        defer { try? FileManager.default.removeItem(at: url) }
        let loaded = session.execute("data load \(url.path)").text
        #expect(loaded.contains("(2 classes: ⟨U+001B⟩]0;pwned⟨U+0007⟩, dog)"), "\(loaded)")
        let saved = SessionFile.encode(SessionState.example(style: Style()))
            .replacingOccurrences(of: "\"saved_by\": \"", with: "\"saved_by\": \"\\u001b[31m")
        let file = Self.files.appendingPathComponent("saved-by-\(UUID().uuidString.prefix(6)).json")
        try IOTest.write(saved, file)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = session.execute("load \(file.path)").text
        #expect(text.contains("saved by ⟨U+001B⟩[31mBackprop"), "\(text)")
        // With colour on, the shell's own colours stay.
        let coloured = Session(style: Style(unicode: true, color: true, precision: 9))
        #expect(coloured.execute("frobnicate").text == "\u{1B}[31merror: unknown command 'frobnicate'; type help for the list\u{1B}[0m")
        #expect(coloured.execute("frob\u{2028}").text.contains("'frob⟨U+2028⟩'"))
        let ascii = Session(style: Style(unicode: false, color: false, precision: 9))
        #expect(ascii.execute("frob\u{2028}").text == "error: unknown command 'frob<U+2028>'; type help for the list")
    }

    /// Found by fuzzing: `NSString.deletingLastPathComponent` traps on a one-character
    /// name in swift-corelibs-foundation 6.3; Tab after `save x` crashed the shell.
    @Test func oneCharacterNamesComplete() {
        let session = IOTest.session()
        for line in ["save x", "load .", "data load x", "plot file=x", "save é", "load x/"] {
            _ = session.completions(for: line)
        }
        #expect(FilePath.directory(of: "x") == "")
        #expect(FilePath.directory(of: ".") == "")
        #expect(FilePath.directory(of: "x/") == "")
        #expect(FilePath.directory(of: "/x") == "/")
        #expect(FilePath.directory(of: "/") == "/")
        #expect(FilePath.directory(of: "a/b") == "a")
        #expect(FilePath.directory(of: "a//b") == "a")
        #expect(FilePath.directory(of: "/a/b/c/") == "/a/b")
        #expect(FilePath.directory(of: "~/m.json") == "~")
        #expect(FilePath.directory(of: "") == "")
    }

    /// A save to a full disk (a 64 KiB tmpfs, where mounting is allowed: root with
    /// CAP_SYS_ADMIN) reports it, keeps the session and the old file, and leaves no
    /// temporary file behind.
    @Test func saveToAFullDisk() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "backprop-full", dir.path]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { return }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { return }  // not allowed here: nothing to test
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [dir.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let session = IOTest.session()
        let file = dir.appendingPathComponent("keep.json").path
        IOTest.ok(session, "save \(file)")
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        IOTest.ok(session, "net 20 40 20", "init seed=1")  // a file of about 40 KB
        IOTest.ok(session, "save \(dir.path)/other.json")  // fits once
        let before = session.snapshot
        #expect(IOTest.fails(session, "save \(file)") == "error: cannot save to \(file): the disk is full")
        #expect(session.snapshot == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["keep.json", "other.json"])
    }
}
