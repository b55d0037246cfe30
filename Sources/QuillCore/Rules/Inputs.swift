import Foundation
import QuillGraph

/// The inputs of a blog's build graph (`SiteInputs` gives their values): what nodes read and nothing computes.
enum Input {
    /// The bytes of a source file (empty when it does not exist).
    struct File: GraphQuery {
        typealias Value = Data
        static let kind = "file"
        var path: String
        init(_ path: String) { self.path = path }
        var key: NodeKey { NodeKey(Self.kind, path) }
    }

    /// The files under a folder of the site, sorted.
    struct Listing: GraphQuery {
        typealias Value = [String]
        static let kind = "listing"
        var folder: String
        init(_ folder: String) { self.folder = folder }
        var key: NodeKey { NodeKey(Self.kind, folder) }
    }

    /// One option of the build (`--drafts`, `--base-url` …), as text.
    struct Option: GraphQuery {
        typealias Value = String
        static let kind = "option"
        /// `highlighter` is the version of the syntax definitions (`Highlighter.definitionsVersion`), so that a
        /// new KSyntaxHighlighting re-renders the pages with code.
        enum Name: String, CaseIterable { case drafts, future, baseURL, sourceDateEpoch, highlighter }
        var name: Name
        init(_ name: Name) { self.name = name }
        var key: NodeKey { NodeKey(Self.kind, name.rawValue) }
    }

    /// Whether the build's clock is before `time` (seconds since 1970): what decides that a scheduled post is live.
    struct ClockBefore: GraphQuery {
        typealias Value = Bool
        static let kind = "clock.before"
        var time: Double
        init(_ time: Double) { self.time = time }
        var key: NodeKey { NodeKey(Self.kind, String(time)) }
    }

    static let kinds: Set<String> = [File.kind, Listing.kind, Option.kind, ClockBefore.kind]
}
