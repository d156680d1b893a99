import Backprop

/// present [N]: the pass one equation per key press, for a projector. On a terminal the
/// front end takes over the screen (`Session.presentation(for:width:)`); in a script or
/// a pipe the command prints every slide one after another.
enum PresentCommand {
    static let present = Command(
        name: "present",
        usage: "present [N]",
        summary: "present mode for a projector: one equation per key press, the network drawn with its values",
        details: """
        The screen shows one step of the forward and backward pass at a time, large and
        centred with its numbers, and the network with the values known at that point:
        activations flowing forward, then the errors δ flowing back, then the gradients.
        Space, Enter or → moves on; ← or Backspace goes back; Home and End jump; q returns
        to the shell with everything as it was. present N starts at slide N. In a script
        (no terminal) present prints every slide.
        """,
        example: "present",
        run: { state, args, ctx throws(ShellError) in
            let start = try startSlide(args)
            let presentation = try Slides.build(&state, width: 80)
            guard start <= presentation.slides.count else {
                throw ShellError("there are \(presentation.slides.count) slides; present N takes 1 to \(presentation.slides.count)")
            }
            return presentation.text(width: 80)
        }
    )

    /// The slide number N of `present N` (1 when absent).
    static func startSlide(_ args: Arguments) throws(ShellError) -> Int {
        try args.expectPositional(0...1, usage: "present [N]")
        try args.expectNoAssignment(usage: "present [N]")
        guard let word = args.word(0) else { return 1 }
        return try Values.integer(word, what: "the slide number", in: 1...1000)
    }
}

extension Session {
    /// The presentation and the slide to start at when `line` is a valid `present`
    /// command (the front end then takes over the screen); nil for any other line, and
    /// for a `present` with a mistake, which `execute` then reports. The session's state
    /// stays as it was (only the pass is computed, as `forward` would).
    public func presentation(for line: String, width: Int) -> (presentation: Presentation, start: Int)? {
        guard let tokens = try? Lexer.tokens(line), let first = tokens.first, first.kind == .word,
              first.text.lowercased() == PresentCommand.present.name else { return nil }
        do throws(ShellError) {
            let arguments = try Arguments(command: "present", tokens: Array(tokens.dropFirst()), allowedOptions: [])
            let start = try PresentCommand.startSlide(arguments)
            var copy = state
            let presentation = try Slides.build(&copy, width: width)
            guard start <= presentation.slides.count else { return nil }
            state = copy
            return (presentation, start - 1)
        } catch {
            return nil
        }
    }
}
