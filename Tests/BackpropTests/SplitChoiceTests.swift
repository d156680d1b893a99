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

    /// The split steps of the first 4 ms (not measured), at `split` each.
    static func warmUp(_ split: Double) -> Int { Int((4000 / split).rounded(.up)) }

    @Test func warmsUpSplit() {
        // 0.3 ms a split step, 0.1 ms a single one: still the first 14 steps (4.2 ms)
        // split and not measured, then 14 split ones measured, then one thread.
        let taken = Self.steps(100, split: .microseconds(300), single: .microseconds(100))
        #expect(Self.warmUp(300) == 14)
        #expect(taken[0..<28].allSatisfy { $0 } && taken[28...].allSatisfy { !$0 })
    }

    @Test func splitsWhenSplittingIsFaster() {
        // 0.1 ms a split step, 0.2 ms a single one: after the warm-up (40 split steps), 4 ms
        // of probing each way (40 split steps, then 20 single ones), then 100 ms split
        // (1000 steps), then probing again.
        let all = Self.steps(1240, split: .microseconds(100), single: .microseconds(200))
        #expect(all[0..<40].allSatisfy { $0 })
        let taken = Array(all[40...])
        #expect(taken[0..<40].allSatisfy { $0 })
        #expect(taken[40..<60].allSatisfy { !$0 })
        #expect(taken[60..<1060].allSatisfy { $0 })
        #expect(taken[1060..<1100].allSatisfy { $0 } && taken[1100..<1120].allSatisfy { !$0 })
        #expect(taken[1120...].allSatisfy { $0 })
    }

    @Test func splitsWhenOneThreadIsFasterByLessThanTheMargin() {
        // 0.12 ms a split step, 0.1 ms a single one (20% apart): split after the probes.
        let w = Self.warmUp(120)
        let taken = Self.steps(600 + w, split: .microseconds(120), single: .microseconds(100))
        #expect(taken[0..<(w + 34)].allSatisfy { $0 } && taken[(w + 34)..<(w + 74)].allSatisfy { !$0 })
        #expect(taken[(w + 74)...].allSatisfy { $0 })
        // 0.13 ms a split step (30% slower): one thread after the probes.
        let v = Self.warmUp(130)
        let slower = Self.steps(600 + v, split: .microseconds(130), single: .microseconds(100))
        #expect(slower[0..<(v + 31)].allSatisfy { $0 } && slower[(v + 31)...].allSatisfy { !$0 })
    }

    @Test func staysOnOneThreadWhenThatIsFaster() {
        // 0.3 ms a split step, 0.1 ms a single one: after the warm-up, 14 split steps
        // (4.2 ms), 40 single ones, then 100 ms single (1000 steps), then a split probe again.
        let w = Self.warmUp(300)
        let taken = Array(Self.steps(1100 + w, split: .microseconds(300), single: .microseconds(100))[w...])
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
