import Foundation
import QuillTemplates

// The HTML pages: each post and page, the paginated lists (home, tags, authors), the tag index, the archive and
// the 404 page.

extension OutputRenderer {
    func post(_ path: String) throws -> OutputFile {
        guard let post = try fullPost(path) else { throw missing(.post(path)) }
        let config = try self.config(post.image == nil ? [.baseURL] : [.baseURL, .images])
        let view = try postView(post, config)
        view.storage.related = try context.read(Node.Related(path)).compactMap { other in
            try meta(other).map {
                Views.related.record(["title": .string($0.title), "url": .string(config.relativeURL(for: $0.url)),
                                      "date": .object(Views.DateView($0.date))])
            }
        }
        var extra: [String: TemplateValue] = ["post": .object(view)]
        let neighbours = try context.read(Node.Neighbours(path))
        for (name, other) in [("newer", neighbours.newer), ("older", neighbours.older)] {
            if let other, let meta = try meta(other) {
                extra[name] = Views.neighbour.record(["title": .string(meta.title),
                                                      "url": .string(config.relativeURL(for: meta.url))])
            }
        }
        var page = try pageView(kind: "post", title: post.title, url: post.url, description: post.description)
        if let image = post.image { page["image"] = Views.image(image, config) }
        return try html("post", post.url, page: page, extra)
    }

    func page(_ path: String) throws -> OutputFile {
        guard let page = try context.read(Node.FullPage(path)).value else { throw missing(.page(path)) }
        var view = try pageView(kind: "page", title: page.title, url: page.url, description: page.description)
        view.merge(Views.body(page.body, page.params)) { a, _ in a }
        view["params"] = .table(page.params.mapValues(\.templateValue))
        if let image = page.image { view["image"] = Views.image(image, try config([.baseURL, .images])) }
        return try html("page", page.url, page: view)
    }

    func list(_ list: PostList, page n: Int) throws -> OutputFile {
        let slice = try context.read(Node.ListSlice(list, page: n))
        let config = try self.config([.baseURL])
        let template: String, kind: String
        switch list {
        case .home: (template, kind) = ("index", "home")
        case .tag: (template, kind) = ("tag", "tag")
        case .author: (template, kind) = ("author", "author")
        }
        let postReading = reading(template)
        var extra: [String: TemplateValue] = ["posts": .list(try slice.posts.compactMap { path in
            try listed(path, postReading, config).map { .object($0) }
        })]
        let base = list.base
        var title = ""
        var feeds = [TemplateValue]()
        switch list {
        case .home:
            title = n == 1 ? try self.config([.title]).title : "Page \(n)"
        case .tag(let slug), .author(let slug):
            let index = try context.read(Node.Index())
            let isTag = list == .tag(slug)
            let group = (isTag ? index.tags : index.authors).first { $0.slug == slug }
            let name = group?.name ?? slug
            var view: [String: TemplateValue] = ["name": .string(name), "slug": .string(slug),
                                                 "url": .string(config.relativeURL(for: base)),
                                                 "count": .int(group?.posts.count ?? 0)]
            if isTag {
                let siteTitle = try self.config([.title]).title
                let rss = config.relativeURL(for: base.appending("feed.xml"))
                let atom = config.relativeURL(for: base.appending("atom.xml"))
                view["rssURL"] = .string(rss)
                view["atomURL"] = .string(atom)
                feeds = [Views.feedLink("application/rss+xml", "\(name) — \(siteTitle) (RSS)", rss),
                         Views.feedLink("application/atom+xml", "\(name) — \(siteTitle) (Atom)", atom)]
                title = "Posts tagged “\(name)”" + (n == 1 ? "" : ", page \(n)")
                extra["tag"] = Views.tagPage.record(view)
            } else {
                title = "Posts by \(name)"
                extra["author"] = Views.authorPage.record(view)
            }
        }
        func url(_ page: Int) -> URLPath { PostList.page(page, of: base) }
        extra["pagination"] = Views.pagination(current: n, total: slice.pageCount) { config.relativeURL(for: url($0)) }
        let page = try pageView(kind: kind, title: title, url: url(n), isFirstPage: n == 1)
        return try html(template, url(n), page: page, feeds: feeds, extra)
    }

    func tagIndex() throws -> OutputFile {
        let index = try context.read(Node.Index())
        let config = try self.config([.baseURL])
        let tags = index.tags.map { group -> TemplateValue in
            Views.tagEntry.record(["name": .string(group.name), "slug": .string(group.slug),
                                   "count": .int(group.posts.count),
                                   "url": .string(config.relativeURL(for: PostList.tag(group.slug).base))])
        }
        let url = URLPath("/tags/")
        return try html("tags", url, page: try pageView(kind: "tags", title: "Tags", url: url), ["tags": .list(tags)])
    }

    func archive() throws -> OutputFile {
        let index = try context.read(Node.Index())
        let config = try self.config([.baseURL])
        var years = [(String, [TemplateValue])]()
        let postReading = reading("archive")
        for path in index.posts {
            guard let view = try listed(path, postReading, config) else { continue }
            if years.last?.0 != view.post.date.year { years.append((view.post.date.year, [])) }
            years[years.count - 1].1.append(.object(view))
        }
        let view = years.map { Views.year.record(["year": .string($0.0), "count": .int($0.1.count), "posts": .list($0.1)]) }
        let url = URLPath("/archive/")
        return try html("archive", url, page: try pageView(kind: "archive", title: "Archive", url: url),
                        ["years": .list(view)])
    }

    func notFound() throws -> OutputFile {
        let url = URLPath("/404.html")
        return try html("404", url, page: try pageView(kind: "404", title: "Page not found", url: url))
    }
}
