import Foundation
import Testing
@testable import Backprop

/// The seeded generator and the init schemes against reference.py, bit for bit: the
/// same seed must give the same weights on every machine.
@Suite("Random numbers and initial weights")
struct InitializationTests {
    struct RandomFixture: Decodable {
        struct Published: Decodable { let seed: UInt64; let next: [UInt64] }
        struct Stream: Decodable { let seed: UInt64; let next: [UInt64]; let nextHex: [String] }
        struct Uniform: Decodable { let seed: UInt64; let uniform: [Double]; let uniformBits: [String] }
        struct Normal: Decodable { let seed: UInt64; let normal: [Double]; let normalBits: [String] }
        struct Logs: Decodable { let x: [Double]; let xBits: [String]; let ln: [Double]; let lnBits: [String] }
        let publishedSplitMix64: Published
        let splitmix64: [Stream]
        let uniform: [Uniform]
        let normal: [Normal]
        let naturalLog: Logs
        let naturalLogRangeEdge: Logs
    }

    struct InitFixture: Decodable {
        struct Case: Decodable {
            let sizes: [Int]
            let seed: UInt64
            let scheme: String
            let epsilon: Double?
            let theta: [[[Double]]]
            let thetaBits: [[[String]]]

            func initScheme() throws -> InitScheme {
                switch scheme {
                case "uniform": return .uniform(epsilon: epsilon ?? InitScheme.defaultEpsilon)
                case "normal": return .normal
                case "xavier": return .xavier
                case "he": return .he
                default: throw FixtureError.unknown(scheme)
                }
            }
        }
        let cases: [Case]
    }

    static func random() throws -> RandomFixture { try Fixtures.load("random.json") }
    static func inits() throws -> InitFixture { try Fixtures.load("init.json") }

    @Test("SplitMix64 reproduces the published stream for seed 1234567")
    func publishedSplitMix64() throws {
        let published = try Self.random().publishedSplitMix64
        // Independent of reference.py: the public-domain splitmix64.c's first outputs.
        var generator = SeededGenerator(seed: 1234567)
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
        var again = SeededGenerator(seed: published.seed)
        #expect(published.next.map { _ in again.next() } == published.next)
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("SplitMix64 outputs for seeds 0, 1, 42, 1234567")
    func splitMix64Streams() throws {
        for stream in try Self.random().splitmix64 {
            var generator = SeededGenerator(seed: stream.seed)
            let got = stream.next.map { _ in generator.next() }
            #expect(got == stream.next, "seed \(stream.seed)")
            #expect(stream.nextHex.map { UInt64($0, radix: 16) } == stream.next, "fixture integers vs hex")
        }
    }

    @Test("uniform() = (next >> 11) · 2⁻⁵³, bit for bit")
    func uniform() throws {
        for fixture in try Self.random().uniform {
            var generator = SeededGenerator(seed: fixture.seed)
            for (index, hex) in fixture.uniformBits.enumerated() {
                let got = generator.uniform()
                let want = try double(bits: hex)
                #expect(got.bitPattern == want.bitPattern,
                        "seed \(fixture.seed), draw \(index + 1): \(got) vs \(want)")
                #expect(want == fixture.uniform[index], "the fixture's repr and bits agree")
                #expect(got >= 0 && got < 1)
            }
        }
    }

