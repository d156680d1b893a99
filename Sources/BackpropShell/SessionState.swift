import Backprop

/// Everything a learner has built in a session. Commands run on a copy, so a failing
/// command leaves the session exactly as it was.
struct SessionState {
    var network: Network
    var objective = Objective()
    /// The current sample x (n₀ entries) and target y (n_L entries).
    var x: [Double]
    var y: [Double]
    var style: Style
    /// Counts changes to the network, the weights, the sample and the objective.
    private(set) var version = 0
    /// What the last change was, for the "recomputed" note.
    private(set) var lastChange = ""
    /// The pass over (x, y) and when it was computed.
    private(set) var trace: Trace?
    private(set) var traceVersion = -1
    /// Where `step` is, and for which version.
    var stepIndex = 0
    var stepVersion = -1
    /// The lesson being followed (lesson, next, answer) and where the course is.
    var lesson = LessonMode()

    /// The recording in progress (`record FILE` … `record stop`).
    var recorder: LessonRecorder?

    /// The data set (`data`), and the curve of the last training runs (`plot`).
    var data: SessionData?
    var trainingLog: [EpochLog] = []

    var render: Renderer { Renderer(style: style) }

    /// Records a change to what the pass depends on.
    mutating func changed(_ what: String) {
        version += 1
        lastChange = what
    }

    /// The classic 2-2-2 example with bias: x = (0.05, 0.10), y = (0.01, 0.99).
    static func example(style: Style) -> SessionState {
        var network = try! Network(sizes: [2, 2, 2])
        try! network.setTheta(1, Matrix([[0.15, 0.20], [0.25, 0.30]]))
        try! network.setBias(1, [0.35, 0.35])
        try! network.setTheta(2, Matrix([[0.40, 0.45], [0.50, 0.55]]))
        try! network.setBias(2, [0.60, 0.60])
        return SessionState(network: network, x: [0.05, 0.10], y: [0.01, 0.99], style: style)
    }

    /// Whether the trace reflects the current network and sample.
    var isTraceCurrent: Bool { trace != nil && traceVersion == version }

    /// The forward pass (and J) over (x, y), recomputed when anything changed. Returns
    /// a note when an earlier pass had gone out of date.
    mutating func forward() throws(ShellError) -> (Trace, note: String?) {
        if let trace, traceVersion == version { return (trace, nil) }
        let wasComputed = trace != nil
        do throws(EngineError) {
            let t = try Trace.forward(network, x: .column(x), y: .column(y), objective: objective)
            trace = t
            traceVersion = version
        } catch {
            throw ShellError(Describe.engineError(error, render))
        }
        let note = wasComputed ? "(recomputed: \(lastChange) since the last pass)" : nil
        return (trace!, note)
    }

    /// forward, then backward when it has not run on the current state.
    mutating func backward() throws(ShellError) -> (Trace, note: String?) {
        let (t, note) = try forward()
        if t.hasBackward { return (t, note) }
        var copy = t
        copy.backward(network)
        trace = copy
        return (copy, note)
    }
}

/// One finished epoch of a `train` run, for the progress line and `plot`.
struct EpochLog: Sendable, Equatable, Codable {
    var epoch: Int
    var J: Double
    var trainAccuracy: Double?
    var testAccuracy: Double?
}
