import Synchronization

/// A flag a signal handler may set and long computations poll: set it from a Ctrl-C
/// handler, clear it before starting long work.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { flag.load(ordering: .relaxed) }
    public func set() { flag.store(true, ordering: .relaxed) }
    public func clear() { flag.store(false, ordering: .relaxed) }
}
