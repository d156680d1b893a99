import Foundation
import Testing
@testable import Backprop

/// The JSON fixtures written by `Reference/reference.py` (an independent Python
/// implementation of the math), found next to this file through `#filePath`.
enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BackpropTests
        .appendingPathComponent("Fixtures")

    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let url = directory.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The forward/backward cases, one file each.
    static let caseNames = [
        "mazur-2-2-2",
        "nobias-3-2-2-1",
        "nobias-2-3-2",
        "batch-mean-l2-2-3-2",
        "batch-sum-l2-2-2-1",
        "xent-tanh-2-3-2",
        "xent-relu-mean-l2-2-4-1",
        "relu-tanh-identity-3-4-3-2",
        "relu-identity-nobias-2-3-1",
    ]
}

/// One forward + backward + update case (see reference.py's `case`).
struct PassFixture: Decodable {
    struct Factor: Decodable {
        let sample: Int
        let i: Int
        let j: Int
        let dJda: Double
        let dadz: Double
        let dzdtheta: Double
    }

    struct Expected: Decodable {
        /// z⁽¹⁾ … z⁽ᴸ⁾ (index l − 1), n_l × m.
        let z: [[[Double]]]
        /// a⁽⁰⁾ … a⁽ᴸ⁾ (index l).
        let a: [[[Double]]]
        let J: Double
        /// δ⁽¹⁾ … δ⁽ᴸ⁾ (index l − 1).
        let delta: [[[Double]]]
        let gradTheta: [[[Double]]]
        let gradB: [[Double]]?
        let outputFactors: [Factor]
        let thetaAfter: [[[Double]]]
        let bAfter: [[Double]]?
        let JAfter: Double
    }

    let name: String
    let description: String
    let sizes: [Int]
    let bias: Bool
    let activations: [String]
    let cost: String
    let reduction: String
    let lambda: Double
    let alpha: Double
    /// n₀ × m, column k is sample k.
    let x: [[Double]]
    let y: [[Double]]
    let theta: [[[Double]]]
    let b: [[Double]]?
    let expected: Expected

    var L: Int { sizes.count - 1 }

    func network() throws -> Network {
        var network = try Network(sizes: sizes, bias: bias)
        for l in 1...L {
            try network.setActivation(l, try Self.activation(activations[l - 1]))
            try network.setTheta(l, try Matrix(theta[l - 1]))
            if let b { try network.setBias(l, b[l - 1]) }
        }
        return network
    }

    func objective() throws -> Objective {
        let cost: Cost
        switch self.cost {
        case "squared": cost = .squared
        case "xent": cost = .crossEntropy
        default: throw FixtureError.unknown(self.cost)
        }
        let reduction: Reduction
        switch self.reduction {
        case "sum": reduction = .sum
        case "mean": reduction = .mean
        default: throw FixtureError.unknown(self.reduction)
        }
        return Objective(cost: cost, reduction: reduction, lambda: lambda)
    }

    func xMatrix() throws -> Matrix { try Matrix(x) }
    func yMatrix() throws -> Matrix { try Matrix(y) }

    static func activation(_ name: String) throws -> Activation {
        switch name {
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "relu": return .relu
        case "identity": return .identity
        default: throw FixtureError.unknown(name)
        }
    }
}

enum FixtureError: Error { case unknown(String), badBits(String) }

/// A double from the 16 hex digits of its IEEE-754 bit pattern.
func double(bits hex: String) throws -> Double {
    guard let pattern = UInt64(hex, radix: 16) else { throw FixtureError.badBits(hex) }
    return Double(bitPattern: pattern)
}

// MARK: - Comparison

/// |got − want| ≤ rel · max(|got|, |want|), or both within `absolute` of each other
/// (for exact zeros such as a dead ReLU's gradient).
func isClose(_ got: Double, _ want: Double, rel: Double = 1e-10, absolute: Double = 1e-15) -> Bool {
    if got == want { return true }
    let difference = abs(got - want)
    return difference <= rel * max(abs(got), abs(want)) || difference <= absolute
}

func expectClose(
    _ got: Double, _ want: Double, rel: Double = 1e-10, absolute: Double = 1e-15,
    _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    if !isClose(got, want, rel: rel, absolute: absolute) {
        let relative = abs(got - want) / max(abs(got), abs(want))
        Issue.record("\(what()): got \(got), expected \(want) (relative difference \(relative))",
                     sourceLocation: sourceLocation)
    }
}

func expectClose(
    _ got: Matrix, _ want: [[Double]], rel: Double = 1e-10, absolute: Double = 1e-15,
    _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let rows = want.count
    let cols = want.first?.count ?? 0
    guard got.rows == rows && got.cols == cols else {
        Issue.record("\(what()): shape \(got.rows)×\(got.cols), expected \(rows)×\(cols)",
                     sourceLocation: sourceLocation)
        return
    }
    for r in 0..<rows {
        for c in 0..<cols {
            expectClose(got[r, c], want[r][c], rel: rel, absolute: absolute,
                        "\(what())[\(r + 1),\(c + 1)]", sourceLocation: sourceLocation)
        }
    }
}

func expectClose(
    _ got: [Double], _ want: [Double], rel: Double = 1e-10, absolute: Double = 1e-15,
    _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard got.count == want.count else {
        Issue.record("\(what()): \(got.count) entries, expected \(want.count)",
                     sourceLocation: sourceLocation)
        return
    }
    for i in got.indices {
        expectClose(got[i], want[i], rel: rel, absolute: absolute, "\(what())[\(i + 1)]",
                    sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw exactly `expected`.
func expectError<T>(
    _ expected: EngineError, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        Issue.record("expected \(expected), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as EngineError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}