    @Test("normal() by Marsaglia's polar method, bit for bit")
    func normal() throws {
        for fixture in try Self.random().normal {
            var generator = SeededGenerator(seed: fixture.seed)
            for (index, hex) in fixture.normalBits.enumerated() {
                let got = generator.normal()
                let want = try double(bits: hex)
                #expect(got.bitPattern == want.bitPattern,
                        "seed \(fixture.seed), draw \(index + 1): \(got) vs \(want)")
                #expect(want == fixture.normal[index], "the fixture's repr and bits agree")
            }
        }
    }

    @Test("naturalLog: the atanh series, bit for bit, and within 4 ulps of ln")
    func naturalLog() throws {
        let logs = try Self.random().naturalLog
        for (index, hex) in logs.xBits.enumerated() {
            let x = try double(bits: hex)
            let want = try double(bits: logs.lnBits[index])
            let got = SeededGenerator.naturalLog(x)
            #expect(got.bitPattern == want.bitPattern, "ln \(x): \(got) vs \(want)")
            #expect(abs(got - log(x)) <= 4 * log(x).ulp, "ln \(x) vs libm")
        }
    }

    /// The doc comment of `naturalLog` reduces x to f · 2^e with f ∈ [√½, √2). The double
    /// nearest √2, 0x1.6a09e667f3bcdp0 ≈ 1.4142135623730951, lies *above* √2, so an x with
    /// that significand must be reduced to f/2 (= fl(√½), e + 1). reference.py does so.
    @Test("naturalLog at the edge of the documented range f ∈ [√½, √2)")
    func naturalLogRangeEdge() throws {
        let logs = try Self.random().naturalLogRangeEdge
        for (index, hex) in logs.xBits.enumerated() {
            let x = try double(bits: hex)
            let want = try double(bits: logs.lnBits[index])
            let got = SeededGenerator.naturalLog(x)
            #expect(got.bitPattern == want.bitPattern,
                    "ln \(x) (significand fl(√2) > √2): got \(got) (\(hexBits(got))), the documented reduction gives \(want) (\(logs.lnBits[index]))")
        }
    }

    @Test("every scheme: the same seed gives exactly the reference's weights")
    func schemesMatchReference() throws {
        let cases = try Self.inits().cases
        #expect(cases.count >= 16)
        for c in cases {
            var network = try Network(sizes: c.sizes)
            // Non-zero biases first: initialize must reset them to 0.
            for l in 1...network.L { try network.setBias(l, Array(repeating: 0.5, count: c.sizes[l])) }
            network.initialize(scheme: try c.initScheme(), seed: c.seed)
            let label = "\(c.scheme) seed \(c.seed) sizes \(c.sizes)"
            for l in 1...network.L {
                let theta = network.theta(l)
                #expect(theta.rows == c.sizes[l] && theta.cols == c.sizes[l - 1])
                for i in 0..<theta.rows {
                    for j in 0..<theta.cols {
                        let want = try double(bits: c.thetaBits[l - 1][i][j])
                        #expect(want == c.theta[l - 1][i][j], "the fixture's repr and bits agree")
                        #expect(theta[i, j].bitPattern == want.bitPattern,
                                "\(label): θ\(i + 1)\(j + 1)⁽\(l)⁾ = \(theta[i, j]), reference \(want)")
                    }
                }
                #expect(network.b(l) == Array(repeating: 0, count: c.sizes[l]), "\(label): b⁽\(l)⁾ = 0")
            }
        }
    }

    @Test("same seed → same network; another seed → other weights", arguments: [
        InitScheme.uniform(epsilon: 0.12), .normal, .xavier, .he,
    ])
    func reproducible(_ scheme: InitScheme) throws {
        var a = try Network(sizes: [3, 5, 4, 2])
        var b = try Network(sizes: [3, 5, 4, 2])
        a.initialize(scheme: scheme, seed: 2024)
        b.initialize(scheme: scheme, seed: 2024)
        #expect(a == b)
        // Initializing twice from the same seed is idempotent.
        b.initialize(scheme: scheme, seed: 2024)
        #expect(a == b)
        b.initialize(scheme: scheme, seed: 2025)
        #expect(a != b)
        #expect(b.isFinite)
    }

    @Test("schemes respect their ranges and scales")
    func ranges() throws {
        var network = try Network(sizes: [50, 40, 30])
        network.initialize(scheme: .uniform(epsilon: 0.12), seed: 9)
        #expect(network.layers.allSatisfy { $0.theta.elements.allSatisfy { abs($0) <= 0.12 } })
        network.initialize(scheme: .xavier, seed: 9)
        for l in 1...2 {
            let r = (6.0 / Double(network.sizes[l - 1] + network.sizes[l])).squareRoot()
            #expect(network.theta(l).elements.allSatisfy { abs($0) <= r })
        }
        network.initialize(scheme: .he, seed: 9)
        // Sample standard deviation near √(2 / n_(l−1)) (2000 and 1200 draws).
        for l in 1...2 {
            let values = network.theta(l).elements
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            let expected = (2.0 / Double(network.sizes[l - 1])).squareRoot()
            #expect(abs(sd / expected - 1) < 0.1, "layer \(l): sd \(sd) vs \(expected)")
        }
    }

    @Test("bias off: initialize leaves no bias")
    func noBias() throws {
        var network = try Network(sizes: [2, 3, 2], bias: false)
        network.initialize(scheme: .xavier, seed: 1)
        #expect(!network.hasBias)
        #expect(network.b(1) == nil && network.b(2) == nil)
    }
}

private func hexBits(_ x: Double) -> String { String(x.bitPattern, radix: 16) }
