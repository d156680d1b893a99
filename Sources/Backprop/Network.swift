/// One layer l ≥ 1: z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,  a⁽ˡ⁾ = g(z⁽ˡ⁾).
public struct Layer: Equatable, Sendable {
    /// Θ⁽ˡ⁾, n_l × n_(l−1); θᵢⱼ connects unit j of layer l−1 to unit i of layer l.
    public internal(set) var theta: Matrix
    /// b⁽ˡ⁾, n_l entries, or nil when the network has no bias.
    public internal(set) var b: [Double]?
    /// g of this layer.
    public var activation: Activation
}

/// A fully connected network with layers 0 … L of sizes n₀ … n_L (layer 0 is the input).
public struct Network: Equatable, Sendable {
    /// n₀ … n_L.
    public let sizes: [Int]
    /// Layers 1 … L, stored at index l − 1; use `layer(l)` for 1-based access.
    public internal(set) var layers: [Layer]

    /// A network of the given sizes with all weights and biases zero.
    public init(sizes: [Int], activation: Activation = .sigmoid, bias: Bool = true) throws(EngineError) {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw .invalidLayerSizes(sizes)
        }
        self.sizes = sizes
        self.layers = (1..<sizes.count).map { l in
            Layer(
                theta: Matrix(rows: sizes[l], cols: sizes[l - 1]),
                b: bias ? Array(repeating: 0, count: sizes[l]) : nil,
                activation: activation
            )
        }
    }

    /// L, the number of layers after the input.
    public var L: Int { sizes.count - 1 }
    /// Whether the layers carry bias units b⁽ˡ⁾.
    public var hasBias: Bool { layers[0].b != nil }
    /// The number of weights and biases.
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.theta.elements.count + ($1.b?.count ?? 0) }
    }

    /// Layer l, 1 ≤ l ≤ L.
    public func layer(_ l: Int) -> Layer { layers[l - 1] }
    /// Θ⁽ˡ⁾.
    public func theta(_ l: Int) -> Matrix { layers[l - 1].theta }
    /// b⁽ˡ⁾ (nil without bias).
    public func b(_ l: Int) -> [Double]? { layers[l - 1].b }

    /// Checks 1 ≤ l ≤ L.
    public func validate(layer l: Int) throws(EngineError) {
        guard l >= 1 && l <= L else { throw .layerOutOfRange(layer: l, layers: L) }
    }

    /// Sets Θ⁽ˡ⁾ exactly; it must be n_l × n_(l−1) and finite.
    public mutating func setTheta(_ l: Int, _ theta: Matrix) throws(EngineError) {
        try validate(layer: l)
        guard theta.rows == sizes[l] && theta.cols == sizes[l - 1] else {
            throw .shapeMismatch(what: "Θ", expectedRows: sizes[l], expectedCols: sizes[l - 1],
                                 rows: theta.rows, cols: theta.cols)
        }
        guard theta.isFinite else { throw .nonFinite(what: "Θ") }
        layers[l - 1].theta = theta
    }

    /// Sets b⁽ˡ⁾ exactly; it must have n_l finite entries.
    public mutating func setBias(_ l: Int, _ b: [Double]) throws(EngineError) {
        try validate(layer: l)
        guard hasBias else { throw .biasOff }
        guard b.count == sizes[l] else {
            throw .shapeMismatch(what: "b", expectedRows: sizes[l], expectedCols: 1, rows: b.count, cols: 1)
        }
        guard b.allSatisfy({ $0.isFinite }) else { throw .nonFinite(what: "b") }
        layers[l - 1].b = b
    }

    /// Sets the activation g of layer l.
    public mutating func setActivation(_ l: Int, _ g: Activation) throws(EngineError) {
        try validate(layer: l)
        layers[l - 1].activation = g
    }

    /// Checks that the objective fits this network (cross-entropy needs a sigmoid output).
    public func validate(_ objective: Objective) throws(EngineError) {
        if objective.cost == .crossEntropy && layers[L - 1].activation != .sigmoid {
            throw .crossEntropyNeedsSigmoidOutput
        }
        guard objective.lambda >= 0 && objective.lambda.isFinite else {
            throw .invalidParameter(name: "lambda", value: objective.lambda, requirement: "λ ≥ 0")
        }
    }

    /// True when every weight and bias is finite.
    public var isFinite: Bool {
        layers.allSatisfy { $0.theta.isFinite && ($0.b?.allSatisfy { $0.isFinite } ?? true) }
    }
}
