import Foundation

/// With `QUILL_TRACE` set, a build prints how long it took to reach each stage (for profiling, on stderr).
public enum Trace {
    public static let enabled = getenv("QUILL_TRACE") != nil

    /// Prints the time since `start` at which `stage` was reached, and the process's CPU time so far.
    public static func mark(_ stage: String, _ start: ContinuousClock.Instant) {
        guard enabled else { return }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = (Int(usage.ru_utime.tv_sec) + Int(usage.ru_stime.tv_sec)) * 1000
            + (Int(usage.ru_utime.tv_usec) + Int(usage.ru_stime.tv_usec)) / 1000
        FileHandle.standardError.write(Data("trace: \(stage) at \(Int(ms)) ms (process CPU \(cpu) ms)\n".utf8))
    }
}

/// With `QUILL_TRACE` set, the CPU time each kind of node took to compute, not counting the nodes it computed in
/// turn (each thread's own CPU clock): where a build's time goes, by kind, measured within one run, so that a share
/// does not move with the machine's speed as a comparison of two runs does.
public enum KindClock {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var times: [String: Int64] = [:]
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// This thread's CPU time, in nanoseconds.
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// The CPU time of the nodes computed within the one being computed on this thread.
    private static func nested() -> UnsafeMutablePointer<Int64> {
        if let p = pthread_getspecific(key) { return p.assumingMemoryBound(to: Int64.self) }
        let p = UnsafeMutablePointer<Int64>.allocate(capacity: 1)  // one per thread, for the process's life
        p.pointee = 0
        pthread_setspecific(key, p)
        return p
    }

    /// `body`, its CPU time less that of the nodes it computed counted for `kind`.
    static func timed<T>(_ kind: String, _ body: () throws -> T) rethrows -> T {
        let nested = nested()
        let outer = nested.pointee
        nested.pointee = 0
        let start = now()
        defer {
            let total = now() - start
            let own = total - nested.pointee
            nested.pointee = outer + total
            lock.withLock { times[kind, default: 0] += own }
        }
        return try body()
    }

    /// Prints the kinds that took the most CPU, with their share of the process's CPU so far, and the total of the
    /// kinds whose name starts with each of `groups`.
    public static func report(groups: [String] = []) {
        guard Trace.enabled else { return }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let process = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e9
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e3
        let all = lock.withLock { times }
        func line(_ name: String, _ ns: Int64) -> String {
            "trace:   \(name): \(ns / 1_000_000) ms, \(String(format: "%.1f", 100 * Double(ns) / process))% of process CPU\n"
        }
        var text = "trace: CPU by node kind (own time; process CPU \(Int(process / 1e6)) ms)\n"
        for (kind, ns) in all.sorted(by: { $0.value > $1.value }).prefix(20) { text += line(kind, ns) }
        for prefix in groups {
            text += line("all `\(prefix)*`", all.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +))
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
