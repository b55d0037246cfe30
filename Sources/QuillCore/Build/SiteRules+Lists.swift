import Foundation

/// Holds the build's compiled templates for the output rules.
final class TemplateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var set: TemplateSet?

    var value: TemplateSet? {
        get { lock.lock(); defer { lock.unlock() }; return set }
        set { lock.lock(); set = newValue; lock.unlock() }
    }
}

/// Caches derived lookups of one index value, keyed by its fingerprint, so that 10,000 `neighbours` nodes do not
/// each search the index.
final class IndexPositions: @unchecked Sendable {
    private let lock = NSLock()
    private var fingerprint: Fingerprint?
    private var positions: [String: Int] = [:]

    func position(of path: String, in index: SiteIndex, fingerprint fp: Fingerprint) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if fingerprint != fp {
            positions = Dictionary(uniqueKeysWithValues: index.posts.enumerated().map { ($1, $0) })
            fingerprint = fp
        }
        return positions[path]
    }
}

extension SiteRules {
    func index(_ c: ComputeContext) throws -> SiteIndex {
        let sources = try c.read(NodeKey("sources"), as: SourceList.self)
        let includeDrafts = try c.read(NodeKey("option", "drafts"), as: String.self) == "true"
        let includeFuture = try c.read(NodeKey("option", "future"), as: String.self) == "true"
        var index = SiteIndex()
        index.diagnostics = sources.problems
        var published = [Post]()
        var latestPast = -Double.infinity, earliestFuture = Double.infinity
        for path in sources.posts {
            switch try c.read(NodeKey("post.facts", path), as: Parsed<Post>.self) {
            case .failed(let diagnostics): index.diagnostics += diagnostics
            case .ok(let post):
                let time = post.date.date.timeIntervalSince1970
                if post.isDraft && !includeDrafts {
                    index.skipped.append(path)
                    index.scheduled.append(-.infinity)
                } else if !includeFuture && time > now.timeIntervalSince1970 {
                    index.skipped.append(path)
                    index.scheduled.append(time)
                    earliestFuture = min(earliestFuture, time)
                } else {
                    published.append(post)
                    if !includeFuture { latestPast = max(latestPast, time) }
                }
            }
        }
        // Titles order posts of the same instant only, so only theirs are read.
        var perInstant = [Date: Int]()
        for post in published { perInstant[post.date.date, default: 0] += 1 }
        for i in published.indices where perInstant[published[i].date.date]! > 1 {
            published[i].title = try c.read(NodeKey("post.meta", published[i].source), as: Parsed<Post>.self)
                .value?.title ?? ""
        }
        // Which posts are live depends on the clock only within [latest past post, earliest future post).
        if earliestFuture.isFinite { try c.touch(NodeKey("clock.before", String(earliestFuture))) }
        if latestPast.isFinite { try c.touch(NodeKey("clock.before", String(latestPast.nextUp))) }
        var pages = [Page]()
        for path in sources.pages {
            switch try c.read(NodeKey("page.card", path), as: Parsed<Page>.self) {
            case .failed(let diagnostics): index.diagnostics += diagnostics
            case .ok(let page): if !page.isDraft || includeDrafts { pages.append(page) }
            }
        }
        let arranged = Site.Arrangement(published)
        index.posts = arranged.order.map { published[$0].source }
        index.pages = Site.menuOrder(pages).map(\.source)
        index.tags = arranged.tags.map { .init(name: $0.tag.name, slug: $0.tag.slug, posts: $0.posts.map { index.posts[$0] }) }
        index.authors = arranged.authors.map {
            .init(name: $0.author.name, slug: $0.author.slug, posts: $0.posts.map { index.posts[$0] })
        }
        return index
    }

    func neighbours(_ path: String, _ c: ComputeContext) throws -> [String] {
        let index = try c.read(NodeKey("index"), as: SiteIndex.self)
        let fingerprint = c.graph.fingerprint(of: NodeKey("index")) ?? .absent
        guard let i = positions.position(of: path, in: index, fingerprint: fingerprint) else { return ["", ""] }
        return [i > 0 ? index.posts[i - 1] : "", i + 1 < index.posts.count ? index.posts[i + 1] : ""]
    }

