/// What the command line asks for.
///
/// Subcommands (the coming `backprop train --data ...`) are recognised by their first
/// argument, before the flags below are parsed: give each one a `Mode` case and a
/// branch at the top of `parse`, so that a script named like a flag stays a script.
struct Options: Equatable {
    enum Mode: Equatable {
        /// The interactive shell when standard input and output are terminals,
        /// otherwise a script read from standard input.
        case shell
        /// A script of commands from a file.
        case script(path: String)
        case version
        case help
        /// `backprop train --data … --layers …`: training without the shell.
        case train(arguments: [String])
    }

    var mode: Mode = .shell
    /// `--ascii`: ASCII notation even on a UTF-8 terminal.
    var ascii = false
    /// `--no-color`: no colour even on a terminal.
    var noColor = false

    struct UsageError: Error, Equatable {
        let message: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        if arguments.first == "train" {
            options.mode = .train(arguments: Array(arguments.dropFirst()))
            return options
        }
        var path: String?
        var flagsEnded = false
        for argument in arguments {
            if !flagsEnded && argument.hasPrefix("-") && argument != "-" {
                switch argument {
                case "--": flagsEnded = true
                case "--help", "-h": options.mode = .help
                case "--version": if options.mode != .help { options.mode = .version }
                case "--ascii": options.ascii = true
                case "--no-color", "--no-colour": options.noColor = true
                default: throw UsageError(message: "unknown option '\(argument)'")
                }
                continue
            }
            guard path == nil else {
                throw UsageError(message: "one script at a time ('\(path!)' and '\(argument)')")
            }
            path = argument
        }
        if options.mode == .shell, let path, path != "-" {
            options.mode = .script(path: path)
        }
        return options
    }

    static let usage = """
        usage: backprop [--ascii] [--no-color]     the interactive shell
               backprop [--ascii] FILE             run a script of commands
               COMMANDS | backprop [--ascii]       run commands from standard input (or FILE -)
               backprop train --data NAME|FILE.csv --layers 64,32,10 [--epochs N] [--alpha A]
                              [--batch all|N] [--lambda L] [--seed S] [--test 0.2] [--save FILE] …
               backprop --version | --help

        A script has one command per line; blank lines and lines starting with # are
        skipped. Each command is echoed as "backprop> COMMAND" followed by its output.
        The first failing command stops the run: FILE:LINE: message on standard error,
        exit status 1.

        options:
          --ascii      ASCII notation (z^(1)_2) instead of Unicode (z₂⁽¹⁾); also the
                       default when the locale is not UTF-8
          --no-color   no colour (colour is used only in the interactive shell, and
                       never when NO_COLOR is set)
          --version    print the version and exit
          -h, --help   print this help and exit

        backprop train runs data, net, init, split, train, eval and save for you and
        prints what each shows (backprop train --help lists its flags).

        In the shell: Tab completes, Up and Down recall earlier lines (kept in
        ~/.backprop_history), Ctrl-C cancels the line or stops a long command,
        Ctrl-D or quit leaves. Type help for the commands.
        """
}
