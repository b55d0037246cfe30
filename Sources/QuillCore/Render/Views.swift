import Foundation
import QuillImages
import QuillMarkdown
import QuillTemplates

/// What templates see, declared: each view's fields with what they hold and what they are for (the theme is
/// compiled against these declarations, and docs/templates.md is made from them). Templates never get the model
/// itself.
enum Views {
    /// The fields every page's templates can name at the top.
    static let page = Declared<Record>("page", "the page being rendered: every page has one", [
        .init("kind", .string, "`post`, `page`, `home`, `tag`, `tags`, `archive`, `author`, `404` or `search`"),
        .init("title", .string, "the page's own title: the post's title, `Posts tagged “x”` …"),
        .init("url", .string, "root-relative URL (begins with `site.root`)"),
        .init("permalink", .string, "absolute URL"),
        .init("description", .string, "the post's or page's description, else the site's"),
        .init("isFirstPage", .bool, "true but on pages 2, 3 … of the home and tag lists"),
        .init("isPost", .bool, "true on a post's page"), .init("isPage", .bool, "true on a standalone page"),
        .init("isHome", .bool, "true on the home page and its further pages"),
        .init("isTag", .bool, "true on a tag's pages"), .init("isTags", .bool, "true on the tag index"),
        .init("isArchive", .bool, "true on the archive"), .init("isAuthor", .bool, "true on an author's page"),
        .init("is404", .bool, "true on the 404 page"), .init("isSearch", .bool, "true on the search page"),
        .init("image", .optional(.object(image.type)), "the cover image of a post or standalone page"),
        .init("content", .optional(.html), "a standalone page's content (HTML: use `{{{page.content}}}`)"),
        .init("summary", .optional(.html), "a standalone page's summary (HTML)"),
        .init("hasMore", .optional(.bool), "a standalone page: its content goes on past the summary"),
        .init("wordCount", .optional(.int), "a standalone page's words"),
        .init("readingTime", .optional(.int), "a standalone page's reading time in minutes"),
        .init("toc", .optional(.html), "a standalone page's table of contents (HTML)"),
        .init("hasToc", .optional(.bool), "a standalone page has a table of contents"),
        .init("params", .optional(.free), "a standalone page's front matter keys Quill does not know, as written"),
    ])

    static let date = Declared<DateView>("date", "a date", [
        .init("iso", .string, "RFC 3339, e.g. `2010-01-30T19:51:52-08:00`") { .string($0.date.rfc3339) },
        .init("display", .string, "e.g. `January 30, 2010`") { .string($0.date.display) },
        .init("year", .string, "e.g. `2010`") { .string($0.date.year) },
        .init("month", .string, "e.g. `01`") { .string($0.date.month) },
        .init("day", .string, "e.g. `30`") { .string($0.date.day) },
        .init("monthName", .string, "e.g. `January`") { .string($0.date.monthName) },
    ])

    static let tagLink = Declared<Record>("tag", "one of a post's tags", [
        .init("name", .string, "as the site spells it"), .init("slug", .string, "in URLs"),
        .init("url", .string, "the tag's page"),
    ])

    static let authorLink = Declared<Record>("author", "a post's author", [
        .init("name", .string, "display name"), .init("slug", .string, "in URLs"),
        .init("url", .string, "the author's page"),
    ])

    static let related = Declared<Record>("related post", "a post that shares tags with this one", [
        .init("title", .string, "its title"), .init("url", .string, "root-relative URL"),
        .init("date", .object(date.type), "its date"),
    ])

    static let neighbour = Declared<Record>("neighbour", "the next newer or older post", [
        .init("title", .string, "its title"), .init("url", .string, "root-relative URL"),
    ])

