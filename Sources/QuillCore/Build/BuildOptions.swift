import QuillTemplates
import Foundation

/// What to build and how. The clock and `SOURCE_DATE_EPOCH` come in here, so a build reads no global state.
public struct BuildOptions: Sendable {
    /// The site folder (holding `site.toml`).
    public var source: URL
    /// Where the site goes; `public/` in the site folder by default.
    public var output: URL
    /// Replaces `base_url` of `site.toml` (for previews).
    public var baseURL: String?
    public var includeDrafts = false
    public var includeFuture = false
    /// Ignore the stored build state: build everything, as from scratch.
    public var clean = false
    /// Posts dated after this are scheduled, not published.
    public var now: Date
    /// The date of feeds without posts, from `SOURCE_DATE_EPOCH`.
    public var sourceDateEpoch: Date?
    /// The build graph's state file; `.quill/state` in the site folder by default. A preview server building into
    /// another folder keeps its own, so previews and `quill build` do not undo each other's work.
    public var state: URL
    /// What becomes of a build's memory (its graph and the previous state) once it returns.
    public var memory = MemoryRelease.freed
    /// Whether files in the output folder are checked against what the last build wrote (and restored when they
    /// were changed or deleted). A preview server's private folder can be trusted, which saves a stat per output.
    public var checksOutputs = true
    /// Whether a build is published in one step (see `Publisher`): made in a second folder beside the output
    /// folder, which then trades places with it, so that a failed or killed build leaves the last good site.
    /// A preview server's private folder does without (one copy, changed file by file).
    public var publishesAtomically = true
    /// Build into an output folder that holds files but no sign of a Quill build (`--force`); refused otherwise.
    public var force = false
    /// Whether the build keeps `published-urls.txt` (see `URLRecord`) up to date. Builds with drafts or future
    /// posts never do, and a preview does not: what it shows is not yet published.
    public var recordsURLs = true
    /// A post that moved where its old URL cannot redirect, or one no longer published, is an error (for CI)
    /// rather than a `moved:` or `gone:` line.
    public var strictURLs = false
    /// Counted as the build goes, for a progress line (nil: not counted).
    public var progress: BuildProgress?
    /// The compiled templates of the last build, for a process that builds the site again and again (`quill
    /// serve`); nil compiles them in every build that renders.
    public var templateCache: TemplateCache?
    /// For a preview server: the pages its browsers show, written before the rest of the build so that they can
    /// reload sooner (see `FirstPages`); only in a build written in place (`publishesAtomically` false).
    public var firstPages: FirstPages?
    /// For tests: told of every page a template renders, with the values it rendered and what it gave (the
    /// tests render the same values with swift-mustache and compare).
    var renderObserver: RenderObserver?
    /// For tests: a write that fails after this many outputs were written as they were rendered.
    var failsAfterStreamedWrites: Int?
    /// For tests: a write that fails after this many outputs of an incremental build were written.
    var failsAfterWrites: Int?

    public enum MemoryRelease: Sendable {
        /// Freed before `build()` returns.
        case freed
        /// Freed on another thread after `build()` returns (a server answering the browser first).
        case freedInBackground
        /// Never freed: the process ends right after building (the `quill build` command), and freeing a hundred
        /// thousand graph records one by one would cost more than the edit it just built (clang's `-disable-free`).
        case keptToExit
    }

    public init(source: URL, output: URL? = nil, now: Date, sourceDateEpoch: Date? = nil) {
        self.source = source
        self.output = output ?? source.appendingPathComponent("public")
        self.now = now
        self.sourceDateEpoch = sourceDateEpoch
        state = source.appendingPathComponent(".quill/state")
    }
}

/// A page rendered: its template's name, the theme's templates, the values it was rendered with, and its bytes.
typealias RenderObserver = @Sendable (_ template: String, _ texts: [String: String], _ root: TemplateValue,
                                      _ bytes: [UInt8]) -> Void