    /// The spelling of each of a post's tags that the whole site uses (`python` and `Python` are one tag).
    func tagNames(_ path: String, _ c: ComputeContext) throws -> [String] {
        guard let post = try c.read(NodeKey("post.facts", path), as: Parsed<Post>.self).value else { return [] }
        let index = try c.read(NodeKey("index"), as: SiteIndex.self)
        return post.tags.map { index.tagName($0.slug) ?? $0.name }
    }

    /// Page `n` of the list at `base`: the base itself, then `page/2/` … below it.
    static func listPage(_ n: Int, of base: URLPath) -> URLPath { n == 1 ? base : base.appending("page/\(n)/") }

    /// The posts of list `list` (`home`, `tag:<slug>`, `author:<slug>`).
    static func posts(of list: String, in index: SiteIndex) -> [String] {
        if list == "home" { return index.posts }
        if list.hasPrefix("tag:") { return index.tags.first { $0.slug == list.dropFirst(4) }?.posts ?? [] }
        if list.hasPrefix("author:") { return index.authors.first { $0.slug == list.dropFirst(7) }?.posts ?? [] }
        return []
    }

    /// `<list>:<n>` → [[paths on page n], [page count]].
    func slice(_ id: String, _ c: ComputeContext) throws -> [[String]] {
        guard let colon = id.lastIndex(of: ":"), let n = Int(id[id.index(after: colon)...]) else { return [[], ["1"]] }
        let posts = Self.posts(of: String(id[..<colon]), in: try c.read(NodeKey("index"), as: SiteIndex.self))
        let perPage = try Self.config(c, [.postsPerPage]).postsPerPage
        let total = max(1, (posts.count + perPage - 1) / perPage)
        return [Array(posts.dropFirst((n - 1) * perPage).prefix(perPage)), [String(total)]]
    }

    func feedItems(_ list: String, _ c: ComputeContext) throws -> [String] {
        let posts = Self.posts(of: list, in: try c.read(NodeKey("index"), as: SiteIndex.self))
        let limit = try Self.config(c, [.feedLimit]).feedLimit
        return limit > 0 ? Array(posts.prefix(limit)) : posts
    }

    /// [[title, URL path]] of the standalone pages.
    func menu(_ c: ComputeContext) throws -> [[String]] {
        try c.read(NodeKey("index"), as: SiteIndex.self).pages.compactMap { path in
            try c.read(NodeKey("page.card", path), as: Parsed<Page>.self).value.map { [$0.title, $0.url.value] }
        }
    }

    /// [copyright year, "true" when there are tags].
    func facts(_ c: ComputeContext) throws -> [String] {
        let index = try c.read(NodeKey("index"), as: SiteIndex.self)
        let year = try index.posts.first.flatMap {
            try c.read(NodeKey("post.facts", $0), as: Parsed<Post>.self).value?.date.year
        }
        return [year ?? "", index.tags.isEmpty ? "false" : "true"]
    }