    static let image = Declared<Record>("image", "a cover image", [
        .init("url", .string, "root-relative, or another site's URL"), .init("permalink", .string, "absolute URL"),
        .init("alt", .string, "front matter `image_alt`, or the first image's alt text"),
        .init("hasAlt", .bool, "it has alt text"),
        .init("hasSize", .bool, "its size is known (false for another site's image)"),
        .init("width", .optional(.int), "in pixels"), .init("height", .optional(.int), "in pixels"),
        .init("srcset", .optional(.string), "the `<img>`'s own candidates with width descriptors"),
        .init("webpSrcset", .optional(.string), "the WebP copies, for a `<source type=\"image/webp\">`"),
        .init("sizes", .optional(.string), "`[images] sizes`"),
        .init("card", .string, "absolute URL of the copy for social cards"),
        .init("cardWidth", .optional(.int), "its width"), .init("cardHeight", .optional(.int), "its height"),
    ])

    static let post = Declared<PostView>("post", "a post: `post` on its page, each item of `posts` and `years.posts`", [
        .init("title", .string, "its title") { .string($0.post.title) },
        .init("url", .string, "root-relative URL") { .string($0.config.relativeURL(for: $0.post.url)) },
        .init("permalink", .string, "absolute URL") { .string($0.config.absoluteURL(for: $0.post.url)) },
        .init("slug", .string, "in its URL") { .string($0.post.slug) },
        .init("date", .object(date.type), "when it was published") { .object(DateView($0.post.date)) },
        .init("hasUpdated", .bool, "it has an `updated` date") { .bool($0.post.updated != nil) },
        .init("updated", .optional(.object(date.type)), "when it was last updated") {
            $0.post.updated.map { .object(DateView($0)) } ?? .null
        },
        .init("author", .object(authorLink.type), "its author") { view in
            authorLink.record(["name": .string(view.post.author.name), "slug": .string(view.post.author.slug),
                               "url": .string(view.config.relativeURL(for: URLPath("/authors/\(view.post.author.slug)/")))])
        },
        .init("tags", .list(.object(tagLink.type)), "its tags") { view in
            .list(view.post.tags.map { tag in
                tagLink.record(["name": .string(tag.name), "slug": .string(tag.slug),
                                "url": .string(view.config.relativeURL(for: URLPath("/tags/\(tag.slug)/")))])
            })
        },
        .init("hasTags", .bool, "it has tags") { .bool(!$0.post.tags.isEmpty) },
        .init("categories", .list(.string), "front matter `categories`, as written") { .list($0.post.categories.map { .string($0) }) },
        .init("description", .string, "front matter `description`") { .string($0.post.description) },
        .init("params", .free, "every front matter key Quill does not know, as written") {
            .table($0.post.params.mapValues(\.templateValue))
        },
        .init("isDraft", .bool, "it is a draft (shown by `--drafts`)") { .bool($0.post.isDraft) },
        .init("image", .optional(.object(image.type)), "the picture it shows: front matter `image`, else its first image") { view in view.post.image.map { Views.image($0, view.config) } ?? .null
        },
        .init("related", .list(.object(related.type)), "on its own page: up to five (`[related] count`) posts sharing its tags") {
            .list($0.storage.related)
        },
        .init("hasRelated", .bool, "it has related posts") { .bool(!$0.storage.related.isEmpty) },
        .init("content", .html, "its content (HTML: use `{{{content}}}`)") { .string($0.post.body.html) },
        .init("summary", .html, "its summary (HTML)") { .string($0.post.body.summaryHTML) },
        .init("hasMore", .bool, "its content goes on past the summary") { .bool($0.post.body.hasMore) },
        .init("wordCount", .int, "its words") { .int($0.post.body.wordCount) },
        .init("readingTime", .int, "minutes, at least 1") { .int(readingTime($0.post.body)) },
        .init("toc", .html, "its table of contents (HTML nested `<ul>`): empty with fewer than two headings or `toc: false`") {
            .string(toc($0.post.body, $0.post.params))
        },
        .init("hasToc", .bool, "it has a table of contents") { view in
            if case .string(let toc) = view.field(tocField) { return .bool(!toc.isEmpty) }
            return .bool(false)
        },
    ])

    static let feedLink = Declared<Record>("feed link", "a feed for `<link rel=\"alternate\">`", [
        .init("type", .string, "MIME type"), .init("title", .string, "its title"), .init("url", .string, "root-relative URL"),
    ])

