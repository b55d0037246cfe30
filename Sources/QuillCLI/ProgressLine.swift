import Foundation
import QuillCore

/// One line on the terminal that says how far a long build has come (`files 5100/10034 (images 120/300)`),
/// shown after a second and rewritten five times a second, then erased. Nothing at all when standard error is not
/// a terminal, so logs and CI output stay clean.
final class ProgressLine: @unchecked Sendable {
    private let progress: BuildProgress
    private let condition = NSCondition()
    private var stopped = false
    private var thread: Thread?

    /// A line drawing `progress`, or nil when standard error is not a terminal.
    static func start(_ progress: BuildProgress) -> ProgressLine? {
        guard isatty(STDERR_FILENO) != 0, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        let line = ProgressLine(progress)
        let thread = Thread { line.run() }
        thread.stackSize = 1 << 16
        line.thread = thread
        thread.start()
        return line
    }

    private init(_ progress: BuildProgress) { self.progress = progress }

    private func run() {
        var shown = false
        var deadline = Date().addingTimeInterval(1)
        condition.lock()
        while !stopped {
            if !condition.wait(until: deadline) && !stopped {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + progress.line).utf8))
                shown = true
                deadline = Date().addingTimeInterval(0.2)
            }
        }
        condition.unlock()
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    /// Stops drawing and erases the line (before the build's report is printed).
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
        while thread?.isFinished == false { usleep(1000) }
    }
}
