import Backprop

/// Words for the engine's errors and enumerations, in the session's notation.
enum Describe {
    static func engineError(_ error: EngineError, _ r: Renderer) -> String {
        switch error {
        case .invalidLayerSizes(let sizes):
            if sizes.count < 2 { return "a network needs at least two layers (inputs and outputs), e.g. net 2 2 1" }
            return "every layer needs at least one unit: \(sizes.map(String.init).joined(separator: " "))"
        case .layerOutOfRange(let l, let count):
            return "layer \(l) does not exist: the layers with weights are 1 to \(count)"
        case .shapeMismatch(let what, let er, let ec, let rows, let cols):
            if ec == 1 && cols == 1 {
                return "\(what) needs \(er) entr\(er == 1 ? "y" : "ies"), got \(rows)"
            }
            return "\(what) must be \(er) × \(ec), got \(rows) × \(cols)"
        case .raggedRows(let row, let expected, let found):
            return "ragged matrix: row \(row) has \(found) entries, row 1 has \(expected)"
        case .nonFinite(let what):
            return "\(what) contains NaN or infinity"
        case .biasOff:
            return "this network has no bias units (net … bias=on adds them)"
        case .crossEntropyNeedsSigmoidOutput:
            return "cross-entropy needs a sigmoid output layer (its a must lie in (0, 1))"
        case .invalidParameter(let name, let value, let requirement):
            return "\(name)=\(r.num(value)) is not allowed: \(requirement)"
        case .emptyData:
            return "there are no samples"
        }
    }

    static func activation(_ g: Activation) -> String {
        switch g {
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .identity: return "linear"
        }
    }

    /// Activation names as typed: sigmoid, tanh, relu, linear (identity also accepted).
    static let activationNames = ["sigmoid", "tanh", "relu", "linear"]

    static func activation(named name: String) throws(ShellError) -> Activation {
        switch name.lowercased() {
        case "sigmoid", "logistic": return .sigmoid
        case "tanh": return .tanh
        case "relu": return .relu
        case "linear", "identity": return .identity
        default:
            throw ShellError("unknown activation '\(name)': choose sigmoid, tanh, relu or linear", near: name)
        }
    }

    /// g(z) as a formula of z.
    static func formula(_ g: Activation, _ z: String, _ r: Renderer) -> String {
        switch g {
        case .sigmoid: return "1 / (1 + e^(\(r.n.minus)\(z)))"
        case .tanh: return "tanh(\(z))"
        case .relu: return "max(0, \(z))"
        case .identity: return z
        }
    }

    /// g′ in the lecture's form of a (and z for ReLU).
    static func derivativeFormula(_ g: Activation, z: String, a: String, _ r: Renderer) -> String {
        switch g {
        case .sigmoid: return "\(a)(1 \(r.n.minus) \(a))"
        case .tanh: return "1 \(r.n.minus) (\(a))²"
        case .relu: return "[\(z) > 0]"
        case .identity: return "1"
        }
    }

    /// g′ with numbers.
    static func derivativeNumbers(_ g: Activation, z: Double, a: Double, _ r: Renderer) -> String {
        switch g {
        case .sigmoid: return "\(r.factor(a)) \(r.n.times) (1 \(r.n.minus) \(r.factor(a)))"
        case .tanh: return "1 \(r.n.minus) \(r.factor(a))²"
        case .relu: return "[\(r.num(z)) > 0]"
        case .identity: return "1"
        }
    }
}
