import Foundation
import QuillImages
import QuillMarkdown
import QuillGraph

/// The settings of `site.toml`, with defaults for everything but the title.
///
/// ```toml
/// title = "My blog"
/// base_url = "https://example.org/"
/// time_zone = "Europe/Berlin"
/// ```
public struct SiteConfig: Sendable, Hashable {
    public var title: String
    public var description: String = ""
    /// Absolute, ending in `/` (`https://example.org/blog/`).
    public var baseURL: String = "http://localhost:8000/"
    public var language: String = "en"
    /// The default author of posts whose front matter names none.
    public var author: String = ""
    public var timeZone: TimeZone = TimeZone(identifier: "UTC")!
    public var theme: String = "default"
    public var postsPerPage: Int = 10
    public var permalink: Permalink = .default
    public var feedLimit: Int = 20
    /// Feeds carry whole posts (true) or their summaries.
    public var feedFullContent: Bool = true
    /// Text that ends a post's summary (Jekyll's `excerpt_separator`); `<!--more-->` and `<!--break-->` always do.
    public var excerptSeparator: String = ""
    /// Extra copies of the site's feeds, for feed URLs an older site had: URL path → `rss`, `atom` or `json`.
    public var feedAliases: [String: String] = [:]
    /// Old URLs of the home page's pages 2, 3 … (jekyll-paginate's `paginate_path`, `/page:num/`), each given a
    /// page that redirects to Quill's `/page/2/` …; empty for none.
    public var paginationAliases: String = ""
    /// `[highlight]`: how fenced code is highlighted at build time.
    public var highlight = HighlightSettings()
    /// `[images]`: sizes, lazy loading, resized copies and metadata of the site's pictures.
    public var images = ImageSettings()
    /// `[related] count`: how many related posts a post's page lists (0: none).
    public var relatedCount = 5
    /// `[search]`: whether the site has a search index and page, and which fields it indexes.
    public var search = SearchSettings()
    /// The `[params]` table, passed to templates as `site.params`.
    public var params: [String: MetadataValue] = [:]

    public init(title: String) {
        self.title = title
    }

    /// The old URL of the home page's page `n` (≥ 2) by `paginationAliases`: `:num` replaced by `n`, as a folder
    /// (jekyll-paginate writes `/page2` as `/page2/index.html` too); nil when there is no such setting.
    public func paginationAlias(_ n: Int) -> URLPath? {
        guard let range = paginationAliases.range(of: ":num") else { return nil }
        let path = paginationAliases.replacingCharacters(in: range, with: String(n))
        return URLPath(path.hasSuffix("/") ? path : path + "/")
    }

    /// The base URL's path, ending in `/` (`/` or `/blog/`); internal links start with it.
    public var rootPath: String {
        // Asked for every link of every page: the usual `https://host/` or `https://host/blog/` is read without
        // Foundation's URL parser; anything else (escapes, queries, dots, doubled slashes) goes through it.
        if let simple = Self.simpleRootPath(baseURL) { return simple }
        guard let url = URL(string: baseURL) else { return "/" }
        let path = url.path
        return path.hasSuffix("/") ? path : path + "/"
    }

    /// The path of `base` with a final `/` when `base` is `scheme://host` followed by nothing or by a path of
    /// letters, digits, `-`, `_` and single slashes; nil otherwise.
    static func simpleRootPath(_ base: String) -> String? {
        let bytes = Array(base.utf8)
        var i = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "a") && bytes[i] <= UInt8(ascii: "z") { i += 1 }
        guard i > 0, bytes.count >= i + 3, bytes[i] == UInt8(ascii: ":"), bytes[i + 1] == UInt8(ascii: "/"),
              bytes[i + 2] == UInt8(ascii: "/") else { return nil }
        i += 3
        let hostStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "/") {
            let b = bytes[i]
            let plain = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") || b.isASCIIDigit  // a lowercase host
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
            guard plain else { return nil }
            i += 1
        }
        guard i > hostStart else { return nil }
        var path = "/"
        var previous = UInt8(ascii: "/")
        for b in bytes[i...].dropFirst() {
            let plain = b.isASCIILetter || b.isASCIIDigit || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "/") && previous != b
            guard plain else { return nil }
            path.unicodeScalars.append(Unicode.Scalar(b))
            previous = b
        }
        return path.hasSuffix("/") ? path : path + "/"
    }

    /// The link to `path` inside the site, including the base URL's path (`/blog/tags/`), percent-encoded where a
    /// URL must be (`/big ideas/` → `/big%20ideas/`).
    public func relativeURL(for path: URLPath) -> String {
        rootPath + path.encoded.dropFirst()
    }

    /// The absolute URL of `path` (`https://example.org/blog/tags/`), percent-encoded where a URL must be.
    public func absoluteURL(for path: URLPath) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return base + path.encoded
    }
}

/// `[search]` in site.toml.
public struct SearchSettings: Sendable, Hashable {
    public var enabled = true
    /// Of "title", "tags", "body".
    public var fields = ["title", "tags", "body"]
    public init() {}
}
