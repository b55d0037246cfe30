import Foundation
import QuillImages
import QuillMarkdown

/// Builds what templates see from the model: dictionaries of strings, flags and lists (see docs/templates.md).
/// Templates never get the model itself.
enum Views {
    static func feedLink(_ type: String, _ title: String, _ url: String) -> [String: Any] {
        ["type": type, "title": title, "url": url]
    }

    static func date(_ d: DateParts) -> DateView { DateView(d) }

    static func post(_ post: Post, config: SiteConfig, fragments: PartialFragments.Scope? = nil) -> PostView {
        PostView(post, config, fragments)
    }

    /// A post as templates see it. Fields are made when a template asks for them: the archive lists every post
    /// of the site but shows four fields of each.
    ///
    /// The views templates get are structs holding one reference, not classes: for every name, the engine casts
    /// each object on its stack to protocols it does not conform to, and such a cast costs a class instance
    /// twice what it costs a struct (the runtime also looks for a boxed Swift value inside the instance). One
    /// reference fits in the engine's `Any` without a box of its own.
    struct PostView: TemplateObject {
        final class Storage {
            let post: Post
            let config: SiteConfig
            let fragments: PartialFragments.Scope?
            /// Its related posts (`title`, `url`, `date` each), on its own page.
            var related: [[String: Any]] = []

            init(_ post: Post, _ config: SiteConfig, _ fragments: PartialFragments.Scope?) {
                (self.post, self.config, self.fragments) = (post, config, fragments)
            }
        }

        let storage: Storage
        var post: Post { storage.post }
        var config: SiteConfig { storage.config }
        var fragments: PartialFragments.Scope? { storage.fragments }

        init(_ post: Post, _ config: SiteConfig, _ fragments: PartialFragments.Scope? = nil) {
            storage = Storage(post, config, fragments)
        }

        func child(named name: String) -> Any? {
            switch name {
            case "title": return post.title
            case "url": return config.relativeURL(for: post.url)
            case "permalink": return config.absoluteURL(for: post.url)
            case "slug": return post.slug
            case "date": return DateView(post.date)
            case "hasUpdated": return post.updated != nil
            case "updated": return post.updated.map(DateView.init)
            case "author":
                return ["name": post.author.name, "slug": post.author.slug,
                        "url": config.relativeURL(for: URLPath("/authors/\(post.author.slug)/"))]
            case "tags":
                return post.tags.map { tag -> [String: Any] in
                    ["name": tag.name, "slug": tag.slug, "url": config.relativeURL(for: URLPath("/tags/\(tag.slug)/"))]
                }
            case "hasTags": return !post.tags.isEmpty
            case "categories": return post.categories
            case "description": return post.description
            case "params": return post.params.mapValues(\.templateValue)
            case "isDraft": return post.isDraft
            case "image": return post.image.map { Views.image($0, config) }
            case "related": return storage.related
            case "hasRelated": return !storage.related.isEmpty
            default:
                if name.hasPrefix(PartialFragments.prefix) { return PartialFragments.lambda(name, view: self, fragments) }
                return Views.body(post.body, name)
            }
        }
    }

    /// A date as templates see it: `iso`, `display`, `year`, `month`, `day`, `monthName`.
    struct DateView: TemplateObject {
        final class Storage {
            let date: DateParts
            init(_ date: DateParts) { self.date = date }
        }

        let storage: Storage
        var date: DateParts { storage.date }

        init(_ date: DateParts) { storage = Storage(date) }

        func child(named name: String) -> Any? {
            switch name {
            case "iso": return date.rfc3339
            case "display": return date.display
            case "year": return date.year
            case "month": return date.month
            case "day": return date.day
            case "monthName": return date.monthName
            default: return nil
            }
        }
    }

    static let bodyFields = ["content", "summary", "hasMore", "wordCount", "readingTime", "toc", "hasToc"]

    static func body(_ body: RenderedMarkdown) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: bodyFields.map { ($0, Views.body(body, $0)!) })
    }

    /// One field of `body(_:)`, made alone.
    static func body(_ body: RenderedMarkdown, _ name: String) -> Any? {
        switch name {
        case "content": return body.html
        case "summary": return body.summaryHTML
        case "hasMore": return body.hasMore
        case "wordCount": return body.wordCount
        case "readingTime": return max(1, (body.wordCount + 212) / 213)
        case "toc": return body.headings.tableOfContentsHTML()
        case "hasToc": return !body.headings.tableOfContentsHTML().isEmpty
        default: return nil
        }
    }

    /// A cover image as templates see it (`post.image`, `page.image`): `url`, `permalink`, `width`, `height`,
    /// `alt`, `srcset` and `webpSrcset` (empty when it has no resized copies), `sizes`, and `card`, `cardWidth`,
    /// `cardHeight`: the copy for social cards (the largest at most 1200 pixels wide in the original's format, else
    /// the original).
    static func image(_ image: CoverImage, _ config: SiteConfig) -> [String: Any] {
        guard image.isLocal else {
            return ["url": image.url, "permalink": image.url, "alt": image.alt, "hasAlt": !image.alt.isEmpty,
                    "card": image.url, "hasSize": false]
        }
        let path = URLPath(image.url)
        var view: [String: Any] = [
            "url": config.relativeURL(for: path), "permalink": config.absoluteURL(for: path), "alt": image.alt,
            "hasAlt": !image.alt.isEmpty, "hasSize": image.width > 0, "sizes": config.images.sizes,
        ]
        if image.width > 0 {
            view["width"] = image.width
            view["height"] = image.height
        }
        func copy(_ width: Int, _ format: VariantFormat) -> URLPath {
            URLPath(ImageHTML.variantName(path.value, width: width, format: format))
        }
        let fallback = VariantFormat.allCases.first { $0.fileExtension == image.fallbackExtension }
        if !image.variantWidths.isEmpty {
            view["webpSrcset"] = image.variantWidths.map { config.relativeURL(for: copy($0, .webp)) + " \($0)w" }
                .joined(separator: ", ")
            // The <img>'s own candidates: JPEG copies of a JPEG, WebP copies of a WebP or AVIF; none for a PNG,
            // whose copies are WebP only (for a <source type="image/webp">).
            let showsWebP = [".webp", ".avif"].contains { path.value.lowercased().hasSuffix($0) }
            if let own = fallback ?? (showsWebP ? .webp : nil) {
                view["srcset"] = (image.variantWidths.map { config.relativeURL(for: copy($0, own)) + " \($0)w" }
                    + [config.relativeURL(for: path) + " \(image.width)w"]).joined(separator: ", ")
            }
        }
        var card = (config.absoluteURL(for: path), image.width, image.height)
        if let fallback, let width = image.variantWidths.last(where: { $0 <= 1200 }) {
            card = (config.absoluteURL(for: copy(width, fallback)), width,
                    Int((Double(image.height) * Double(width) / Double(max(1, image.width))).rounded()))
        }
        view["card"] = card.0
        if card.1 > 0 {
            view["cardWidth"] = card.1
            view["cardHeight"] = card.2
        }
        return view
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
