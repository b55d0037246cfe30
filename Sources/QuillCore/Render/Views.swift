import Foundation
import QuillMarkdown

/// Builds what templates see from the model: dictionaries of strings, flags and lists (see docs/templates.md).
/// Templates never get the model itself.
enum Views {
    static func feedLink(_ type: String, _ title: String, _ url: String) -> [String: Any] {
        ["type": type, "title": title, "url": url]
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
