import Foundation
import QuillMarkdown

/// Builds what templates see from the model: dictionaries of strings, flags and lists (see docs/templates.md).
/// Templates never get the model itself.
struct Views: @unchecked Sendable {
    let config: SiteConfig
    let site: [String: Any]
    let siteFeeds: [[String: Any]]
    /// The view of each post, index for index with `Site.posts`.
    let posts: [[String: Any]]

    init(_ model: Site) {
        let config = model.config
        self.config = config
        siteFeeds = [
            Self.feedLink("application/rss+xml", "\(config.title) (RSS)", config.relativeURL(for: URLPath("/feed.xml"))),
            Self.feedLink("application/atom+xml", "\(config.title) (Atom)", config.relativeURL(for: URLPath("/atom.xml"))),
            Self.feedLink("application/feed+json", "\(config.title) (JSON Feed)",
                          config.relativeURL(for: URLPath("/feed.json"))),
        ]
        site = [
            "title": config.title, "description": config.description, "language": config.language,
            "author": config.author, "baseURL": config.baseURL, "root": config.rootPath,
            "params": config.params.mapValues(\.templateValue),
            "copyrightYear": model.posts.first?.date.year ?? "",
            "menu": model.pages.map { ["title": $0.title, "url": config.relativeURL(for: $0.url)] },
            "hasTags": !model.tags.isEmpty,
            "tagsURL": config.relativeURL(for: URLPath("/tags/")),
            "archiveURL": config.relativeURL(for: URLPath("/archive/")),
            "rssURL": config.relativeURL(for: URLPath("/feed.xml")),
            "atomURL": config.relativeURL(for: URLPath("/atom.xml")),
            "jsonFeedURL": config.relativeURL(for: URLPath("/feed.json")),
        ]
        posts = model.posts.map { Self.post($0, config: config) }
    }

    /// `newer` and `older`: links to the posts beside post `index`, absent at the ends.
    func neighbours(of index: Int) -> [String: Any] {
        var view = [String: Any]()
        if index > 0 { view["newer"] = Self.link(posts[index - 1]) }
        if index + 1 < posts.count { view["older"] = Self.link(posts[index + 1]) }
        return view
    }

    static func feedLink(_ type: String, _ title: String, _ url: String) -> [String: Any] {
        ["type": type, "title": title, "url": url]
    }

    private static func link(_ post: [String: Any]) -> [String: Any] {
        ["title": post["title"]!, "url": post["url"]!]
    }

    static func date(_ d: DateParts) -> [String: Any] {
        ["iso": d.rfc3339, "display": d.display, "year": d.year, "month": d.month, "day": d.day,
         "monthName": d.monthName]
    }

    static func post(_ post: Post, config: SiteConfig) -> [String: Any] {
        var view = body(post.body)
        view["title"] = post.title
        view["url"] = config.relativeURL(for: post.url)
        view["permalink"] = config.absoluteURL(for: post.url)
        view["slug"] = post.slug
        view["date"] = date(post.date)
        view["hasUpdated"] = post.updated != nil
        if let updated = post.updated { view["updated"] = date(updated) }
        view["author"] = [
            "name": post.author.name, "slug": post.author.slug,
            "url": config.relativeURL(for: URLPath("/authors/\(post.author.slug)/")),
        ]
        view["tags"] = post.tags.map { tag -> [String: Any] in
            ["name": tag.name, "slug": tag.slug, "url": config.relativeURL(for: URLPath("/tags/\(tag.slug)/"))]
        }
        view["hasTags"] = !post.tags.isEmpty
        view["description"] = post.description
        view["params"] = post.params.mapValues(\.templateValue)
        view["isDraft"] = post.isDraft
        return view
    }

    static func body(_ body: RenderedMarkdown) -> [String: Any] {
        let toc = body.headings.tableOfContentsHTML()
        return [
            "content": body.html, "summary": body.summaryHTML, "hasMore": body.hasMore,
            "wordCount": body.wordCount, "readingTime": max(1, (body.wordCount + 212) / 213),
            "toc": toc, "hasToc": !toc.isEmpty,
        ]
    }

    /// The `page` variable: what this output is.
    func page(kind: String, title: String, url: URLPath, description: String? = nil, isFirstPage: Bool = true)
        -> [String: Any]
    {
        var view: [String: Any] = [
            "kind": kind, "title": title, "url": config.relativeURL(for: url),
            "permalink": config.absoluteURL(for: url), "description": description ?? config.description,
            "isFirstPage": isFirstPage,
        ]
        view["is" + kind.prefix(1).uppercased() + kind.dropFirst()] = true
        return view
    }

    /// The whole context of one output.
    func context(page: [String: Any], feeds extraFeeds: [[String: Any]] = [], _ extra: [String: Any] = [:])
        -> [String: Any]
    {
        var context = extra
        context["site"] = site
        context["page"] = page
        context["feeds"] = extraFeeds + siteFeeds
        return context
    }

    static func pagination(current: Int, total: Int, url: (Int) -> String) -> [String: Any] {
        var view: [String: Any] = [
            "current": current, "total": total, "hasPrev": current > 1, "hasNext": current < total,
            "isPaginated": total > 1,
        ]
        if current > 1 { view["prevURL"] = url(current - 1) }
        if current < total { view["nextURL"] = url(current + 1) }
        return view
    }
}
