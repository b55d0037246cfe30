/// Turns file changes into batches for the rebuild loop, timed by an injected clock: changes go in with
/// `add(_:)` as they arrive (also while a rebuild runs); `next()` waits for the next due batch.
actor ChangeCoalescer<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var batcher: ChangeBatcher<C.Instant>
    private var waiter: CheckedContinuation<Void, Never>?

    init(clock: C, quiet: Duration, maximumDelay: Duration) {
        self.clock = clock
        batcher = ChangeBatcher(quiet: quiet, maximumDelay: maximumDelay)
    }

    /// Records a change now.
    func add(_ change: FileChange) {
        batcher.add(change, at: clock.now)
        wake()
    }

    /// The next batch of changes, once it is due; nil when the task is cancelled.
    func next() async -> [FileChange]? {
        while !Task.isCancelled {
            guard let deadline = batcher.deadline else {
                await waitForChange()
                continue
            }
            if let batch = batcher.take(at: clock.now) { return batch }
            do { try await clock.sleep(until: deadline, tolerance: nil) } catch { return nil }
        }
        return nil
    }

    private func waitForChange() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiter = continuation }
            }
        } onCancel: {
            Task { await self.wake() }
        }
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}
