import Foundation

/// What a build did, for the summary printed at its end.
public struct BuildReport: Sendable {
    /// A post left out, and why.
    public struct Skipped: Sendable, Equatable {
        public var source: String
        /// When a scheduled post goes live; nil for drafts.
        public var goesLive: DateParts?
    }

    public var posts = 0
    public var pages = 0
    public var tags = 0
    public var feeds = 0
    /// HTML files produced.
    public var htmlFiles = 0
    public var outputs = 0
    /// Graph nodes whose recorded reads were checked.
    public var checked = 0
    /// Outputs rendered (new, or something they read changed).
    public var rendered = 0
    /// One-line notes, such as a build state that could not be used.
    public var notices: [String] = []
    public var written: [OutputPath] = []
    public var unchanged = 0
    public var removed: [OutputPath] = []
    public var skipped: [Skipped] = []
    public var warnings: [Diagnostic] = []
    public var duration: Duration = .zero

    /// A few lines: what was left out, then counts and time.
    public var summary: String {
        var lines = notices + warnings.map(\.description)
        for item in skipped {
            if let live = item.goesLive {
                lines.append("scheduled: \(item.source) goes live \(live.isoDay) \(live.hour):\(live.minute) "
                             + "(\(live.timeZone.identifier)); build with --future to include it")
            } else {
                lines.append("draft: \(item.source) skipped; build with --drafts to include it")
            }
        }
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        lines.append("\(htmlFiles) pages (\(posts) posts, \(pages) standalone, \(tags) tags), \(feeds) feeds; "
                     + "\(checked) checked, \(rendered) rendered, \(written.count) written, \(unchanged) unchanged, "
                     + "\(removed.count) removed in \(ms) ms")
        return lines.joined(separator: "\n")
    }
}
