import Foundation
import QuillCore

/// The terminal's line per rebuild: when, what changed, and what the build did.
enum RebuildLog {
    /// `12:03:04 content/posts/a.md: 7 written, 0 removed (12 rendered) in 41 ms`, or the failure's count.
    static func line(changes: [FileChange], outcome: Result<BuildReport, BuildFailure>, at date: Date) -> String {
        let what = describe(changes)
        switch outcome {
        case .success(let report):
            let warnings = report.warnings.isEmpty ? "" : ", \(report.warnings.count) warnings"
            return "\(time(date)) \(what): \(report.written.count) written, \(report.removed.count) removed "
                + "(\(report.rendered) rendered\(warnings)) in \(milliseconds(report.duration)) ms"
        case .failure(let failure):
            let count = failure.diagnostics.count
            return "\(time(date)) \(what): build failed with \(count) error\(count == 1 ? "" : "s"); "
                + "still serving the last good site"
        }
    }

    /// The changes worth naming: an editor's or sed's temporary file that is already gone is left out when
    /// something that still exists changed too.
    static func notable(_ changes: [FileChange], in site: URL) -> [FileChange] {
        let existing = changes.filter {
            guard case .path(let path) = $0 else { return true }
            return FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path)
        }
        return existing.isEmpty ? changes : existing
    }

    /// The first change and how many more.
    static func describe(_ changes: [FileChange]) -> String {
        guard let first = changes.first else { return "build" }
        return changes.count == 1 ? first.description : "\(first) and \(changes.count - 1) more"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