    func outputs(_ c: ComputeContext) throws -> OutputList {
        let index = try c.read(NodeKey("index"), as: SiteIndex.self)
        let sources = try c.read(NodeKey("sources"), as: SourceList.self)
        let config = try Self.config(c, [.postsPerPage, .paginationAliases])
        let perPage = config.postsPerPage
        var entries = [(id: String, path: String, origin: String)]()
        func add(_ id: String, _ url: URLPath, _ origin: String) { entries.append((id, url.outputPath.value, origin)) }
        func paginated(_ list: String, at base: URLPath, count: Int, origin: String) {
            let total = max(1, (count + perPage - 1) / perPage)
            for n in 1...total { add("\(list):\(n)", Self.listPage(n, of: base), origin) }
            guard list == "home" else { return }  // jekyll-paginate paged the home page only
            for n in 1...total where n > 1 {
                if let alias = config.paginationAlias(n) { add("pagealias:\(n)", alias, "site.toml pagination.aliases") }
            }
        }
        for path in index.posts {
            guard let post = try c.read(NodeKey("post.facts", path), as: Parsed<Post>.self).value else { continue }
            add("post:\(path)", post.url, path)
            for (n, alias) in post.aliases.enumerated() { add("alias:post:\(n):\(path)", alias, path) }
        }
        for path in index.pages {
            guard let page = try c.read(NodeKey("page.card", path), as: Parsed<Page>.self).value else { continue }
            add("page:\(path)", page.url, path)
            for (n, alias) in page.aliases.enumerated() { add("alias:page:\(n):\(path)", alias, path) }
        }
        paginated("home", at: .root, count: index.posts.count, origin: "home page")
        for tag in index.tags {
            let base = URLPath("/tags/\(tag.slug)/")
            paginated("tag:\(tag.slug)", at: base, count: tag.posts.count, origin: "tag “\(tag.name)”")
            add("tagrss:\(tag.slug)", base.appending("feed.xml"), "tag “\(tag.name)” feed")
            add("tagatom:\(tag.slug)", base.appending("atom.xml"), "tag “\(tag.name)” feed")
        }
        for author in index.authors { add("author:\(author.slug)", URLPath("/authors/\(author.slug)/"), "author page") }
        add("tags", URLPath("/tags/"), "tag index")
        add("archive", URLPath("/archive/"), "archive")
        add("404", URLPath("/404.html"), "404 page")
        add("rss", URLPath("/feed.xml"), "RSS feed")
        add("atom", URLPath("/atom.xml"), "Atom feed")
        add("json", URLPath("/feed.json"), "JSON feed")
        add("sitemap", URLPath("/sitemap.xml"), "sitemap")
        for (path, format) in try Self.config(c, [.feedAliases]).feedAliases {
            add("feedalias:\(format):\(path)", URLPath(path), "site.toml feeds.aliases")
        }
        if sources.statics["robots.txt"] == nil { add("robots", URLPath("/robots.txt"), "robots.txt") }
        for (path, source) in sources.statics { entries.append(("static:\(path)", path, source)) }
        entries.sort { ($0.path, $0.origin) < ($1.path, $1.origin) }
        var list = OutputList()
        for (a, b) in zip(entries, entries.dropFirst()) where a.path == b.path {
            let (first, second) = a.origin <= b.origin ? (a.origin, b.origin) : (b.origin, a.origin)
            list.diagnostics.append(Diagnostic(
                SourceLocation(file: second, line: second.hasPrefix("content/") ? 1 : nil, column: 1),
                "writes \(OutputPath(a.path).urlPath), which \(first) writes too",
                hint: "give one of them a different `slug` (or date), or rename the file"))
        }
        // Names no file system takes: a component over 255 bytes (a very long slug or title).
        for entry in entries {
            guard let long = entry.path.split(separator: "/").first(where: { $0.utf8.count > 255 }) else { continue }
            list.diagnostics.append(Diagnostic(
                SourceLocation(file: entry.origin, line: entry.origin.hasPrefix("content/") ? 1 : nil, column: 1),
                "makes the file or folder name \(long.prefix(24))… of \(long.utf8.count) bytes, over the 255 that "
                    + "file systems allow",
                hint: "set a shorter `slug` in the front matter"))
        }
        // A file where another output needs a folder (static/tags beside the tag pages in tags/).
        let origins = Dictionary(entries.map { ($0.path, $0.origin) }, uniquingKeysWith: { a, _ in a })
        for entry in entries {
            var folder = Substring(entry.path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard let file = origins[String(folder)] else { continue }
                list.diagnostics.append(Diagnostic(
                    SourceLocation(file: file, line: file.hasPrefix("content/") ? 1 : nil, column: 1),
                    "writes the file \(folder), where \(entry.origin) needs a folder (for \(entry.path))",
                    hint: "rename or move \(file)"))
                break
            }
        }
        list.entries = entries.map { [$0.id, $0.path] }
        return list
    }
}
