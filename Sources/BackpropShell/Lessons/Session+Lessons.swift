import Foundation
import Backprop

extension Session {
    /// What the front end should put on the next input line, ready to run or edit:
    /// in a lesson, the command the lesson offers (until the learner has run it), then
    /// `next`; while an exercise waits for its answer, `answer `; nil outside a lesson.
    /// Read it before each prompt: that is also how the lesson learns that the learner
    /// ran the offered command (possibly edited) rather than something else.
    public var suggestedInput: String? {
        state.lesson.observe(enteredLines)
        return state.lesson.suggestion
    }

    /// Runs `line` (or several, one per line) on a copy of the session and returns the
    /// last output; the session is left exactly as it was (used to compute an
    /// exercise's answer).
    func peek(_ line: String) -> Output {
        SessionState.peek(line, on: state)
    }
}

extension SessionState {
    /// Runs one line on `state` as the shell would, through a scratch Session; with the
    /// running command's context, Ctrl-C and the progress line reach that line too (a
    /// lesson's `train` stops like one typed at the prompt).
    static func run(_ line: String, on state: inout SessionState, _ context: Context? = nil) -> Output {
        let scratch = Session(style: state.style, cancel: context?.cancel ?? CancellationFlag())
        scratch.progressHandler = context?.progress
        scratch.state = state
        let output = scratch.execute(line)
        state = scratch.state
        return output
    }

    /// Runs lines (one per line of `text`) on a copy of `state`; the last one's
    /// output, or the first error.
    static func peek(_ text: String, on state: SessionState) -> Output {
        var copy = state
        var output = Output(text: "")
        for line in text.split(separator: "\n").map(String.init) {
            output = run(line, on: &copy)
            if output.isError { return output }
        }
        return output
    }
}
