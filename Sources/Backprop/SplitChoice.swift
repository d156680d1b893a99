/// Whether a training run's steps are split over the two threads of `ThreadPair`,
/// chosen by measuring while the run goes: a few milliseconds of steps split, as long
/// on one thread, then a longer stretch the faster way, over and over. The first few
/// milliseconds of a run are split and not measured: they hold what happens once
/// (the worker waking up, OpenBLAS loading on the first large product, 6 ms here),
/// which made the first probe of a run pick one thread for the wrong reason.
///
/// Which is faster depends on more than the network: measured on a 2-processor virtual
/// machine, 784-30-10 in batches of 10 ran at 145 k samples/s on one thread and at
/// 160 k or 108 k on two, depending on where the host had put the two processors at
/// the time. The numbers are the same either way (the halves are the same products on
/// one thread or two, see `Trace.splitWork`): the choice only changes the speed.
struct SplitChoice {
    /// The length of each probe (the first quarter of it not timed: the other thread's
    /// cache catches up) and of each stretch run the chosen way.
    static let probe = Duration.milliseconds(4), run = Duration.milliseconds(100)

    /// Split steps are kept unless one thread measured faster by more than this factor:
    /// a probe of a few milliseconds is noisy, on a shared machine by ±20%, and a run
    /// as short as a benchmark's (50 ms for 64-32-10 on digits) that picked one thread
    /// by a noisy probe ran 20% slower than split; the other way round, where two
    /// threads are truly slower, they were slower by a factor, not by percents.
    static let singleMargin = 1.25

    private enum Phase { case warmUp, probeSplit, probeSingle, run }

    /// Whether there is a choice at all (the steps are large enough to split).
    let isActive: Bool
    private let now: () -> Duration
    private var phase = Phase.warmUp
    private var phaseStart: Duration?
    private var timedStart: Duration?
    private var timedSteps = 0
    /// Time per step of each way, averaged over the probes so far (each new probe
    /// weighs a quarter: single probes are noisy).
    private var splitStep: Double?, singleStep: Double?
    private var splits = true
    /// Whether this choice keeps the worker awake (`ThreadPair.keepAwake`): while the
    /// steps run split (measured or chosen), not while they run on one thread (a worker
    /// spinning beside the steps slows them down when the host has put the two
    /// processors on one core, and would make one thread look slower than it is).
    private var holdsWorker = false

    /// `now`: a monotonic clock (a fake one in tests).
    init(active: Bool, now: @escaping () -> Duration = SplitChoice.monotonic) {
        isActive = active
        self.now = now
    }

    /// Whether the next step may be split; call once before each step.
    mutating func nextStepSplits() -> Bool {
        guard isActive else { return true }
        if !holdsWorker && (phase == .warmUp || phase == .probeSplit || phase == .run && splits) { holdWorker(true) }
        let t = now()
        let start = phaseStart ?? t
        phaseStart = start
        let elapsed = t - start
        switch phase {
        case .warmUp:
            if elapsed >= Self.probe { enter(.probeSplit, at: t) }
        case .probeSplit, .probeSingle:
            if timedStart == nil, elapsed >= Self.probe / 4 {
                timedStart = t
                timedSteps = 0
            }
            if elapsed >= Self.probe, let timedStart, timedSteps > 0 {
                let perStep = Self.seconds(t - timedStart) / Double(timedSteps)
                if phase == .probeSplit {
                    splitStep = Self.average(splitStep, perStep)
                    enter(.probeSingle, at: t)
                    holdWorker(false)
                } else {
                    singleStep = Self.average(singleStep, perStep)
                    splits = splitStep! <= Self.singleMargin * singleStep!
                    enter(.run, at: t)
                }
            }
        case .run:
            if elapsed >= Self.run { enter(.probeSplit, at: t) }
        }
        if timedStart != nil { timedSteps += 1 }
        switch phase {
        case .warmUp, .probeSplit: return true
        case .probeSingle: return false
        case .run: return splits
        }
    }

    /// Counts `extra` more steps into the probe under way (after a call of
    /// `nextStepSplits` that covered a run of 1 + extra steps).
    mutating func countSteps(_ extra: Int) {
        if timedStart != nil && extra > 0 { timedSteps += extra }
    }

    /// Lets the worker sleep again, at the end of a run.
    mutating func finish() {
        holdWorker(false)
    }

    private mutating func holdWorker(_ on: Bool) {
        guard on != holdsWorker else { return }
        ThreadPair.keepAwake(on)
        holdsWorker = on
    }

    private mutating func enter(_ next: Phase, at t: Duration) {
        phase = next
        phaseStart = t
        timedStart = nil
    }

    private static func average(_ old: Double?, _ new: Double) -> Double {
        old.map { ($0 * 3 + new) / 4 } ?? new
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Time since a fixed point, from ContinuousClock.
    static func monotonic() -> Duration {
        ContinuousClock.now - origin
    }

    private static let origin = ContinuousClock.now
}
