// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Backprop",
    products: [
        .executable(name: "backprop", targets: ["BackpropCLI"]),
        .executable(name: "backprop-bench", targets: ["BackpropBench"]),
        .library(name: "Backprop", targets: ["Backprop"]),
    ],
    targets: [
        // The engine: the lecture's math, no I/O, no printing.
        .target(name: "Backprop"),
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
