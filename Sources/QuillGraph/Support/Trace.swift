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
