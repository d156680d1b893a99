import Backprop
import Foundation
import Testing
@testable import BackpropShell

/// `train` in the shell: real data, the divergence stop, and Ctrl-C through the
/// cancellation flag.
@Suite struct TrainingCommandTests {
    /// The accuracy of the session's network on its training set, counted here sample
    /// by sample with `predict` (argmax of a⁽ᴸ⁾ against argmax of y).
    func accuracy(_ s: Session) throws -> Double {
        let data = try #require(s.state.data)
        var right = 0
        for k in 0..<data.train.count {
            let a = try s.state.network.predict(data.train.x.column(k))
            let y = data.train.y.column(k)
            if a.indices.max(by: { a[$0] < a[$1] }) == y.indices.max(by: { y[$0] < y[$1] }) { right += 1 }
        }
        return Double(right) / Double(data.train.count)
    }

    @Test func digitsReach95PercentFromAFixedSeed() throws {
        let s = IOTest.session()
        var progress: [String] = []
        s.progressHandler = { progress.append($0) }
        IOTest.ok(s, "data digits", "net 64 32 10", "init seed=1 scheme=xavier")
        let text = IOTest.ok(s, "train epochs=50 alpha=0.5 batch=32 reduction=mean")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("trained 64-32-10 on digits: 50 epochs, 89850 samples in "))
        let printed = try #require(lines.first { $0.hasPrefix("training accuracy ") })
        let percent = try #require(Double(printed.dropFirst("training accuracy ".count).dropLast()))
        let counted = try accuracy(s)
        #expect(counted >= 0.95, "training accuracy \(counted)")
        #expect(abs(percent - counted * 100) < 0.005 + 1e-9)
        // One log entry per epoch, J falling.
        let log = s.state.trainingLog
        #expect(log.map(\.epoch) == Array(1...50))
        #expect(log.last!.J < log.first!.J / 4)
        #expect(log.last!.trainAccuracy == counted)
        // Any progress lines shown had the promised form.
        for line in progress {
            #expect(line.hasPrefix("epoch ") && line.contains("/50  J = ") && line.contains(" samples/s  ") && line.hasSuffix(" left"), "\(line)")
        }
    }

    @Test func sameSeedSameWeights() throws {
        func run(_ options: String) -> [UInt64] {
            let s = IOTest.session()
            IOTest.ok(s, "data xor", "net 2 3 1", "init seed=7", "train epochs=200 alpha=1 \(options)")
            return SaveLoadTests.bits(s.state.network)
        }
        #expect(run("batch=1 seed=4") == run("batch=1 seed=4"))
        #expect(run("batch=1 seed=4") != run("batch=1 seed=5"))
        // Without shuffling the seed does not matter.
        #expect(run("batch=1 shuffle=off seed=4") == run("batch=1 shuffle=off seed=5"))
    }

    /// A linear output and a huge α make J explode. The run stops, says why, and the
    /// weights are those from the start of the failing epoch — exactly the weights a run
    /// of one epoch fewer ends with.
    @Test func divergenceStopRestoresTheLastFiniteWeights() throws {
        let setup = ["data xor", "net 2 2 1", "act 2 linear", "init seed=1 scheme=xavier"]
        let s = IOTest.session()
        for line in setup { IOTest.ok(s, line) }
        let text = IOTest.ok(s, "train epochs=100 alpha=50")
        let stop = try #require(text.split(separator: "\n").last.map(String.init))
        #expect(stop.hasPrefix("stopped in epoch "))
        #expect(stop.contains("α = 50 is too large. Try alpha=5."))
        let epoch = try #require(Int(stop.dropFirst("stopped in epoch ".count).prefix { $0.isNumber }))
        #expect(stop.hasSuffix("The weights from the start of epoch \(epoch) were restored."))
        #expect(stop.contains("J rose from") || stop.contains("became NaN or infinite"))
        #expect(s.state.network.isFinite)
        #expect(s.state.trainingLog.count == epoch - 1)

        let reference = IOTest.session()
        for line in setup { IOTest.ok(reference, line) }
        if epoch > 1 { IOTest.ok(reference, "train epochs=\(epoch - 1) alpha=50") }
        #expect(SaveLoadTests.bits(s.state.network) == SaveLoadTests.bits(reference.state.network))
        // The session goes on.
        IOTest.ok(s, "forward", "eval")
    }

    @Test func nonFiniteJStopsInTheFirstEpoch() throws {
        let s = IOTest.session()
        IOTest.ok(s, "data xor", "net 2 2 1", "act 2 linear", "init seed=2")
        let before = SaveLoadTests.bits(s.state.network)
        let text = IOTest.ok(s, "train epochs=10 alpha=1e300 batch=1")
        #expect(text.contains("stopped in epoch 1: "))
        #expect(text.contains("The weights from the start of epoch 1 were restored."))
        #expect(SaveLoadTests.bits(s.state.network) == before)
        #expect(s.state.trainingLog.isEmpty)
    }

    /// Ctrl-C in the front end sets `session.cancel`; here the progress handler does,
    /// on its first call (after about 200 ms of a run that would take hours).
    @Test func ctrlCFromTheProgressHandler() throws {
        let s = IOTest.session()
        IOTest.ok(s, "data xor", "net 2 2 1", "init seed=1")
        let start = SaveLoadTests.bits(s.state.network)
        let flag = s.cancel
        var calls = 0
        s.progressHandler = { _ in
            calls += 1
            flag.set()
        }
        let text = IOTest.ok(s, "train epochs=100000000 alpha=1")
        #expect(calls >= 1)
        let stop = try #require(text.split(separator: "\n").last.map(String.init))
        #expect(stop.hasPrefix("interrupted after epoch "))
        #expect(stop.hasSuffix(": the weights of the last step are kept"))
        let epochs = try #require(Int(stop.dropFirst("interrupted after epoch ".count).prefix { $0.isNumber }))
        #expect(epochs >= 1 && epochs < 100_000_000)
        #expect(s.state.trainingLog.count == epochs)
        #expect(s.state.network.isFinite)
        #expect(SaveLoadTests.bits(s.state.network) != start)
        // The front end clears the flag before the next line; the session goes on.
        s.cancel.clear()
        s.progressHandler = nil
        IOTest.ok(s, "eval")
        let again = IOTest.ok(s, "train epochs=10")
        #expect(!again.contains("interrupted"))
        #expect(s.state.trainingLog.count == epochs + 10)
    }

    /// The signal handler runs apart from the training loop: set the flag from
    /// another thread while `train` runs.
    @Test func ctrlCFromAnotherThread() throws {
        let s = IOTest.session()
        IOTest.ok(s, "data xor", "net 2 2 1", "init seed=1")
        let flag = s.cancel
        // A thread of its own: the global queue's few threads can all be busy with other
        // tests (seen under the address sanitizer on two cores: the flag came after 36 s).
        Thread {
            usleep(300_000)
            flag.set()
        }.start()
        let started = Date()
        let text = IOTest.ok(s, "train epochs=5000000 alpha=1 batch=1")
        #expect(text.contains("interrupted after epoch "))
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(s.state.network.isFinite)
        s.cancel.clear()
        IOTest.ok(s, "forward")
    }

    @Test func trainRefusals() throws {
        let s = IOTest.session()
        #expect(IOTest.fails(s, "train").contains("no data set yet"))
        IOTest.ok(s, "data xor")
        #expect(IOTest.fails(s, "train") == "error: the data has 2 inputs and 1 outputs but the network is 2-2-2: try net 2 2 1")
        IOTest.ok(s, "net 2 2 1")
        let before = SaveLoadTests.Snapshot(s)
        #expect(IOTest.fails(s, "train alpha=0").contains("alpha= must be greater than 0"))
        #expect(IOTest.fails(s, "train alpha=-1").contains("alpha= must be greater than 0"))
        #expect(IOTest.fails(s, "train lambda=-1").contains("lambda= must be 0 or more"))
        #expect(IOTest.fails(s, "train batch=0").contains("batch= must be between 1"))
        #expect(IOTest.fails(s, "train epochs=0").contains("epochs= must be between 1"))
        #expect(IOTest.fails(s, "train cost=hinge").contains("cost= must be squared or xent"))
        #expect(IOTest.fails(s, "train speed=2").contains("unknown option 'speed'"))
        #expect(SaveLoadTests.Snapshot(s) == before)
    }

    /// The live progress line names the epoch, J, the training accuracy over the epoch so
    /// far (and the test accuracy once an epoch has ended), the rate and the time left;
    /// the training log keeps each epoch's accuracies, the last one measured again with
    /// the final weights (what eval prints).
    @Test func progressLineShowsAccuracy() throws {
        let s = IOTest.session()
        IOTest.ok(s, "data digits", "split test=0.2 seed=1", "net 64 16 10", "init seed=1")
        var lines: [String] = []
        let flag = s.cancel
        s.progressHandler = { line in
            lines.append(line)
            if lines.count >= 3 { flag.set() }
        }
        IOTest.ok(s, "train epochs=1000 alpha=0.5 batch=10")
        s.cancel.clear()
        s.progressHandler = nil
        #expect(lines.count >= 1)
        let pattern = /epoch (\d+)\/1000  J = [0-9.e+-]+  accuracy (\d+\.\d\d)%(, test (\d+\.\d\d)%)?  \d+ samples\/s  .+ left/
        for line in lines {
            let match = try #require(line.wholeMatch(of: pattern), "\(line)")
            let train = try #require(Double(match.2))
            #expect(train >= 0 && train <= 100)
            if let epoch = Int(match.1), epoch >= 2 {
                #expect(match.4 != nil, "after a finished epoch the test accuracy is shown: \(line)")
            }
        }
        let log = s.state.trainingLog
        #expect(!log.isEmpty && log.allSatisfy { $0.trainAccuracy != nil })
        // The test set (≈ 360) is at most ¼ of the training set: measured after every epoch.
        #expect(log.allSatisfy { $0.testAccuracy != nil })
        let eval = IOTest.ok(s, "eval")
        let last = try #require(log.last?.testAccuracy)
        #expect(eval.contains(String(format: "accuracy %.2f%%", last * 100)), "\(eval)")
    }

    /// A run that ends where it began gets a hint naming the likely cause: here α = 0.5
    /// on the sum over batches of 32 saturates the units (the same α on the mean trains).
    @Test func aStuckRunGetsAHint() throws {
        let s = IOTest.session()
        IOTest.ok(s, "data digits", "net 64 32 10", "init seed=1 scheme=xavier")
        let stuck = IOTest.ok(s, "train epochs=10 alpha=0.5 batch=32")
        let lines = stuck.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2 && lines[lines.count - 2].hasPrefix("J hardly fell ("), "\(stuck)")
        #expect(lines.last == "With reduction=sum each step is α times the sum over a batch of 32: try alpha=0.015625 or reduction=mean.")
        IOTest.ok(s, "init seed=1 scheme=xavier")
        let trains = IOTest.ok(s, "train epochs=10 alpha=0.5 batch=32 reduction=mean")
        #expect(!trains.contains("hardly fell"), "\(trains)")
    }
}
