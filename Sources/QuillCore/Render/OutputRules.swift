import Foundation
import Mustache
import QuillMarkdown

/// The `site` template variable: each setting is read from the graph only when a template uses it, so a page
/// depends on exactly the settings it shows.
final class SiteView: MustacheParent {
    let context: ComputeContext
    private(set) var failure: Error?

    /// What this page's templates already asked for (a layout asks for `site.title` several times).
    private var asked: [String: Any?] = [:]

    init(_ context: ComputeContext) { self.context = context }

    /// What templates get: a struct holding this view (see `Views.PostView` for why).
    struct Handle: MustacheParent {
        let view: SiteView
        func child(named name: String) -> Any? { view.child(named: name) }
    }

    var handle: Handle { Handle(view: self) }

    func child(named name: String) -> Any? {
        if let known = asked[name] { return known }
        let value = look(up: name)
        asked[name] = .some(value)
        return value
    }

    private func look(up name: String) -> Any? {
        do {
            func field(_ f: ConfigField) throws -> SiteConfig { try SiteRules.config(context, [f]) }
            switch name {
            case "title": return try field(.title).title
            case "description": return try field(.description).description
            case "language": return try field(.language).language
            case "author": return try field(.author).author
            case "baseURL": return try field(.baseURL).baseURL
            case "root": return try field(.baseURL).rootPath
            case "params": return try field(.params).params.mapValues(\.templateValue)
            case "tagsURL", "archiveURL", "rssURL", "atomURL", "jsonFeedURL":
                let paths = ["tagsURL": "/tags/", "archiveURL": "/archive/", "rssURL": "/feed.xml",
                             "atomURL": "/atom.xml", "jsonFeedURL": "/feed.json"]
                return try field(.baseURL).relativeURL(for: URLPath(paths[name]!))
            case "menu":
                let config = try field(.baseURL)
                return try context.read(NodeKey("menu"), as: [[String]].self).map {
                    ["title": $0[0], "url": config.relativeURL(for: URLPath($0[1]))]
                }
            case "copyrightYear": return try context.read(NodeKey("facts"), as: [String].self)[0]
            case "hasTags": return try context.read(NodeKey("facts"), as: [String].self)[1] == "true"
            default: return nil
            }
        } catch {
            failure = failure ?? error
            return nil
        }
    }
}

/// Renders one output node: which template or writer, with what context, from what reads.
struct OutputRules {
    let context: ComputeContext
    let templates: TemplateSet?

    private func card(_ path: String) throws -> Post? {
        try context.read(NodeKey("post.card", path), as: Parsed<Post>.self).value
    }

    /// Title, date, URL and tags only: for pages that show no text of the post.
    private func meta(_ path: String) throws -> Post? {
        try context.read(NodeKey("post.meta", path), as: Parsed<Post>.self).value
    }

    /// Dates, tags, author and URL only (no title): for what only places or dates a post.
    private func facts(_ path: String) throws -> Post? {
        try context.read(NodeKey("post.facts", path), as: Parsed<Post>.self).value
    }

    private func fullPost(_ path: String) throws -> Post? {
        try context.read(NodeKey("post", path), as: Parsed<Post>.self).value
    }

    private func config(_ fields: [ConfigField]) throws -> SiteConfig { try SiteRules.config(context, fields) }

    /// A post's template view, its tags spelled as the rest of the site spells them.
    private func postView(_ post: Post, _ config: SiteConfig, fragmentKey: String? = nil) throws -> Views.PostView {
        Views.post(try spelledAsSite(post), config: config, fragments: fragmentKey.flatMap { templates?.fragmentScope($0) })
    }

    /// `post` with its tags spelled as the rest of the site spells them (`python` and `Python` are one tag).
    private func spelledAsSite(_ post: Post) throws -> Post {
        let names = try context.read(NodeKey("tagnames", post.source), as: [String].self)
        if names.count == post.tags.count, zip(names, post.tags).allSatisfy({ $0 == $1.name }) { return post }
        var post = post
        for (i, name) in names.enumerated() where i < post.tags.count { post.tags[i].name = name }
        return post
    }

