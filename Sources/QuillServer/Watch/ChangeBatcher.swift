/// Gathers file changes into one batch per burst: an editor's save is several events (a temporary file written,
/// renamed over the old one, attributes set), and one save should be one rebuild. A batch is due when no change
/// has come for `quiet`, or `maximumDelay` after its first change while changes keep coming. Plain state with the
/// time passed in, so tests drive it with instants of their own.
struct ChangeBatcher<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    let quiet: Duration
    let maximumDelay: Duration
    private(set) var pending: Set<FileChange> = []
    private var first: Instant?
    private var last: Instant?

    init(quiet: Duration, maximumDelay: Duration) {
        self.quiet = quiet
        self.maximumDelay = maximumDelay
    }

    /// Adds a change seen at `now`; changes outside the watch scope are dropped.
    mutating func add(_ change: FileChange, at now: Instant) {
        if case .path(let path) = change, !WatchScope.isRelevant(path) { return }
        pending.insert(change)
        if first == nil { first = now }
        last = now
    }

    /// When the pending batch is due; nil when nothing is pending.
    var deadline: Instant? {
        guard let first, let last else { return nil }
        let quietEnd = last.advanced(by: quiet), latest = first.advanced(by: maximumDelay)
        return quietEnd < latest ? quietEnd : latest
    }

    /// The pending changes, sorted, if they are due at `now`; the batcher is then empty.
    mutating func take(at now: Instant) -> [FileChange]? {
        guard let deadline, deadline <= now else { return nil }
        defer { pending = []; first = nil; last = nil }
        return pending.sorted()
    }
}