    static let menuItem = Declared<Record>("menu item", "a standalone page in the menu", [
        .init("title", .string, "the page's title"), .init("url", .string, "root-relative URL"),
    ])

    static let pagination = Declared<Record>("pagination", "where a list page is among its pages", [
        .init("current", .int, "this page's number, from 1"), .init("total", .int, "the number of pages"),
        .init("hasPrev", .bool, "there is a newer page"), .init("prevURL", .optional(.string), "its URL"),
        .init("hasNext", .bool, "there is an older page"), .init("nextURL", .optional(.string), "its URL"),
        .init("isPaginated", .bool, "there is more than one page"),
    ])

    static let tagPage = Declared<Record>("tag page", "the tag of a tag page", [
        .init("name", .string, "as the site spells it"), .init("slug", .string, "in URLs"),
        .init("url", .string, "its first page"), .init("count", .int, "its posts"),
        .init("rssURL", .string, "its RSS feed"), .init("atomURL", .string, "its Atom feed"),
    ])

    static let authorPage = Declared<Record>("author page", "the author of an author page", [
        .init("name", .string, "display name"), .init("slug", .string, "in URLs"),
        .init("url", .string, "the page"), .init("count", .int, "their posts"),
    ])

    static let tagEntry = Declared<Record>("tag entry", "a tag of the tag index", [
        .init("name", .string, "as the site spells it"), .init("slug", .string, "in URLs"),
        .init("url", .string, "its page"), .init("count", .int, "its posts"),
    ])

    static let year = Declared<Record>("year", "a year of the archive", [
        .init("year", .string, "e.g. `2010`"), .init("count", .int, "its posts"),
        .init("posts", .list(.object(post.type)), "its posts, newest first"),
    ])

    static let site = Declared<Record>("site", "the site's settings", SiteView.declaredFields)

    /// What a page's template sees at the top.
    static let root = Declared<Record>("page context", "the top of every page's template", [
        .init("site", .object(site.type), "the site's settings"),
        .init("page", .object(page.type), "the page being rendered"),
        .init("feeds", .list(.object(feedLink.type)), "the feeds to link (a tag's first on its pages, then the site's)"),
        .init("post", .optional(.object(post.type)), "a post's page: the post"),
        .init("newer", .optional(.object(neighbour.type)), "a post's page: the next newer post"),
        .init("older", .optional(.object(neighbour.type)), "a post's page: the next older post"),
        .init("posts", .optional(.list(.object(post.type))), "home, tag and author pages: this page's posts, newest first"),
        .init("pagination", .optional(.object(pagination.type)), "home and tag pages"),
        .init("tag", .optional(.object(tagPage.type)), "a tag's pages"),
        .init("tags", .optional(.list(.object(tagEntry.type))), "the tag index: every tag, by name"),
        .init("years", .optional(.list(.object(year.type))), "the archive: years, newest first"),
        .init("author", .optional(.object(authorPage.type)), "an author's page"),
    ])

    private static let tocField: Int = post.type.field(named: "toc")!

    /// The table of contents a post or page shows: none for fewer than two headings (one heading is not worth a
    /// contents list), nor when its front matter says `toc: false`.
    static func toc(_ body: RenderedMarkdown, _ params: [String: MetadataValue]) -> String {
        if case .bool(false)? = params["toc"] { return "" }
        return body.headings.count < 2 ? "" : body.headings.tableOfContentsHTML()
    }

    static func readingTime(_ body: RenderedMarkdown) -> Int { max(1, (body.wordCount + 212) / 213) }

    /// The fewest words that take `minutes` to read (`readingTime`'s inverse, for minutes ≥ 1).
    static func wordsOfReadingTime(_ minutes: Int) -> Int { 213 * (minutes - 1) + 1 }

    static func feedLink(_ type: String, _ title: String, _ url: String) -> TemplateValue {
        feedLink.record(["type": .string(type), "title": .string(title), "url": .string(url)])
    }

