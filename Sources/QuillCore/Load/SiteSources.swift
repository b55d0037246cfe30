import Foundation

/// Everything a build reads, loaded from disk and checked to be UTF-8 where it must be text.
public struct SiteSources: Sendable {
    /// The parsed `site.toml`.
    public var config: SiteConfig
    /// `content/posts/**.md`, sorted by path.
    public var posts: [SourceFile]
    /// The other `content/**.md`, sorted by path.
    public var pages: [SourceFile]
    /// Template name (`post`, `partials/head`) → file; the site's `templates/` over the theme's.
    public var templates: [String: SourceFile]
    /// Output path → bytes; the site's `static/` over the theme's.
    public var staticFiles: [OutputPath: StaticFile]
}

/// A file copied as it is into the output.
public struct StaticFile: Sendable, Hashable {
    /// Where it came from, for messages (`static/robots.txt`, `themes/default/static/css/style.css`).
    public var source: String
    public var bytes: Data
}
