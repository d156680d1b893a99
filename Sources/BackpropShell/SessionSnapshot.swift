import Backprop

/// What a learner would lose if a failing command touched it: the network and its
/// weights (bit for bit), the sample, the cost, the data set, the training log and the
/// settings. The bad-input tests and the fuzz targets compare it before and after a
/// line that fails ("a failing line changes nothing").
struct SessionSnapshot: Equatable {
    var sizes: [Int]
    var hasBias: Bool
    var activations: [Activation]
    /// Every θ, then every b, layer by layer, as bit patterns (−0 ≠ 0, NaN = NaN).
    var weights: [UInt64]
    var x: [UInt64]
    var y: [UInt64]
    var objective: Objective
    var style: Style
    var data: DataSnapshot?
    var trainingLog: [EpochLog]

    struct DataSnapshot: Equatable {
        var name: String
        var source: DataSource
        var train: Dataset
        var test: Dataset?
        var classes: [String]?
        var splitFraction: Double?
        var splitSeed: UInt64?
        var all: Dataset
    }
}

extension SessionState {
    var snapshot: SessionSnapshot {
        let bits = { (values: [Double]) in values.map(\.bitPattern) }
        var weights: [UInt64] = []
        for layer in network.layers {
            weights += bits(layer.theta.elements)
            weights += bits(layer.b ?? [])
        }
        return SessionSnapshot(
            sizes: network.sizes, hasBias: network.hasBias, activations: network.layers.map(\.activation),
            weights: weights, x: bits(x), y: bits(y), objective: objective, style: style,
            data: data.map {
                SessionSnapshot.DataSnapshot(name: $0.name, source: $0.source, train: $0.train, test: $0.test,
                                             classes: $0.classes, splitFraction: $0.split?.fraction,
                                             splitSeed: $0.split?.seed, all: $0.all)
            },
            trainingLog: trainingLog)
    }
}

extension Session {
    /// The state a failing line must leave exactly as it was.
    var snapshot: SessionSnapshot { state.snapshot }
}
