import Foundation
import Testing
@testable import BackpropShell

/// The shell's printed numbers for the classic 2-2-2 example, digit for digit, against
/// the independent Python reference (Tests/BackpropTests/Fixtures/mazur-2-2-2.json,
/// written by Tests/BackpropTests/Reference/reference.py): every z, a, J, δ, gradient
/// and updated weight must print as that reference value rounded to 9 significant
/// digits (C's %.9g, not the shell's own formatter).
@Suite struct ClassicExampleNumbersTests {
    struct Fixture: Decodable {
        struct Expected: Decodable {
            let z: [[[Double]]]
            let a: [[[Double]]]
            let J: Double
            let delta: [[[Double]]]
            let gradTheta: [[[Double]]]
            let gradB: [[Double]]
            let thetaAfter: [[[Double]]]
            let bAfter: [[Double]]
        }
        let expected: Expected
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../BackpropTests/Fixtures/mazur-2-2-2.json").standardized
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The reference value as 9 significant digits, trailing zeros dropped.
    static func nine(_ x: Double) -> String { String(format: "%.9g", x) }

    /// "name = value" pairs of a line of the form "  z₁⁽¹⁾ = 0.3775   a₁⁽¹⁾ = 0.59…".
    static func values(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        let pattern = try! NSRegularExpression(pattern: "([zaδ][₀-₉]+⁽[⁰¹²³⁴-⁹]+⁾) = +(-?[0-9.]+(?:e[-+][0-9]+)?)")
        for line in text.split(separator: "\n").map(String.init) {
            let range = NSRange(line.startIndex..., in: line)
            for match in pattern.matches(in: line, range: range) {
                out[String(line[Range(match.range(at: 1), in: line)!])] = String(line[Range(match.range(at: 2), in: line)!])
            }
        }
        return out
    }

    static func sub(_ i: Int) -> String { String("₀₁₂₃₄₅₆₇₈₉"[String.Index(utf16Offset: i, in: "₀₁₂₃₄₅₆₇₈₉")]) }
    static func sup(_ l: Int) -> String { "⁽" + ["⁰", "¹", "²", "³"][l] + "⁾" }

    /// The numbers of a bracketed matrix block, row by row.
    static func matrixRows(_ lines: [String]) -> [[String]] {
        lines.map { line in
            let inner = line.drop { !"⎡⎢⎣[".contains($0) }.dropFirst()
            return inner.split(separator: " ").map(String.init).filter { !"⎤⎥⎦]".contains($0) && !$0.isEmpty }
        }
    }

    @Test func forwardPrintsTheReferenceZAAndJ() throws {
        let e = try Self.fixture().expected
        let session = Session()
        let out = session.execute("forward")
        #expect(!out.isError)
        let v = Self.values(out.text)
        for l in 1...2 {
            for i in 1...2 {
                #expect(v["z\(Self.sub(i))\(Self.sup(l))"] == Self.nine(e.z[l - 1][i - 1][0]), "z_\(i)^(\(l))")
                #expect(v["a\(Self.sub(i))\(Self.sup(l))"] == Self.nine(e.a[l][i - 1][0]), "a_\(i)^(\(l))")
            }
        }
        #expect(out.text.hasSuffix("= " + Self.nine(e.J)))
    }

    /// J is the lecture's name for the cost: `show J` and `explain J` are `show cost` and
    /// `explain cost`, with the reference's J.
    @Test func jNamesTheCost() throws {
        let e = try Self.fixture().expected
        let session = Session()
        let shown = session.execute("show J")
        #expect(!shown.isError && shown.text.hasSuffix("= " + Self.nine(e.J)), "\(shown.text)")
        #expect(shown == session.execute("show cost"))
        let explained = session.execute("explain j")
        #expect(!explained.isError && explained == session.execute("explain cost"), "\(explained.text)")
    }

    @Test func backwardPrintsTheReferenceDeltas() throws {
        let e = try Self.fixture().expected
        let v = Self.values(Session().execute("backward").text)
        for l in 1...2 {
            for i in 1...2 {
                #expect(v["δ\(Self.sub(i))\(Self.sup(l))"] == Self.nine(e.delta[l - 1][i - 1][0]), "δ_\(i)^(\(l))")
            }
        }
    }

    @Test func explainGradPrintsEveryReferenceGradient() throws {
        let e = try Self.fixture().expected
        let session = Session()
        for l in 1...2 {
            for i in 1...2 {
                for j in 0...2 {
                    let out = session.execute("explain grad \(l) \(i) \(j)")
                    #expect(!out.isError)
                    let expected = j == 0 ? e.gradB[l - 1][i - 1] : e.gradTheta[l - 1][i - 1][j - 1]
                    // The fourth line is "= <value>" (then "= δ · a" at the output layer).
                    let resultLine = out.text.split(separator: "\n")[3]
                    let value = resultLine.split(separator: "=")[1].trimmingCharacters(in: .whitespaces)
                        .split(separator: " ")[0]
                    #expect(String(value) == Self.nine(expected), "∂J/∂θ_\(i)\(j)^(\(l))")
                }
            }
        }
    }

    @Test func updateGivesTheReferenceWeights() throws {
        let e = try Self.fixture().expected
        let session = Session()
        #expect(!session.execute("update alpha=0.5").isError)
        for l in 1...2 {
            let rows = Self.matrixRows(session.execute("show theta \(l)").text.split(separator: "\n").map(String.init))
            #expect(rows == e.thetaAfter[l - 1].map { $0.map(Self.nine) }, "Θ^(\(l)) after")
            let b = Self.matrixRows([session.execute("show b \(l)").text])
            #expect(b == [e.bAfter[l - 1].map(Self.nine)], "b^(\(l)) after")
        }
    }
}
