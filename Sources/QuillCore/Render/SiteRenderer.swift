import Foundation
import QuillMarkdown

/// One file the build produces.
public struct RenderedOutput: Sendable, Equatable {
    public var path: OutputPath
    public var bytes: Data
    /// What produced it, for messages about clashes (`content/posts/a.md`, `tag page`, `static/x.css`).
    public var origin: String
}

/// The rules of what a blog consists of: which pages, lists, feeds and indexes exist, and what each shows.
struct SiteRenderer: Sendable {
    let site: Site
    let templates: TemplateSet
    let views: Views
    let feeds: FeedWriter

    /// A page to render, and what the sitemap says of it.
    struct Job: @unchecked Sendable {  // contexts are built once and only read
        var url: URLPath
        var origin: String
        var lastModified: DateParts?
        var inSitemap = true
        var render: () -> String
    }

    var config: SiteConfig { site.config }

    /// Every generated output (not static files), rendered in parallel, in path order.
    func render() -> [RenderedOutput] {
        let jobs = self.jobs()
        var results = [RenderedOutput?](repeating: nil, count: jobs.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let job = jobs[i]
                slots.buffer[i] = RenderedOutput(
                    path: job.url.outputPath, bytes: Data(job.render().utf8), origin: job.origin)
            }
        }
        var outputs = results.map { $0! }
        outputs.append(RenderedOutput(path: OutputPath("sitemap.xml"), bytes: Data(sitemap(jobs).utf8), origin: "sitemap"))
        outputs.append(RenderedOutput(path: OutputPath("robots.txt"), bytes: Data(robots().utf8), origin: "robots.txt"))
        return outputs
    }

    func jobs() -> [Job] {
        var jobs = [Job]()
        for (index, post) in site.posts.enumerated() {
            let page = views.page(kind: "post", title: post.title, url: post.url, description: post.description)
            var extra = views.neighbours(of: index)
            extra["post"] = views.posts[index]
            let context = views.context(page: page, extra)
            jobs.append(Job(url: post.url, origin: post.source, lastModified: post.lastModified) {
                templates.render("post", context)
            })
        }
        for page in site.pages {
            var pageView = views.page(kind: "page", title: page.title, url: page.url, description: page.description)
            pageView.merge(Views.body(page.body)) { a, _ in a }
            pageView["params"] = page.params.mapValues(\.templateValue)
            let context = views.context(page: pageView)
            jobs.append(Job(url: page.url, origin: page.source, lastModified: page.updated ?? page.date) {
                templates.render("page", context)
            })
        }
        jobs += paginated(at: .root, posts: Array(site.posts.indices), template: "index", kind: "home",
                          title: { $0 == 1 ? config.title : "Page \($0)" }, origin: "home page")
        jobs += tagJobs()
        jobs += indexJobs()
        jobs += feedJobs()
        return jobs
    }

    /// Pages of `posts` at `base`, `base/page/2/`, …; one empty page when there are none.
    private func paginated(at base: URLPath, posts: [Int], template: String, kind: String, title: (Int) -> String,
                           origin: String, feeds: [[String: Any]] = [], extra: [String: Any] = [:]) -> [Job]
    {
        let perPage = config.postsPerPage
        let total = max(1, (posts.count + perPage - 1) / perPage)
        func url(_ n: Int) -> URLPath { n == 1 ? base : base.appending("page/\(n)/") }
        return (1...total).map { n in
            let slice = posts.dropFirst((n - 1) * perPage).prefix(perPage)
            var context = extra
            context["posts"] = slice.map { views.posts[$0] }
            context["pagination"] = Views.pagination(current: n, total: total) { config.relativeURL(for: url($0)) }
            let page = views.page(kind: kind, title: title(n), url: url(n), isFirstPage: n == 1)
            let full = views.context(page: page, feeds: feeds, context)
            let newest = slice.first.map { site.posts[$0].lastModified }
            return Job(url: url(n), origin: origin, lastModified: newest) { templates.render(template, full) }
        }
    }

    private func tagJobs() -> [Job] {
        var jobs = [Job]()
        for group in site.tags {
            let tag = group.tag
            let base = URLPath("/tags/\(tag.slug)/")
            let rss = base.appending("feed.xml"), atom = base.appending("atom.xml")
            let tagView: [String: Any] = [
                "name": tag.name, "slug": tag.slug, "url": config.relativeURL(for: base), "count": group.posts.count,
                "rssURL": config.relativeURL(for: rss), "atomURL": config.relativeURL(for: atom),
            ]
            let feedLinks = [
                Views.feedLink("application/rss+xml", "\(tag.name) — \(config.title) (RSS)", config.relativeURL(for: rss)),
                Views.feedLink("application/atom+xml", "\(tag.name) — \(config.title) (Atom)", config.relativeURL(for: atom)),
            ]
            jobs += paginated(at: base, posts: group.posts, template: "tag", kind: "tag",
                              title: { "Posts tagged “\(tag.name)”" + ($0 == 1 ? "" : ", page \($0)") },
                              origin: "tag “\(tag.name)”", feeds: feedLinks, extra: ["tag": tagView])
            let posts = group.posts.map { site.posts[$0] }
            let channel = FeedWriter.Channel(
                title: "\(config.title): \(tag.name)", description: "Posts tagged “\(tag.name)”", page: base, rss: rss,
                atom: atom)
            jobs.append(Job(url: rss, origin: "tag “\(tag.name)” feed", inSitemap: false) { feeds.rss(posts, channel: channel) })
            jobs.append(Job(url: atom, origin: "tag “\(tag.name)” feed", inSitemap: false) { feeds.atom(posts, channel: channel) })
        }
        return jobs
    }

    /// The tag index, author pages, the archive and the 404 page.
    private func indexJobs() -> [Job] {
        var jobs = [Job]()
        let newest = site.posts.first?.lastModified
        let tagsURL = URLPath("/tags/")
        let tagList = site.tags.map { group -> [String: Any] in
            ["name": group.tag.name, "slug": group.tag.slug, "count": group.posts.count,
             "url": config.relativeURL(for: URLPath("/tags/\(group.tag.slug)/"))]
        }
        let tagsContext = views.context(page: views.page(kind: "tags", title: "Tags", url: tagsURL), ["tags": tagList])
        jobs.append(Job(url: tagsURL, origin: "tag index", lastModified: newest) { templates.render("tags", tagsContext) })

        for group in site.authors {
            let url = URLPath("/authors/\(group.author.slug)/")
            let authorView: [String: Any] = [
                "name": group.author.name, "slug": group.author.slug, "url": config.relativeURL(for: url),
                "count": group.posts.count,
            ]
            let page = views.page(kind: "author", title: "Posts by \(group.author.name)", url: url)
            let context = views.context(page: page, ["author": authorView, "posts": group.posts.map { views.posts[$0] }])
            jobs.append(Job(url: url, origin: "author “\(group.author.name)”",
                            lastModified: group.posts.first.map { site.posts[$0].lastModified }) {
                templates.render("author", context)
            })
        }

        let years = site.years.map { group -> [String: Any] in
            ["year": group.year, "count": group.posts.count, "posts": group.posts.map { views.posts[$0] }]
        }
        let archiveURL = URLPath("/archive/")
        let archive = views.context(page: views.page(kind: "archive", title: "Archive", url: archiveURL), ["years": years])
        jobs.append(Job(url: archiveURL, origin: "archive", lastModified: newest) { templates.render("archive", archive) })

        let notFound = views.context(page: views.page(kind: "404", title: "Page not found", url: URLPath("/404.html")))
        jobs.append(Job(url: URLPath("/404.html"), origin: "404 page", inSitemap: false) { templates.render("404", notFound) })
        return jobs
    }

    private func feedJobs() -> [Job] {
        let channel = FeedWriter.Channel(
            title: config.title, description: config.description, page: .root, rss: URLPath("/feed.xml"),
            atom: URLPath("/atom.xml"), json: URLPath("/feed.json"))
        let posts = site.posts
        return [
            Job(url: channel.rss, origin: "RSS feed", inSitemap: false) { feeds.rss(posts, channel: channel) },
            Job(url: channel.atom, origin: "Atom feed", inSitemap: false) { feeds.atom(posts, channel: channel) },
            Job(url: channel.json!, origin: "JSON feed", inSitemap: false) { feeds.json(posts, channel: channel) },
        ]
    }

    func sitemap(_ jobs: [Job]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for job in jobs.filter(\.inSitemap).sorted(by: { $0.url < $1.url }) {
            xml += "<url><loc>\(HTMLEscaping.escape(config.absoluteURL(for: job.url)))</loc>"
            if let date = job.lastModified { xml += "<lastmod>\(date.rfc3339)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(config.absoluteURL(for: URLPath("/sitemap.xml")))\n"
    }
}

/// Lets parallel workers fill distinct slots of one buffer.
struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
