import BackpropShell
import CLibEdit
import Glibc

// backprop: the shell on a terminal, or a script from a file or a pipe.

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    Console.error("backprop: \(error.message) (backprop --help shows the usage)")
    exit(2)
}

switch options.mode {
case .version:
    Console.line("backprop \(BackpropVersion.string)")
    exit(0)
case .help:
    Console.line(Options.usage)
    exit(0)
case .shell, .script, .train:
    break
}

let localeIsUTF8 = Terminal.setUpLocale()
let interactive = options.mode == .shell && Terminal.isInteractive
let style = Style(unicode: localeIsUTF8 && !options.ascii,
                  color: Terminal.wantsColor(interactive: interactive, noColorFlag: options.noColor))
let session = Session(style: style)

// Long commands report progress in place, on a terminal only.
let progress: ProgressLine? = isatty(1) == 1 ? ProgressLine() : nil
if let progress { session.progressHandler = { progress.draw($0) } }

let status: Int32
switch options.mode {
case .train(let arguments):
    if arguments.contains("--help") || arguments.contains("-h") {
        Console.line(TrainCommandLine.usage)
        status = 0
        break
    }
    do {
        let lines = try TrainCommandLine.commands(arguments)
        status = ScriptRunner(session: session, name: "backprop train", progress: progress).run(lines: lines)
    } catch {
        Console.error("backprop train: \(error.message)\n\(TrainCommandLine.usage)")
        status = 2
    }
case .script(let path):
    status = ScriptRunner.run(path: path, session: session, progress: progress)
case _ where interactive:
    status = InteractiveShell(session: session, progress: progress ?? ProgressLine()).run()
default:
    status = ScriptRunner(session: session, name: "<stdin>", progress: progress).run(backpropStdin)
}
Console.flush()
exit(status)
