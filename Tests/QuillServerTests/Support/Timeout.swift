/// Runs `operation`, failing with `TimedOut` if it takes longer than `limit`. Tests wait on events, never on
/// sleeps; the limit only keeps a broken test from hanging. It is generous because the whole suite shares the
/// concurrency pool: while the engine's long synchronous tests hold its threads, the server's tasks wait.
func withTimeout<T: Sendable>(_ limit: Duration = .seconds(60), _ what: String = "operation",
                              _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimedOut(what: what, limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var limit: Duration
    var description: String { "timed out after \(limit) waiting for \(what)" }
}
