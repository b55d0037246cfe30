import Foundation

/// A clock that moves only when a test says so, and tells the test when someone starts sleeping on it.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var sleepers: [Int: Sleeper] = [:]
    private var sleepCount = 0
    private var countWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = lock.withLock { sleepCount += 1; return sleepCount }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
                    if deadline <= current { continuation.resume() } else {
                        sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    }
                    let ready = countWaiters.filter { $0.count <= sleepCount }.map(\.continuation)
                    countWaiters.removeAll { $0.count <= sleepCount }
                    return ready
                }
                for waiter in ready { waiter.resume() }
            }
        } onCancel: {
            lock.withLock { sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward, waking every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due: [Sleeper] = lock.withLock {
            current = current.advanced(by: duration)
            let due = sleepers.filter { $0.value.deadline <= current }
            for id in due.keys { sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once `count` sleeps in all have begun on this clock.
    func waitForSleeps(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if sleepCount >= count { return true }
                countWaiters.append((count, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
}