    /// The fields of a standalone page's body, for `page`.
    static func body(_ body: RenderedMarkdown, _ params: [String: MetadataValue]) -> [String: TemplateValue] {
        let toc = toc(body, params)
        return ["content": .string(body.html), "summary": .string(body.summaryHTML), "hasMore": .bool(body.hasMore),
                "wordCount": .int(body.wordCount), "readingTime": .int(readingTime(body)), "toc": .string(toc),
                "hasToc": .bool(!toc.isEmpty)]
    }

    /// A post as templates see it. Fields are made when a template asks for them: the archive lists every post
    /// of the site but shows four fields of each.
    struct PostView: TemplateObject {
        final class Storage {
            let post: Post
            let config: SiteConfig
            let key: String?
            /// Its related posts, on its own page.
            var related: [TemplateValue] = []
            /// The fields made so far (a list item shows `date.iso` and `date.display`: one date view).
            var made: [TemplateValue?]

            init(_ post: Post, _ config: SiteConfig, _ key: String?) {
                (self.post, self.config, self.key) = (post, config, key)
                made = Array(repeating: nil, count: Views.post.getters.count)
            }
        }

        let storage: Storage
        var post: Post { storage.post }
        var config: SiteConfig { storage.config }

        /// `key` names the post and what it was read with (`card:PATH`, `meta:PATH`): list items with the same
        /// key render the same, and are rendered once (see `RenderCache`).
        init(_ post: Post, _ config: SiteConfig, key: String? = nil) { storage = Storage(post, config, key) }

        var viewType: ViewType { Views.post.type }
        var renderKey: String? { storage.key }

        func field(_ number: Int) -> TemplateValue {
            if let made = storage.made[number] { return made }
            let value = Views.post.getters[number](self)
            storage.made[number] = value
            return value
        }
    }

    struct DateView: TemplateObject {
        final class Storage {
            let date: DateParts
            init(_ date: DateParts) { self.date = date }
        }

        let storage: Storage
        var date: DateParts { storage.date }

        init(_ date: DateParts) { storage = Storage(date) }

        var viewType: ViewType { Views.date.type }
        func field(_ number: Int) -> TemplateValue { Views.date.getters[number](self) }
    }

    /// The card image of a cover image: its absolute URL and size (the largest copy at most 1200 pixels wide in
    /// the original's format, else the original).
    static func card(_ image: CoverImage, _ config: SiteConfig) -> (url: String, width: Int, height: Int) {
        guard image.isLocal else { return (image.url, 0, 0) }
        let path = URLPath(image.url)
        if let fallback = fallback(image), let width = image.variantWidths.last(where: { $0 <= 1200 }) {
            return (config.absoluteURL(for: copy(path, width, fallback)), width,
                    Int((Double(image.height) * Double(width) / Double(max(1, image.width))).rounded()))
        }
        return (config.absoluteURL(for: path), image.width, image.height)
    }

    private static func fallback(_ image: CoverImage) -> VariantFormat? {
        VariantFormat.allCases.first { $0.fileExtension == image.fallbackExtension }
    }

    private static func copy(_ path: URLPath, _ width: Int, _ format: VariantFormat) -> URLPath {
        URLPath(ImageHTML.variantName(path.value, width: width, format: format))
    }

