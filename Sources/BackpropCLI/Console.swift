import CLibEdit
import Glibc

/// Writing to standard output and standard error through C's buffered streams, the
/// ones libedit writes to too, so everything comes out in order.
enum Console {
    static func out(_ text: String) {
        fputs(text, backprop_stdout())
    }

    static func line(_ text: String) {
        out(text + "\n")
    }

    static func flush() {
        fflush(backprop_stdout())
    }

    /// Standard error, after flushing standard output so the two interleave as written.
    static func error(_ text: String) {
        flush()
        fputs(text + "\n", backprop_stderr())
        fflush(backprop_stderr())
    }
}

/// C's standard input stream (Swift 6 will not read the C global).
var backpropStdin: UnsafeMutablePointer<FILE> { backprop_stdin() }
