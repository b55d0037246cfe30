import QuillImages

/// Which output a node of kind `out` renders. Its text form (`post:content/posts/a.md`, `tag:swift:2`, `rss`) is
/// the node's id in keys and in the saved state, and the origin `quill build --explain` names.
enum OutputID: Hashable, Sendable, CustomStringConvertible {
    /// A post's page, by source path.
    case post(String)
    /// A standalone page, by source path.
    case page(String)
    /// Page `page` of a list of posts (an author's list has one page).
    case list(PostList, page: Int)
    /// The redirect at the `n`-th old URL (front matter `aliases`) of a post or page.
    case alias(AliasOwner, n: Int, source: String)
    /// The redirect at the `n`-th earlier URL of a post or page that moved (from the URL record).
    case moved(AliasOwner, n: Int, source: String)
    /// The redirect at the old URL of the home page's page `n` (`[pagination] aliases`).
    case paginationAlias(Int)
    /// The site's feed in one format.
    case feed(FeedFormat)
    /// A tag's feed (RSS or Atom).
    case tagFeed(FeedFormat, slug: String)
    /// The site's feed at another path (`[feeds] aliases`).
    case feedAlias(FeedFormat, path: String)
    case tagIndex, archive, notFound, sitemap, robots
    /// The search page, the search index's manifest, a shard of it by key, and its `n`-th list of documents.
    case searchPage, searchManifest
    case searchShard(String)
    case searchDocs(Int)
    /// A file of `static/` (the site's or the theme's), by output path.
    case staticFile(String)
    /// A file of a post's or page's bundle (`content/posts/trip/cat.png`), by source path.
    case bundleFile(String)
    /// A resized copy of an image (a bundle's or a static one), by source path, width and format.
    case imageVariant(String, width: Int, format: VariantFormat)

    enum AliasOwner: String, Sendable { case post, page }

    enum FeedFormat: String, Sendable { case rss, atom, json }

    var description: String {
        switch self {
        case .post(let path): return "post:" + path
        case .page(let path): return "page:" + path
        case .list(.home, let page): return "home:\(page)"
        case .list(.tag(let slug), let page): return "tag:\(slug):\(page)"
        case .list(.author(let slug), _): return "author:" + slug
        case .alias(let owner, let n, let source): return "alias:\(owner.rawValue):\(n):\(source)"
        case .moved(let owner, let n, let source): return "moved:\(owner.rawValue):\(n):\(source)"
        case .paginationAlias(let n): return "pagealias:\(n)"
        case .feed(let format): return format.rawValue
        case .tagFeed(let format, let slug): return "tag\(format.rawValue):\(slug)"
        case .feedAlias(let format, let path): return "feedalias:\(format.rawValue):\(path)"
        case .tagIndex: return "tags"
        case .archive: return "archive"
        case .notFound: return "404"
        case .sitemap: return "sitemap"
        case .robots: return "robots"
        case .searchPage: return "search"
        case .searchManifest: return "searchmanifest"
        case .searchShard(let key): return "searchshard:" + key
        case .searchDocs(let n): return "searchdocs:\(n)"
        case .staticFile(let path): return "static:" + path
        case .bundleFile(let path): return "bundle:" + path
        case .imageVariant(let path, let width, let format): return "variant:\(width):\(format.rawValue):" + path
        }
    }

    /// The output an id's text form names, or nil.
    init?(_ text: String) {
        let (kind, rest) = text.firstIndex(of: ":").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
            ?? (text, "")
        /// `a:b` → (a, b), split at the first colon.
        func split(_ s: String) -> (String, String)? {
            s.firstIndex(of: ":").map { (String(s[..<$0]), String(s[s.index(after: $0)...])) }
        }
        switch kind {
        case "post": self = .post(rest)
        case "page": self = .page(rest)
        case "home":
            guard let n = Int(rest) else { return nil }
            self = .list(.home, page: n)
        case "tag":
            guard let colon = rest.lastIndex(of: ":"), let n = Int(rest[rest.index(after: colon)...]) else { return nil }
            self = .list(.tag(String(rest[..<colon])), page: n)
        case "author": self = .list(.author(rest), page: 1)
        case "alias", "moved":
            guard let (owner, more) = split(rest), let owner = AliasOwner(rawValue: owner),
                  let (n, source) = split(more), let n = Int(n) else { return nil }
            self = kind == "alias" ? .alias(owner, n: n, source: source) : .moved(owner, n: n, source: source)
        case "pagealias":
            guard let n = Int(rest) else { return nil }
            self = .paginationAlias(n)
        case "rss", "atom", "json": self = .feed(FeedFormat(rawValue: kind)!)
        case "tagrss": self = .tagFeed(.rss, slug: rest)
        case "tagatom": self = .tagFeed(.atom, slug: rest)
        case "feedalias":
            guard let (format, path) = split(rest), let format = FeedFormat(rawValue: format) else { return nil }
            self = .feedAlias(format, path: path)
        case "tags": self = .tagIndex
        case "archive": self = .archive
        case "404": self = .notFound
        case "sitemap": self = .sitemap
        case "robots": self = .robots
        case "search": self = .searchPage
        case "searchmanifest": self = .searchManifest
        case "searchshard": self = .searchShard(rest)
        case "searchdocs":
            guard let n = Int(rest) else { return nil }
            self = .searchDocs(n)
        case "static": self = .staticFile(rest)
        case "bundle": self = .bundleFile(rest)
        case "variant":
            guard let (width, more) = split(rest), let width = Int(width), let (format, path) = split(more),
                  let format = VariantFormat(rawValue: format) else { return nil }
            self = .imageVariant(path, width: width, format: format)
        default: return nil
        }
    }
}