    /// A cover image as templates see it (`post.image`, `page.image`).
    static func image(_ image: CoverImage, _ config: SiteConfig) -> TemplateValue {
        guard image.isLocal else {
            return self.image.record(["url": .string(image.url), "permalink": .string(image.url), "alt": .string(image.alt),
                                      "hasAlt": .bool(!image.alt.isEmpty), "card": .string(image.url), "hasSize": .bool(false)])
        }
        let path = URLPath(image.url)
        var view: [String: TemplateValue] = [
            "url": .string(config.relativeURL(for: path)), "permalink": .string(config.absoluteURL(for: path)),
            "alt": .string(image.alt), "hasAlt": .bool(!image.alt.isEmpty), "hasSize": .bool(image.width > 0),
            "sizes": .string(config.images.sizes),
        ]
        if image.width > 0 {
            view["width"] = .int(image.width)
            view["height"] = .int(image.height)
        }
        if !image.variantWidths.isEmpty {
            view["webpSrcset"] = .string(image.variantWidths.map { config.relativeURL(for: copy(path, $0, .webp)) + " \($0)w" }
                .joined(separator: ", "))
            // The <img>'s own candidates: JPEG copies of a JPEG, WebP copies of a WebP or AVIF; none for a PNG,
            // whose copies are WebP only (for a <source type="image/webp">).
            let showsWebP = [".webp", ".avif"].contains { path.value.lowercased().hasSuffix($0) }
            if let own = fallback(image) ?? (showsWebP ? .webp : nil) {
                view["srcset"] = .string((image.variantWidths.map { config.relativeURL(for: copy(path, $0, own)) + " \($0)w" }
                    + [config.relativeURL(for: path) + " \(image.width)w"]).joined(separator: ", "))
            }
        }
        let card = card(image, config)
        view["card"] = .string(card.url)
        if card.width > 0 {
            view["cardWidth"] = .int(card.width)
            view["cardHeight"] = .int(card.height)
        }
        return self.image.record(view)
    }

    static func pagination(current: Int, total: Int, url: (Int) -> String) -> TemplateValue {
        var view: [String: TemplateValue] = [
            "current": .int(current), "total": .int(total), "hasPrev": .bool(current > 1),
            "hasNext": .bool(current < total), "isPaginated": .bool(total > 1),
        ]
        if current > 1 { view["prevURL"] = .string(url(current - 1)) }
        if current < total { view["nextURL"] = .string(url(current + 1)) }
        return pagination.record(view)
    }
}

/// A view type with the getter of each field: the type for the compiler, the getters for rendering.
struct Declared<V>: Sendable {
    struct Field: Sendable {
        let field: ViewField
        let get: @Sendable (V) -> TemplateValue

        init(_ name: String, _ kind: FieldKind, _ doc: String, get: @escaping @Sendable (V) -> TemplateValue) {
            field = ViewField(name, kind, doc)
            self.get = get
        }
    }

    let type: ViewType
    let getters: [@Sendable (V) -> TemplateValue]

    init(_ name: String, _ summary: String, _ fields: [Field]) {
        type = ViewType(name, summary: summary, fields.map(\.field))
        getters = fields.map(\.get)
    }
}

/// A view made whole at once, its fields by number (what is small or always shown: a page, a feed link …).
struct Record: TemplateObject {
    let viewType: ViewType
    let values: [TemplateValue]

    func field(_ number: Int) -> TemplateValue { values[number] }
}

extension Declared where V == Record {
    init(_ name: String, _ summary: String, _ fields: [ViewField]) {
        type = ViewType(name, summary: summary, fields)
        getters = []
    }

    /// A value of this view from its fields by name; a field not given is absent.
    func record(_ fields: [String: TemplateValue]) -> TemplateValue {
        var values = [TemplateValue](repeating: .null, count: type.fields.count)
        for (name, value) in fields {
            guard let n = type.field(named: name) else { preconditionFailure("view \(type.name) has no field \(name)") }
            values[n] = value
        }
        return .object(Record(viewType: type, values: values))
    }
}

extension Views {
    /// Every view templates can name, from the page context down, as docs/templates.md lists them (made from the
    /// declarations above, so the page cannot drift from the code).
    static func reference() -> String {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        var queue = [root.type]
        func objects(in kind: FieldKind) -> [ViewType] {
            switch kind {
            case .object(let type): return [type]
            case .list(let item), .optional(let item): return objects(in: item)
            default: return []
            }
        }
        while !queue.isEmpty {
            let type = queue.removeFirst()
            guard seen.insert(ObjectIdentifier(type)).inserted else { continue }
            out += "### \(type.name)\n\n\(type.summary.prefix(1).uppercased() + type.summary.dropFirst()).\n\n"
            out += "| field | holds | |\n|---|---|---|\n"
            for field in type.fields {
                let doc = field.doc.replacingOccurrences(of: "|", with: "\\|")
                out += "| `\(field.name)` | \(field.kind) | \(doc) |\n"
                queue += objects(in: field.kind)
            }
            out += "\n"
        }
        return out
    }
}
