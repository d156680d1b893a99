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
        #expect(result.stdout.contains("backprop> train epochs=3000 alpha=2 seed=1"))
        let saved = try String(contentsOfFile: model, encoding: .utf8)
        #expect(saved.contains("\"backprop-session\""))
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