    func render(_ id: String) throws -> OutputFile {
        let (kind, rest) = id.firstIndex(of: ":").map { (String(id[..<$0]), String(id[id.index(after: $0)...])) }
            ?? (id, "")
        switch kind {
        case "post": return try post(rest)
        case "page": return try page(rest)
        case "home": return try list("home", page: Int(rest) ?? 1, template: "index", kind: "home")
        case "tag":
            let parts = rest.split(separator: ":")
            return try list("tag:\(parts[0])", page: Int(parts.last ?? "1") ?? 1, template: "tag", kind: "tag")
        case "author": return try list("author:\(rest)", page: 1, template: "author", kind: "author")
        case "tagrss", "tagatom", "rss", "atom", "json": return try feed(kind, tag: rest)
        case "feedalias":
            let (format, path) = rest.firstIndex(of: ":").map { (String(rest[..<$0]), String(rest[rest.index(after: $0)...])) }
                ?? ("rss", rest)
            return OutputFile(path: URLPath(path).outputPath.value, bytes: try feed(format, tag: "").bytes)
        case "alias": return try redirect(rest)
        case "pagealias": return try paginationRedirect(rest)
        case "tags": return try tagIndex()
        case "archive": return try archive()
        case "404":
            let page = try pageView(kind: "404", title: "Page not found", url: URLPath("/404.html"))
            return try html("404", URLPath("/404.html"), page: page)
        case "sitemap": return try sitemap()
        case "robots":
            let url = try config([.baseURL]).absoluteURL(for: URLPath("/sitemap.xml"))
            return OutputFile(path: "robots.txt", bytes: Data("User-agent: *\nAllow: /\n\nSitemap: \(url)\n".utf8))
        case "static":
            let source = try context.read(NodeKey("staticsource", rest), as: String.self)
            return OutputFile(path: rest, bytes: try context.read(NodeKey("file", source), as: Data.self))
        default:
            throw GraphTypeMismatch(key: NodeKey("out", id))
        }
    }

    // MARK: Pages

    private func pageView(kind: String, title: String, url: URLPath, description: String? = nil,
                          isFirstPage: Bool = true) throws -> [String: Any] {
        let config = try self.config([.baseURL] + (description == nil ? [.description] : []))
        var view: [String: Any] = [
            "kind": kind, "title": title, "url": config.relativeURL(for: url),
            "permalink": config.absoluteURL(for: url), "description": description ?? config.description,
            "isFirstPage": isFirstPage,
        ]
        view["is" + kind.prefix(1).uppercased() + kind.dropFirst()] = true
        return view
    }

    private func html(_ template: String, _ url: URLPath, page: [String: Any], feeds: [[String: Any]] = [],
                      _ extra: [String: Any] = [:]) throws -> OutputFile {
        try context.touch(NodeKey("template.closure", template))
        let config = try self.config([.title, .baseURL])
        let siteFeeds = [
            Views.feedLink("application/rss+xml", "\(config.title) (RSS)", config.relativeURL(for: URLPath("/feed.xml"))),
            Views.feedLink("application/atom+xml", "\(config.title) (Atom)", config.relativeURL(for: URLPath("/atom.xml"))),
            Views.feedLink("application/feed+json", "\(config.title) (JSON Feed)",
                           config.relativeURL(for: URLPath("/feed.json"))),
        ]
        let site = SiteView(context)
        var full = extra
        full["site"] = site.handle
        full["page"] = page
        full["feeds"] = feeds + siteFeeds
        guard let templates else { throw GraphTypeMismatch(key: NodeKey("template", template)) }
        let text = templates.render(template, full)
        if let failure = site.failure { throw failure }
        return OutputFile(path: url.outputPath.value, bytes: Data(text.utf8))
    }

    private func post(_ path: String) throws -> OutputFile {
        guard let post = try fullPost(path) else { throw GraphTypeMismatch(key: NodeKey("post", path)) }
        let config = try self.config([.baseURL])
        var extra: [String: Any] = ["post": try postView(post, config)]
        let neighbours = try context.read(NodeKey("neighbours", path), as: [String].self)
        for (name, other) in zip(["newer", "older"], neighbours) where !other.isEmpty {
            if let meta = try meta(other) { extra[name] = ["title": meta.title, "url": config.relativeURL(for: meta.url)] }
        }
        let page = try pageView(kind: "post", title: post.title, url: post.url, description: post.description)
        return try html("post", post.url, page: page, extra)
    }

    private func page(_ path: String) throws -> OutputFile {
        guard let page = try context.read(NodeKey("page", path), as: Parsed<Page>.self).value else {
            throw GraphTypeMismatch(key: NodeKey("page", path))
        }
        var view = try pageView(kind: "page", title: page.title, url: page.url, description: page.description)
        view.merge(Views.body(page.body)) { a, _ in a }
        view["params"] = page.params.mapValues(\.templateValue)
        return try html("page", page.url, page: view)
    }

