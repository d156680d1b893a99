import Backprop
import Foundation

/// libFuzzer target over the file readers. The first byte picks the reader, the second
/// its options, the rest is the file:
/// 0: a CSV table (`data load FILE.csv` with header=, onehot=, scale=, target=);
/// 1: a pair of IDX files (`data load IMAGES LABELS`), split where the second byte says;
/// 2: a session file (`load FILE`), applied to a session; a file that loads is saved
///    and loaded again and must give back the same network, sample and cost;
/// 3: the lessons' progress file (~/.backprop/progress.json), then `lesson`,
///    `lesson N` (N from the second byte) and `next`, which must not fail.
/// Each file goes through the real path: written into the sandbox, read by FileText.
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
    var options = CSVOptions()
    options.header = [nil, true, false, nil][Int(flags & 3)]
    options.oneHot = [nil, true, false, nil][Int(flags >> 2 & 3)]
    options.scale = [.none, .minmax, .standard, .none][Int(flags >> 4 & 3)]
    options.targets = [[], [1], [2], [1, 3]][Int(flags >> 6 & 3)]
    let path = write(body, "f.csv")
    let table: CSVReader.Table
    do throws(ShellError) { table = try CSVReader.read(path: path, options: options) } catch {
        if error.message.contains("\n") { fuzzFailure("a CSV error of more than one line: \(error.message)") }
        return
    }
    let set = table.dataset
    guard set.x.cols == set.y.cols, set.x.rows >= 1, set.y.rows >= 1, set.x.isFinite, set.y.isFinite else {
        fuzzFailure("a CSV read into an inconsistent data set: x \(set.x.rows)×\(set.x.cols), y \(set.y.rows)×\(set.y.cols)")
    }
    if let classes = table.classes {
        guard classes.count == set.y.rows,
              (0..<set.y.cols).allSatisfy({ k in set.y.column(k).filter { $0 == 1 }.count == 1 }) else {
            fuzzFailure("one-hot targets that are not one-hot (\(classes.count) classes, y has \(set.y.rows) rows)")
        }
    }
}

private func fuzzIDX(_ body: Data, _ flags: UInt8) {
    let cut = body.count * Int(flags) / 255
    let images = write(body.prefix(cut), "i.idx"), labels = write(body.dropFirst(cut), "l.idx")
    let loaded: SessionData
    do throws(ShellError) { loaded = try IDXReader.read(images: images, labels: labels) } catch {
        if error.message.contains("\n") { fuzzFailure("an IDX error of more than one line: \(error.message)") }
        return
    }
    let set = loaded.train
    guard set.x.cols == set.y.cols, set.x.elements.allSatisfy({ $0 >= 0 && $0 <= 1 }),
          (0..<set.y.cols).allSatisfy({ k in set.y.column(k).filter { $0 == 1 }.count == 1 }) else {
        fuzzFailure("IDX files read into an inconsistent data set")
    }
}

private func fuzzSession(_ body: Data) {
    let path = write(body, "f.json")
    let session = Session(style: Style(unicode: true, color: false, precision: 9))
    let before = session.snapshot
    let first = session.execute("load \(path)")
    if first.isError {
        if first.text.contains("\n") { fuzzFailure("a load error of more than one line:\n\(first.text)") }
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
        if output.isError { fuzzFailure("\(line) failed over a progress file: \(output.text)") }
    }
}

