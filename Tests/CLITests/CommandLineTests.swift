import Foundation
import Testing

@Suite("backprop --version, --help and bad flags")
struct CommandLineTests {
    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let result = try Backprop.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.wholeMatch(of: /backprop \d+\.\d+\.\d+\S*\n/) != nil, "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test func helpShowsEveryForm() throws {
        for flag in ["--help", "-h"] {
            let result = try Backprop.run([flag])
            #expect(result.status == 0)
            #expect(result.stderr.isEmpty)
            let usage = result.stdout
            #expect(usage.hasPrefix("usage: backprop"))
            for part in ["FILE", "standard input", "--ascii", "--no-color", "--version", "--help", "NO_COLOR"] {
                #expect(usage.contains(part), "--help does not mention \(part)")
            }
        }
    }

    @Test func unknownFlagIsAUsageError() throws {
        let result = try Backprop.run(["--frobnicate"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--frobnicate"))
        #expect(result.stderr.contains("--help"))
    }

    @Test func twoScriptsAreAUsageError() throws {
        let result = try Backprop.run(["a.bp", "b.bp"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("a.bp") && result.stderr.contains("b.bp"))
    }
}
