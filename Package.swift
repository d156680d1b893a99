// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The engine is compiled for AVX2 and FMA (the x86-64 processors of the last ten years)
/// when the machine that builds it has both: its loops then work on four doubles at a
/// time instead of two, and fused multiply-adds are single instructions.
/// `BACKPROP_PORTABLE=1` builds for any x86-64 processor instead.
let engineSettings: [SwiftSetting] = {
    #if arch(x86_64) && os(Linux)
    guard ProcessInfo.processInfo.environment["BACKPROP_PORTABLE"] == nil,
          let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let flags = Set(line.split(separator: " "))
    return flags.contains("avx2") && flags.contains("fma") ? [.unsafeFlags(["-target-cpu", "haswell"])] : []
    #else
    return []
    #endif
}()

let package = Package(
    name: "Backprop",
    products: [
        .executable(name: "backprop", targets: ["BackpropCLI"]),
        .executable(name: "backprop-bench", targets: ["BackpropBench"]),
        .library(name: "Backprop", targets: ["Backprop"]),
    ],
    targets: [
        // The engine: the lecture's math, no I/O, no printing.
        .target(name: "Backprop", dependencies: ["CPrefetch"], swiftSettings: engineSettings),
        // The processor's prefetch hint, which Swift cannot spell (a header of one static
        // inline function).
        .systemLibrary(name: "CPrefetch"),
        // The shell's language: parse a line, run it on a Session, return text.
        .target(name: "BackpropShell", dependencies: ["Backprop"]),
        // libedit, through a module map and a shim of static inline wrappers.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The executable `backprop`: line editor, signals, flags.
        .executableTarget(
            name: "BackpropCLI",
            dependencies: ["BackpropShell", "Backprop", "CLibEdit"]
        ),
        // `backprop-bench`: the engine as a benchmark peer (Benchmarks/README.md).
        .executableTarget(name: "BackpropBench", dependencies: ["Backprop"], path: "Benchmarks/Swift"),
        .testTarget(name: "BackpropTests", dependencies: ["Backprop"], exclude: ["Fixtures", "Reference"]),
        .testTarget(name: "BackpropShellTests", dependencies: ["BackpropShell", "Backprop"], exclude: ["Transcripts"]),
        .testTarget(name: "LessonTests", dependencies: ["BackpropShell", "Backprop"]),
        // The `backprop` executable, run as a user would: scripts, pipes, and tmux.
        .testTarget(name: "CLITests", dependencies: ["BackpropCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
