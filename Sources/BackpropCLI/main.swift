import BackpropShell

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--version") {
    print("backprop \(BackpropVersion.string)")
} else {
    print("usage: backprop [FILE]")
}
