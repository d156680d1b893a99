import Testing
@testable import Backprop

/// The choice between split and single-thread steps, on a fake clock that advances by
/// a fixed time per step of each kind.
@Suite struct SplitChoiceTests {
    final class FakeClock: @unchecked Sendable {
        var now = Duration.zero
    }

    /// Runs `count` steps; returns whether each was split.
    static func steps(_ count: Int, split: Duration, single: Duration, active: Bool = true) -> [Bool] {
        let clock = FakeClock()
        var choice = SplitChoice(active: active, now: { clock.now })
        return (0..<count).map { _ in
            let splits = choice.nextStepSplits()
            clock.now += splits ? split : single
            return splits
        }
    }

    @Test func splitsWhenSplittingIsFaster() {
        // 0.1 ms a split step, 0.2 ms a single one: 4 ms of probing each way (40 split
        // steps, then 20 single ones), then 100 ms split (1000 steps), then probing again.
        let taken = Self.steps(1200, split: .microseconds(100), single: .microseconds(200))
        #expect(taken[0..<40].allSatisfy { $0 })
        #expect(taken[40..<60].allSatisfy { !$0 })
        #expect(taken[60..<1060].allSatisfy { $0 })
        #expect(taken[1060..<1100].allSatisfy { $0 } && taken[1100..<1120].allSatisfy { !$0 })
        #expect(taken[1120...].allSatisfy { $0 })
    }

    @Test func splitsWhenOneThreadIsFasterByLessThanTheMargin() {
        // 0.12 ms a split step, 0.1 ms a single one (20% apart): split after the probes.
        let taken = Self.steps(600, split: .microseconds(120), single: .microseconds(100))
        #expect(taken[0..<34].allSatisfy { $0 } && taken[34..<74].allSatisfy { !$0 })
        #expect(taken[74...].allSatisfy { $0 })
        // 0.13 ms a split step (30% slower): one thread after the probes.
        let slower = Self.steps(600, split: .microseconds(130), single: .microseconds(100))
        #expect(slower[0..<31].allSatisfy { $0 } && slower[31...].allSatisfy { !$0 })
    }

    @Test func staysOnOneThreadWhenThatIsFaster() {
        // 0.3 ms a split step, 0.1 ms a single one: 14 split steps (4.2 ms), 40 single
        // ones, then 100 ms single (1000 steps), then a split probe again.
        let taken = Self.steps(1100, split: .microseconds(300), single: .microseconds(100))
        #expect(taken[0..<14].allSatisfy { $0 })
        #expect(taken[14..<1054].allSatisfy { !$0 })
        #expect(taken[1054..<1068].allSatisfy { $0 })
        #expect(!taken[1068])
    }

    @Test func followsAChange() {
        // Split faster at first, then (from step 1100) four times slower: the average
        // over probes turns within a few cycles, and single steps win from then on.
        let clock = FakeClock()
        var choice = SplitChoice(active: true, now: { clock.now })
        var taken: [Bool] = []
        for step in 0..<8000 {
            let splits = choice.nextStepSplits()
            clock.now += splits ? .microseconds(step < 1100 ? 100 : 400) : .microseconds(200)
            taken.append(splits)
        }
        let last = taken.suffix(2000)
        #expect(last.filter { $0 }.count < 100, "mostly single at the end: \(last.filter { $0 }.count) split")
    }

    @Test func alwaysSplitsWhenThereIsNoChoice() {
        #expect(Self.steps(500, split: .microseconds(300), single: .microseconds(100), active: false)
            .allSatisfy { $0 })
    }
}
