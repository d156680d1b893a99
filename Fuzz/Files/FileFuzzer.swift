import Backprop
import Foundation

/// libFuzzer target over the file readers. The first byte picks the reader, the second
/// its options, the rest is the file:
/// 0: a CSV table (`data load FILE.csv` with header=, onehot=, scale=, target= as the
///    second byte says);
/// 1: a pair of IDX files (`data load IMAGES LABELS`), split where the second byte says;
/// 2: a session file (`load FILE`), applied to a session; a file that loads is saved
///    and loaded again and must give back the same network, sample and cost;
/// 3: the lessons' progress file (~/.backprop/progress.json), then `lesson`,
///    `lesson N` (N from the second byte) and `next`, which must not fail.
/// Each file goes through the real path: written into the sandbox and loaded by the
/// command a learner would type.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSandbox.setUp()
    defer { FuzzSandbox.clean() }
    guard size >= 2 else { return 0 }
    let selector = data[0] % 4, flags = data[1]
    let body = Data(bytes: data + 2, count: size - 2)
    switch selector {
    case 0: fuzzCSV(body, flags)
    case 1: fuzzIDX(body, flags)
    case 2: fuzzSession(body)
    default: fuzzProgress(body, flags)
    }
    return 0
}

private func write(_ data: Data, _ name: String) -> String {
    _ = FileManager.default.createFile(atPath: name, contents: data)
    return name
}

private func fuzzCSV(_ body: Data, _ flags: UInt8) {
    var options: [String] = []
    if let header = [nil, "yes", "no", nil][Int(flags & 3)] { options.append("header=\(header)") }
    if let oneHot = [nil, "yes", "no", nil][Int(flags >> 2 & 3)] { options.append("onehot=\(oneHot)") }
    if let scale = [nil, "minmax", "standard", "none"][Int(flags >> 4 & 3)] { options.append("scale=\(scale)") }
    if let target = [nil, "1", "2", "1,3"][Int(flags >> 6 & 3)] { options.append("target=\(target)") }
    checkLoad(["data load \(write(body, "f.csv"))"] + options)
}

private func fuzzIDX(_ body: Data, _ flags: UInt8) {
    let cut = body.count * Int(flags) / 255
    checkLoad(["data load", write(body.prefix(cut), "i.idx"), write(body.dropFirst(cut), "l.idx")], pixels: true)
}

/// Runs `data load …` as typed: it fails in one safe line and changes nothing, or it
/// loads a consistent data set.
private func checkLoad(_ words: [String], pixels: Bool = false) {
    let session = Session(style: Style(unicode: true, color: false, precision: 9))
    let before = session.snapshot
    let output = session.execute(words.joined(separator: " "))
    checkTerminalSafe(output, "data load")
    if output.isError {
        if session.snapshot != before { fuzzFailure("a failed data load changed the session:\n\(output.text)") }
        return
    }
    guard let data = session.state.data else { fuzzFailure("data load succeeded without a data set") }
    let set = data.train
    guard set.x.cols == set.y.cols, set.x.rows >= 1, set.y.rows >= 1, set.x.isFinite, set.y.isFinite else {
        fuzzFailure("a data set of x \(set.x.rows)×\(set.x.cols), y \(set.y.rows)×\(set.y.cols), or not finite")
    }
    if pixels && !set.x.elements.allSatisfy({ $0 >= 0 && $0 <= 1 }) { fuzzFailure("IDX pixels outside [0, 1]") }
    if let classes = data.classes {
        guard classes.count == set.y.rows,
              (0..<set.y.cols).allSatisfy({ k in set.y.column(k).filter { $0 == 1 }.count == 1 }) else {
            fuzzFailure("one-hot targets that are not one-hot (\(classes.count) classes, y has \(set.y.rows) rows)")
        }
    }
}

private func fuzzSession(_ body: Data) {
    let path = write(body, "f.json")
    let session = Session(style: Style(unicode: true, color: false, precision: 9))
    let before = session.snapshot
    let first = session.execute("load \(path)")
    checkTerminalSafe(first, "load")
    if first.isError {
        if session.snapshot != before { fuzzFailure("a failed load changed the session:\n\(first.text)") }
        return
    }
    // Saved and loaded again: the same network (bit for bit), sample and cost.
    let loaded = session.snapshot
    let save = session.execute("save again.json")
    guard !save.isError else { fuzzFailure("a loaded session cannot be saved: \(save.text)") }
    let other = Session(style: Style(unicode: true, color: false, precision: 9))
    let again = other.execute("load again.json")
    guard !again.isError else { fuzzFailure("a saved session does not load: \(again.text)") }
    let reloaded = other.snapshot
    guard reloaded.sizes == loaded.sizes, reloaded.weights == loaded.weights, reloaded.activations == loaded.activations,
          reloaded.hasBias == loaded.hasBias, reloaded.x == loaded.x, reloaded.y == loaded.y,
          reloaded.objective == loaded.objective else {
        fuzzFailure("save then load did not give back the loaded session")
    }
}

private func fuzzProgress(_ body: Data, _ flags: UInt8) {
    try? FileManager.default.createDirectory(atPath: ".backprop", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: ".backprop/progress.json", contents: body)
    let session = Session(style: Style(unicode: true, color: false, precision: 9))
    for line in ["lesson", "lesson \(1 + Int(flags) % 15)", "next", "lesson"] {
        let output = session.execute(line)
        checkTerminalSafe(output, line)
        if output.isError { fuzzFailure("\(line) failed over a progress file: \(output.text)") }
    }
}

