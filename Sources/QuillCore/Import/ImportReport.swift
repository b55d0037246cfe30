/// What `quill import jekyll` did: what was imported, what Liquid it converted, and what it left for the author.
public struct ImportReport: Sendable, Equatable, CustomStringConvertible {
    /// Liquid tags converted, by kind.
    public struct LiquidCounts: Sendable, Equatable {
        public var highlight = 0, raw = 0, siteVariables = 0, postURL = 0, link = 0, include = 0

        static func += (a: inout Self, b: Self) {
            a.highlight += b.highlight
            a.raw += b.raw
            a.siteVariables += b.siteVariables
            a.postURL += b.postURL
            a.link += b.link
            a.include += b.include
        }
    }

    public var posts = 0, drafts = 0, pages = 0, staticFiles = 0
    public var liquid = LiquidCounts()
    /// The Quill permalink pattern of the new site.
    public var permalink = ""
    /// Posts and pages that keep an old URL through their own `permalink`, and those given redirects (`aliases`).
    public var ownPermalinks = 0, redirects = 0
    /// jekyll-paginate's old URLs of the home page's pages 2, 3 … (`/page:num/`), redirected to Quill's; nil if none.
    public var paginationAliases: String?
    /// Posts and drafts whose categories were added to their tags (`--categories-as-tags`).
    public var categoriesAsTags = 0
    /// Posts, drafts and pages given values from `_config.yml`'s `defaults:` that their front matter lacked.
    public var defaultsApplied = 0
    /// `<center>` elements of HTML posts written as centred `<div>`s (`<center>` is obsolete HTML).
    public var centers = 0
    /// `path: old → new`, for each `date` written again as ISO 8601 with its offset (as Jekyll read it).
    public var dateRewrites: [String] = []
    /// `path: why`, for files and folders not imported.
    public var skipped: [String] = []
    /// `path:line: what`, for what the author has to look at.
    public var leftForAuthor: [String] = []

    public var description: String {
        var lines = ["imported \(posts) posts, \(drafts) drafts, \(pages) pages, \(staticFiles) static files"]
        let l = liquid
        lines.append("Liquid converted: \(l.highlight) highlight, \(l.raw) raw, \(l.siteVariables) site URL, "
            + "\(l.postURL) post_url, \(l.link) link" + (l.include > 0 ? ", \(l.include) include" : ""))
        lines.append("URLs: permalink \"\(permalink)\"; \(ownPermalinks) with their own permalink, "
            + "\(redirects) redirected from their old URL")
        if categoriesAsTags > 0 { lines.append("Categories added to the tags of \(categoriesAsTags) posts") }
        if defaultsApplied > 0 {
            lines.append("Front matter defaults (_config.yml): written into \(defaultsApplied) posts and pages")
        }
        if let paginationAliases {
            lines.append("Pages 2, 3 … of the home page: redirected from \"\(paginationAliases)\" ([pagination] aliases)")
        }
        if centers > 0 { lines.append("HTML updated: \(centers) <center> → <div style=\"text-align: center\">") }
        if !dateRewrites.isEmpty {
            lines.append("dates written as ISO 8601 (as Jekyll read them):")
            lines += dateRewrites.map { "  " + $0 }
        }
        if !skipped.isEmpty { lines.append("not imported:"); lines += skipped.map { "  " + $0 } }
        if !leftForAuthor.isEmpty { lines.append("left for you:"); lines += leftForAuthor.map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }
}
