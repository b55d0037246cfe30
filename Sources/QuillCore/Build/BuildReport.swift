import Foundation

/// What a build did, for the summary printed at its end.
public struct BuildReport: Sendable {
    /// A post left out, and why.
    public struct Skipped: Sendable, Equatable {
        public var source: String
        /// When a scheduled post goes live; nil for drafts.
        public var goesLive: DateParts?

        public init(source: String, goesLive: DateParts?) {
            self.source = source
            self.goesLive = goesLive
        }

        /// One line for the build state, so that a build that changes nothing reports it too.
        var encoded: String {
            guard let live = goesLive else { return source }
            return source + "\t\(live.date.timeIntervalSince1970)\t\(live.timeZone.identifier)"
        }

        init?(encoded line: String) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1: self.init(source: parts[0], goesLive: nil)
            case 3:
                guard let time = TimeInterval(parts[1]), let zone = TimeZone(identifier: parts[2]) else { return nil }
                self.init(source: parts[0], goesLive: DateParts(Date(timeIntervalSince1970: time), in: zone))
            default: return nil
            }
        }
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

    /// The zone's name as site.toml says it (Foundation on Linux calls UTC "GMT").
    static func zoneName(_ zone: TimeZone) -> String { zone.identifier == "GMT" ? "UTC" : zone.identifier }

    /// A few lines: what was left out, then counts and time.
    public var summary: String {
        var lines = notices + warnings.map(\.description)
        for item in skipped {
            if let live = item.goesLive {
                lines.append("scheduled: \(item.source) goes live \(live.isoDay) \(live.hour):\(live.minute) "
                             + "(\(Self.zoneName(live.timeZone))); build with --future to include it")
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
