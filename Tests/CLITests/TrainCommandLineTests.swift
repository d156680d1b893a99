import Foundation
import Testing

@Suite("backprop train: training without the shell")
struct TrainCommandLineTests {
    @Test func trainsXORAndSavesTheModel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model.json").path
        let result = try Backprop.run(["train", "--data", "xor", "--layers", "2,2,1", "--epochs", "3000",
                                       "--alpha", "2", "--seed", "1", "--save", model])
        #expect(result.status == 0, "\(result.stderr)")
        // XOR from xavier seed 1 at α = 2 for 3000 full-batch epochs classifies all four.
        #expect(result.stdout.contains("training accuracy 100.00%"), "\(result.stdout)")
        #expect(result.stdout.contains("backprop> train epochs=3000 alpha=2 seed=1 reduction=mean"))
        let saved = try String(contentsOfFile: model, encoding: .utf8)
        #expect(saved.contains("\"backprop-session\""))
    }

    /// The README's example: the flags average the batch gradient, so α = 0.5 with
    /// batches of 32 trains the digits (summed, the same α saturates every unit).
    @Test func theReadmeExampleTrainsTheDigits() throws {
        let result = try Backprop.run(["train", "--data", "digits", "--layers", "64,32,10", "--epochs", "50",
                                       "--alpha", "0.5", "--batch", "32"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("training accuracy ") })
        let percent = try #require(Double(line.dropFirst("training accuracy ".count).dropLast()))
        #expect(percent >= 95, "\(line)")
        #expect(!result.stdout.contains("hardly fell"))
    }

    @Test func missingFlagsAreAUsageError() throws {
        let result = try Backprop.run(["train", "--data", "xor"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--layers is required"))
    }

    @Test func unknownFlagIsNamed() throws {
        let result = try Backprop.run(["train", "--data", "xor", "--layers", "2,2,1", "--speed", "9"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--speed"))
    }

    @Test func aFailingStepStopsWithItsMessage() throws {
        let result = try Backprop.run(["train", "--data", "xor", "--layers", "3,2,1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the data has 2 inputs"), "\(result.stderr)")
    }
}
