import Backprop
import Foundation

/// libFuzzer target over the shell's line interpreter: an input is a script, one
/// command per line (bytes decoded as the CLI decodes them, invalid UTF-8 repaired),
/// run in one fresh session. Besides crashes, sanitizer reports and hangs, it stops on
/// a broken promise of the shell:
/// - a failing line changes nothing (network, weights, sample, data, settings);
/// - an error is one line; no output carries a control character (colour is off,
///   unless a line turns it on: then only the colour sequences).
/// Tab completion runs on every line too. A line running longer than the watchdog's
/// limit gets Ctrl-C (the cancellation flag), as a learner would press it.
/// BACKPROP_FUZZ_TRACE=1: each line with its time, on standard error (to see what is slow).
let traceLines = ProcessInfo.processInfo.environment["BACKPROP_FUZZ_TRACE"] != nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSandbox.setUp()
    Watchdog.start()
    defer { FuzzSandbox.clean() }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let session = Session(style: Style(unicode: true, color: false, precision: 9))
    for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        if index >= 64 { break }
        let line = String(decoding: raw, as: UTF8.self)
        // Files are written only inside the sandbox.
        if line.contains("/") || line.contains("~") { continue }
        _ = session.completions(for: line)
        let before = session.snapshot
        let start = DispatchTime.now().uptimeNanoseconds
        let output = Watchdog.line(session.cancel) { session.execute(line) }
        if traceLines {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            FileHandle.standardError.write(Data("\(String(format: "%8.1f", ms)) ms  \(line.debugDescription)\n".utf8))
        }
        checkTerminalSafe(output, "the line \(line.debugDescription)")
        if output.isError {
            if session.snapshot != before {
                fuzzFailure("the failing line \(line.debugDescription) changed the session:\n\(output.text)")
            }
        }
        if output.quit { break }
    }
    return 0
}