    /// `post:<n>:<source>` or `page:<n>:<source>`: the page at a post's or page's n-th alias, which sends readers
    /// (and search engines, through the canonical link) to where it is now.
    private func redirect(_ id: String) throws -> OutputFile {
        let parts = id.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, let n = Int(parts[1]) else { throw GraphTypeMismatch(key: NodeKey("out", "alias:" + id)) }
        let target: (url: URLPath, aliases: [URLPath])?
        if parts[0] == "post" {
            target = try facts(parts[2]).map { ($0.url, $0.aliases) }
        } else {
            target = try context.read(NodeKey("page.card", parts[2]), as: Parsed<Page>.self).value.map { ($0.url, $0.aliases) }
        }
        guard let target, n < target.aliases.count else { throw GraphTypeMismatch(key: NodeKey("out", "alias:" + id)) }
        return try redirect(from: target.aliases[n], to: target.url)
    }

    /// `<n>`: the page at the old URL of the home page's page n (`[pagination] aliases`), sending readers to it.
    private func paginationRedirect(_ n: String) throws -> OutputFile {
        guard let n = Int(n), let alias = try config([.paginationAliases]).paginationAlias(n) else {
            throw GraphTypeMismatch(key: NodeKey("out", "pagealias:" + n))
        }
        return try redirect(from: alias, to: SiteRules.listPage(n, of: .root))
    }

    /// A page at `alias` that sends readers (and search engines, through the canonical link) to `target`.
    private func redirect(from alias: URLPath, to target: URLPath) throws -> OutputFile {
        let config = try self.config([.baseURL, .language])
        let url = HTMLEscaping.escape(config.absoluteURL(for: target))
        let html = """
            <!DOCTYPE html>
            <html lang="\(HTMLEscaping.escape(config.language))">
            <head>
            <meta charset="utf-8">
            <title>\(url)</title>
            <link rel="canonical" href="\(url)">
            <meta name="robots" content="noindex">
            <meta http-equiv="refresh" content="0; url=\(url)">
            </head>
            <body>
            <p>This page has moved to <a href="\(url)">\(url)</a>.</p>
            </body>
            </html>

            """
        return OutputFile(path: alias.outputPath.value, bytes: Data(html.utf8))
    }

    private func list(_ list: String, page n: Int, template: String, kind: String) throws -> OutputFile {
        let slice = try context.read(NodeKey("slice", "\(list):\(n)"), as: [[String]].self)
        let total = Int(slice[1].first ?? "1") ?? 1
        let config = try self.config([.baseURL])
        var extra: [String: Any] = ["posts": try slice[0].compactMap { path in
            try card(path).map { try postView($0, config, fragmentKey: "card:" + path) }
        }]
        var base = URLPath.root
        var title = ""
        var feeds = [[String: Any]]()
        if list == "home" {
            title = n == 1 ? try self.config([.title]).title : "Page \(n)"
        } else {
            let index = try context.read(NodeKey("index"), as: SiteIndex.self)
            let isTag = list.hasPrefix("tag:")
            let slug = String(list.drop { $0 != ":" }.dropFirst())
            let group = (isTag ? index.tags : index.authors).first { $0.slug == slug }
            let name = group?.name ?? slug
            base = URLPath(isTag ? "/tags/\(slug)/" : "/authors/\(slug)/")
            var view: [String: Any] = ["name": name, "slug": slug, "url": config.relativeURL(for: base),
                                       "count": group?.posts.count ?? 0]
            if isTag {
                let siteTitle = try self.config([.title]).title
                let rss = config.relativeURL(for: base.appending("feed.xml"))
                let atom = config.relativeURL(for: base.appending("atom.xml"))
                view["rssURL"] = rss
                view["atomURL"] = atom
                feeds = [Views.feedLink("application/rss+xml", "\(name) — \(siteTitle) (RSS)", rss),
                         Views.feedLink("application/atom+xml", "\(name) — \(siteTitle) (Atom)", atom)]
                title = "Posts tagged “\(name)”" + (n == 1 ? "" : ", page \(n)")
                extra["tag"] = view
            } else {
                title = "Posts by \(name)"
                extra["author"] = view
            }
        }
        func url(_ page: Int) -> URLPath { SiteRules.listPage(page, of: base) }
        extra["pagination"] = Views.pagination(current: n, total: total) { config.relativeURL(for: url($0)) }
        let page = try pageView(kind: kind, title: title, url: url(n), isFirstPage: n == 1)
        return try html(template, url(n), page: page, feeds: feeds, extra)
    }

    private func tagIndex() throws -> OutputFile {
        let index = try context.read(NodeKey("index"), as: SiteIndex.self)
        let config = try self.config([.baseURL])
        let tags = index.tags.map { group -> [String: Any] in
            ["name": group.name, "slug": group.slug, "count": group.posts.count,
             "url": config.relativeURL(for: URLPath("/tags/\(group.slug)/"))]
        }
        let url = URLPath("/tags/")
        return try html("tags", url, page: try pageView(kind: "tags", title: "Tags", url: url), ["tags": tags])
    }

