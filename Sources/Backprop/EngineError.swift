/// What the engine refuses, as data; the shell turns it into words in its own notation.
public enum EngineError: Error, Equatable, Sendable {
    /// A network needs an input layer and at least one more, each with ≥ 1 unit.
    case invalidLayerSizes([Int])
    /// Layer l does not exist (layers are numbered 1 … L).
    case layerOutOfRange(layer: Int, layers: Int)
    /// A matrix or vector has the wrong shape for what it was given to.
    case shapeMismatch(what: String, expectedRows: Int, expectedCols: Int, rows: Int, cols: Int)
    /// Rows of different lengths.
    case raggedRows(row: Int, expected: Int, found: Int)
    /// A value that must be finite is NaN or infinite.
    case nonFinite(what: String)
    /// The network has no bias units.
    case biasOff
    /// Cross-entropy needs an output in (0, 1), i.e. a sigmoid output layer.
    case crossEntropyNeedsSigmoidOutput
    /// A training or update parameter out of its range (α ≥ 0, λ ≥ 0, epochs ≥ 1, …).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// The data set and the network do not fit together.
    case emptyData
}
