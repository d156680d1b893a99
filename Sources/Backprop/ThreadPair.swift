import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two threads for the engine's large loops: the caller and one worker. `run(body)`
/// calls body(0) on the caller and body(1) on the worker at the same time and returns
/// when both are done. The engine runs the two halves of a pass (by rows or columns of
/// C, see `Trace.splitWork`) this way; without the pair it runs them one after the
/// other, the same calls on the same numbers, so the results do not depend on it.
///
/// The worker spins while work comes quickly (a training run calls `run` every few
/// microseconds) and sleeps on a condition variable after `idleNanoseconds` without
/// work, so an idle shell costs nothing. The second half goes to whichever thread claims
/// it first: when the worker is slow to wake (or the system has given its processor to
/// another program), the caller does it itself instead of waiting. One `run` at a time:
/// a call that finds the pair busy (another thread is inside `run`) does both halves
/// itself.
final class ThreadPair: @unchecked Sendable {
    /// How many threads the engine's passes use: 2 with the pair, else 1.
    static var threads: Int { enabled && shared != nil ? 2 : 1 }

    /// The pair, on a machine with two or more processors; nil on one. Started at the
    /// first use.
    static let shared: ThreadPair? = {
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let forced = getenv("BACKPROP_THREADS").flatMap({ Int(String(cString: $0)) }), forced <= 1 {
            return nil
        }
        return online >= 2 ? ThreadPair() : nil
    }()

    /// Whether the engine splits its passes at all (tests compare both ways; the numbers
    /// are the same). Atomic: a test may switch it while other threads train.
    static var enabled: Bool {
        get { enabledFlag.load(ordering: .relaxed) }
        set { enabledFlag.store(newValue, ordering: .relaxed) }
    }
    private static let enabledFlag = Atomic<Bool>(true)

    /// While above 0, the worker spins between jobs instead of going to sleep: a training
    /// run that measures steps with and without the worker (`SplitChoice`) keeps it
    /// awake, since a worker that has to wake up first makes the split look slow.
    private static let awake = Atomic<Int>(0)

    /// Starts (true) or ends (false) one period of keeping the worker awake; periods of
    /// several runs at once may overlap.
    static func keepAwake(_ on: Bool) {
        if on { awake.add(1, ordering: .relaxed) } else { awake.subtract(1, ordering: .relaxed) }
    }

    /// How long the worker spins for the next job before it sleeps.
    static let idleNanoseconds: UInt64 = 1_000_000

    /// Bumped by the caller for each job; the worker runs the job when it changes.
    private let generation = Atomic<Int>(0)
    /// The generation the worker last finished.
    private let finished = Atomic<Int>(0)
    /// The last generation whose second half was claimed (by the worker or the caller).
    private let claimed = Atomic<Int>(0)
    /// Whether the worker is (about to be) waiting on `wake`.
    private let sleeping = Atomic<Bool>(false)
    /// Held by the thread inside `run`.
    private let busy = Atomic<Bool>(false)
    /// The job of the current generation; written by the caller before the generation is
    /// published, read by the worker after it sees it.
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>

    private init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1)
        wake.initialize(to: pthread_cond_t())
        pthread_cond_init(wake, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        // The worker never returns (`work` is Never): the closure needs no return value.
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadPair>.fromOpaque(context!).takeUnretainedValue().work()
        }, context)
        precondition(started == 0, "cannot start the engine's worker thread")
        pthread_detach(thread)
    }

    /// body(0) here and body(1) on the worker, together; returns when both are done.
    func run(_ body: (Int) -> Void) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            body(0)
            body(1)
            return
        }
        withoutActuallyEscaping(body) { body in
            let g = publish(body)
            body(0)
            if claimed.compareExchange(expected: g &- 1, desired: g, ordering: .acquiringAndReleasing).exchanged {
                body(1)  // the worker has not started it: do it here
            } else {
                var spins = 0
                while finished.load(ordering: .acquiring) != g {
                    spins &+= 1
                    if spins & 255 == 0 { sched_yield() }  // let a descheduled worker finish
                }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// body(0) here and body(1) on the worker, truly at the same time, for bodies that
    /// wait for each other (`PairedSteps`): unlike `run`, the caller never runs the
    /// second half itself; it waits for the worker to take it. Returns false, without
    /// calling body, when the pair is busy (another thread is inside `run`).
    func runTogether(_ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        withoutActuallyEscaping(body) { body in
            let g = publish(body)
            body(0)
            var spins = 0
            while finished.load(ordering: .acquiring) != g {
                spins &+= 1
                if spins & 255 == 0 { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Hands `body` to the worker as the next generation's job (waking the worker if it
    /// sleeps); returns that generation.
    private func publish(_ body: @escaping (Int) -> Void) -> Int {
        job = body
        let g = generation.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        if sleeping.load(ordering: .sequentiallyConsistent) {
            pthread_mutex_lock(mutex)
            pthread_cond_signal(wake)
            pthread_mutex_unlock(mutex)
        }
        return g
    }

    /// The worker's loop: wait for a new generation (spinning, then sleeping), run its
    /// job's second half, report it finished.
    private func work() -> Never {
        // Signals (Ctrl-C, a resized terminal) go to the shell's own thread, never here.
        var signals = sigset_t()
        sigfillset(&signals)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var seen = 0
        while true {
            var spins = 0
            var idleSince: UInt64 = 0
            while generation.load(ordering: .acquiring) == seen {
                spins &+= 1
                guard spins & 1023 == 0 else { continue }
                let now = ThreadPair.nanoseconds()
                if idleSince == 0 { idleSince = now; continue }
                if now - idleSince < ThreadPair.idleNanoseconds || ThreadPair.awake.load(ordering: .relaxed) > 0 {
                    continue
                }
                pthread_mutex_lock(mutex)
                sleeping.store(true, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen {
                    pthread_cond_wait(wake, mutex)
                }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            // The caller may have done the second half already (and even published the
            // next job): run it only when claimed here.
            if claimed.compareExchange(expected: seen &- 1, desired: seen, ordering: .acquiringAndReleasing).exchanged {
                runSecondHalf()
                finished.store(seen, ordering: .releasing)
            }
        }
    }

    /// job(1), with the worker's reference to the job released before it reports back.
    @inline(never)
    private func runSecondHalf() {
        job?(1)
    }

    private static func nanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}