    private func archive() throws -> OutputFile {
        let index = try context.read(NodeKey("index"), as: SiteIndex.self)
        let config = try self.config([.baseURL])
        var years = [(String, [Views.PostView])]()
        for path in index.posts {
            guard let post = try meta(path) else { continue }
            if years.last?.0 != post.date.year { years.append((post.date.year, [])) }
            years[years.count - 1].1.append(try postView(post, config))
        }
        let view = years.map { ["year": $0.0, "count": $0.1.count, "posts": $0.1] as [String: Any] }
        let url = URLPath("/archive/")
        return try html("archive", url, page: try pageView(kind: "archive", title: "Archive", url: url), ["years": view])
    }

    // MARK: Feeds and the sitemap

    private func feed(_ kind: String, tag slug: String) throws -> OutputFile {
        let config = try self.config([.title, .description, .baseURL, .language, .author, .feedLimit,
                                      .feedFullContent, .timeZone])
        let epoch = Double(try context.read(NodeKey("option", "sourceDateEpoch"), as: String.self)) ?? 0
        let writer = FeedWriter(config: config, emptyFeedDate: Date(timeIntervalSince1970: epoch))
        let items = try context.read(NodeKey("feeditems", slug.isEmpty ? "home" : "tag:\(slug)"), as: [String].self)
        let posts = try items.compactMap { path -> Post? in
            guard let post = config.feedFullContent ? try fullPost(path) : try card(path) else { return nil }
            return try spelledAsSite(post)
        }
        if slug.isEmpty {
            let channel = FeedWriter.Channel(
                title: config.title, description: config.description, page: .root, rss: URLPath("/feed.xml"),
                atom: URLPath("/atom.xml"), json: URLPath("/feed.json"))
            switch kind {
            case "rss": return OutputFile(path: "feed.xml", bytes: Data(writer.rss(posts, channel: channel).utf8))
            case "atom": return OutputFile(path: "atom.xml", bytes: Data(writer.atom(posts, channel: channel).utf8))
            default: return OutputFile(path: "feed.json", bytes: Data(writer.json(posts, channel: channel).utf8))
            }
        }
        let index = try context.read(NodeKey("index"), as: SiteIndex.self)
        let name = index.tags.first { $0.slug == slug }?.name ?? slug
        let base = URLPath("/tags/\(slug)/")
        let channel = FeedWriter.Channel(
            title: "\(config.title): \(name)", description: "Posts tagged “\(name)”", page: base,
            rss: base.appending("feed.xml"), atom: base.appending("atom.xml"))
        if kind == "tagrss" {
            return OutputFile(path: channel.rss.outputPath.value, bytes: Data(writer.rss(posts, channel: channel).utf8))
        }
        return OutputFile(path: channel.atom.outputPath.value, bytes: Data(writer.atom(posts, channel: channel).utf8))
    }

    private func sitemap() throws -> OutputFile {
        let list = try context.read(NodeKey("outputs"), as: OutputList.self)
        let index = try context.read(NodeKey("index"), as: SiteIndex.self)
        let config = try self.config([.baseURL])
        func newest(_ paths: [String]) throws -> DateParts? { try paths.first.flatMap { try facts($0)?.lastModified } }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in list.entries {
            let (id, path) = (entry[0], entry[1])
            guard path.hasSuffix(".html"), id != "404", !id.hasPrefix("static:"), !id.hasPrefix("alias:"),
                  !id.hasPrefix("pagealias:") else { continue }
            var lastModified: DateParts?
            if id.hasPrefix("post:") {
                lastModified = try facts(String(id.dropFirst(5)))?.lastModified
            } else if id.hasPrefix("page:") {
                let page = try context.read(NodeKey("page.card", String(id.dropFirst(5))), as: Parsed<Page>.self).value
                lastModified = page?.updated ?? page?.date
            } else if id.hasPrefix("home:") || id == "tags" || id == "archive" {
                lastModified = id.hasPrefix("home:")
                    ? try newest(try context.read(NodeKey("slice", id), as: [[String]].self)[0])
                    : try newest(index.posts)
            } else if id.hasPrefix("tag:") || id.hasPrefix("author:") {
                let list = id.hasPrefix("author:") ? id + ":1" : id
                lastModified = try newest(try context.read(NodeKey("slice", list), as: [[String]].self)[0])
            }
            xml += "<url><loc>\(HTMLEscaping.escape(config.absoluteURL(for: OutputPath(path).urlPath)))</loc>"
            if let date = lastModified { xml += "<lastmod>\(date.rfc3339)</lastmod>" }
            xml += "</url>\n"
        }
        return OutputFile(path: "sitemap.xml", bytes: Data((xml + "</urlset>\n").utf8))
    }
}
