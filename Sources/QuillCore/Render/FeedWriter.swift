import Foundation
import QuillMarkdown
import Synchronization

/// RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents for a list of posts, with absolute URLs throughout.
struct FeedWriter: Sendable {
    let config: SiteConfig
    /// The feed's own date when it has no posts (from `SOURCE_DATE_EPOCH`, else the epoch): never the clock.
    let emptyFeedDate: Date
    /// Source → the URL a moved post was first published at: its id in feeds, so that readers never see it twice.
    var feedIDs: [String: URLPath] = [:]
    /// Each post's item and its relative URLs, made once per build (see `FeedMemo`); nil: made for each feed.
    var memo: FeedMemo? = nil

    /// The id of a post's item: the absolute URL it was first published at.
    private func id(of post: Post) -> String {
        config.absoluteURL(for: feedIDs[post.source] ?? post.url)
    }

    /// What a feed is about: the whole site, or one tag.
    struct Channel {
        var title: String
        var description: String
        /// The HTML page the feed belongs to.
        var page: URLPath
        var rss: URLPath
        var atom: URLPath
        var json: URLPath?
    }

    private func entries(_ posts: [Post]) -> ArraySlice<Post> {
        config.feedLimit > 0 ? posts.prefix(config.feedLimit) : posts[...]
    }

    private func updated(_ posts: ArraySlice<Post>) -> DateParts {
        posts.map(\.lastModified).max() ?? DateParts(emptyFeedDate, in: config.timeZone)
    }

    private func html(of post: Post) -> String {
        config.feedFullContent ? post.body.absoluteHTML : post.body.absoluteSummaryHTML
    }

    func rss(_ posts: [Post], channel: Channel) -> String {
        let items = entries(posts)
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>\(x(channel.title))</title>
            <link>\(x(config.absoluteURL(for: channel.page)))</link>
            <description>\(x(channel.description.isEmpty ? channel.title : channel.description))</description>
            <language>\(x(config.language))</language>
            <generator>Quill</generator>
            <lastBuildDate>\(updated(items).rfc822)</lastBuildDate>
            <atom:link href="\(x(config.absoluteURL(for: channel.rss)))" rel="self" type="application/rss+xml"/>

            """
        for post in items { xml += memo?.item(post.source, .rss) { rssItem(post) } ?? rssItem(post) }
        return xml + "</channel>\n</rss>\n"
    }

    private func rssItem(_ post: Post) -> String {
        let link = x(config.absoluteURL(for: post.url))
        var xml = "<item>\n<title>\(x(post.title))</title>\n<link>\(link)</link>\n"
        xml += "<guid isPermaLink=\"true\">\(x(id(of: post)))</guid>\n<pubDate>\(post.date.rfc822)</pubDate>\n"
        xml += "<dc:creator>\(x(post.author.name))</dc:creator>\n"
        for tag in post.tags { xml += "<category>\(x(tag.name))</category>\n" }
        xml += "<description>\(x(html(of: post)))</description>\n</item>\n"
        return xml
    }

    func atom(_ posts: [Post], channel: Channel) -> String {
        let items = entries(posts)
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(x(config.language))">
            <title>\(x(channel.title))</title>

            """
        if !channel.description.isEmpty { xml += "<subtitle>\(x(channel.description))</subtitle>\n" }
        xml += """
            <link href="\(x(config.absoluteURL(for: channel.page)))" rel="alternate" type="text/html"/>
            <link href="\(x(config.absoluteURL(for: channel.atom)))" rel="self" type="application/atom+xml"/>
            <id>\(x(config.absoluteURL(for: channel.page)))</id>
            <updated>\(updated(items).rfc3339)</updated>
            <generator>Quill</generator>

            """
        if !config.author.isEmpty { xml += "<author><name>\(x(config.author))</name></author>\n" }
        for post in items { xml += memo?.item(post.source, .atom) { atomEntry(post) } ?? atomEntry(post) }
        return xml + "</feed>\n"
    }

    private func atomEntry(_ post: Post) -> String {
        let link = x(config.absoluteURL(for: post.url))
        var xml = "<entry>\n<title type=\"text\">\(x(post.title))</title>\n"
        xml += "<link href=\"\(link)\" rel=\"alternate\" type=\"text/html\"/>\n<id>\(x(id(of: post)))</id>\n"
        xml += "<published>\(post.date.rfc3339)</published>\n<updated>\(post.lastModified.rfc3339)</updated>\n"
        xml += "<author><name>\(x(post.author.name))</name></author>\n"
        for tag in post.tags { xml += "<category term=\"\(x(tag.slug))\" label=\"\(x(tag.name))\"/>\n" }
        if !post.body.summaryText.isEmpty { xml += "<summary type=\"text\">\(x(post.body.summaryText))</summary>\n" }
        xml += "<content type=\"html\">\(x(html(of: post)))</content>\n</entry>\n"
        return xml
    }

    func json(_ posts: [Post], channel: Channel) -> String {
        let items = entries(posts)
        var out = "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n"
        out += "  \"title\": \(j(channel.title)),\n"
        out += "  \"home_page_url\": \(j(config.absoluteURL(for: channel.page))),\n"
        if let feed = channel.json { out += "  \"feed_url\": \(j(config.absoluteURL(for: feed))),\n" }
        if !channel.description.isEmpty { out += "  \"description\": \(j(channel.description)),\n" }
        out += "  \"language\": \(j(config.language)),\n"
        if !config.author.isEmpty { out += "  \"authors\": [{\"name\": \(j(config.author))}],\n" }
        out += "  \"items\": ["
        for (n, post) in items.enumerated() {
            let url = j(config.absoluteURL(for: post.url))
            out += n == 0 ? "\n" : ",\n"
            out += "    {\n      \"id\": \(j(id(of: post))),\n      \"url\": \(url),\n      \"title\": \(j(post.title)),\n"
            out += "      \"content_html\": \(j(html(of: post))),\n"
            if !post.body.summaryText.isEmpty { out += "      \"summary\": \(j(post.body.summaryText)),\n" }
            if let image = post.image, case let card = Views.card(image, config).url {
                out += "      \"image\": \(j(card)),\n"  // the cover, as the social card shows it
            }
            out += "      \"date_published\": \(j(post.date.rfc3339)),\n"
            if post.updated != nil { out += "      \"date_modified\": \(j(post.lastModified.rfc3339)),\n" }
            out += "      \"authors\": [{\"name\": \(j(post.author.name))}],\n"
            out += "      \"tags\": [\(post.tags.map { j($0.name) }.joined(separator: ", "))]\n    }"
        }
        out += items.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// A feed larger than feed readers like.
    static let largeFeed = 1 << 20

    /// What feed readers would stumble on in a feed made of `posts`: an item's content with a URL that is still
    /// relative (readers resolve it against the feed, or not at all), two items with one id (readers show one), a
    /// feed over 1 MB (readers refuse or truncate it). Warnings, at the post's file.
    func lint(_ feed: OutputFile, _ posts: [Post]) -> [Diagnostic] {
        var warnings = [Diagnostic]()
        var ids = [String: String]()
        for post in entries(posts) {
            let id = id(of: post)
            if let other = ids.updateValue(post.source, forKey: id) {
                warnings.append(Diagnostic(
                    SourceLocation(file: post.source), "its feed id \(id) is also the id of \(other) (feed readers show one)",
                    hint: "\(other) was first published at that URL (see published-urls.txt); give this post another "
                        + "`slug`", severity: .warning))
            }
            let relative = memo?.links(post.source) { Self.relativeLinks(in: html(of: post)) }
                ?? Self.relativeLinks(in: html(of: post))
            if let first = relative.first {
                warnings.append(Diagnostic(
                    SourceLocation(file: post.source),
                    "its feed item keeps the relative URL \(first)\(relative.count > 1 ? " and \(relative.count - 1) more" : "") "
                        + "(feed readers resolve it against the feed, or not at all)",
                    hint: "write it as a Markdown link or image, which feeds make absolute, or as a full URL",
                    severity: .warning))
            }
        }
        if feed.bytes.count > Self.largeFeed {
            let limit = config.feedLimit > 0 ? "of \(config.feedLimit) posts " : ""
            warnings.append(Diagnostic(
                SourceLocation(file: "site.toml"),
                "the feed \(feed.path) \(limit)is \(feed.bytes.count / 1024) KB, over the 1 MB many feed readers take",
                hint: "set a smaller `[feeds] limit`, or `full_content = false` for summaries only", severity: .warning))
        }
        return warnings
    }

    /// The URLs of an item's HTML that feed readers cannot resolve: neither absolute (`https:`, `mailto:`) nor
    /// starting with `//`.
    static func relativeLinks(in html: String) -> [String] {
        LinkCheck.scan(html).links.filter { url in
            // Most URLs have no space at either end; Foundation's trimming costs more than the rest of the lint.
            let url = url.utf8.first.map(Self.mayBeSpace) == true || url.utf8.last.map(Self.mayBeSpace) == true
                ? url.trimmingCharacters(in: .whitespaces) : url
            return !url.isEmpty && !url.hasPrefix("//") && !URLPath.hasScheme(url)
        }
    }

    /// A byte that may be (part of) a character of `CharacterSet.whitespaces`: a tab, a space, or beyond ASCII.
    private static func mayBeSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte >= 0x80 }

    /// XML text: escaped, and without the control characters XML 1.0 forbids (all ASCII: one byte each in UTF-8).
    private func x(_ text: String) -> String {
        var utf8 = text  // read as bytes in place (a control character is one byte)
        let clean = utf8.withUTF8 { $0.contains { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D } }
            ? String(String.UnicodeScalarView(text.unicodeScalars.filter {
                $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }))
            : text
        return HTMLEscaping.escape(clean)
    }

    /// A JSON string literal.
    private func j(_ text: String) -> String { JSONText.string(text, forHTML: false) }
}

/// Each post's RSS item, Atom entry and relative URLs, made once in a build: a post is in the site's feeds and
/// in each of its tags', and its item is the same in all of them (the settings, the post and its feed id are those
/// of the build). A 10,000-post site's feeds carry each of its newest posts up to eight times.
final class FeedMemo: Sendable {
    enum Format: UInt8 { case rss, atom }

    private let items = Mutex<[String: String]>([:])
    private let relative = Mutex<[String: [String]]>([:])

    func item(_ source: String, _ format: Format, _ make: () -> String) -> String {
        let key = "\(format.rawValue)\u{0}\(source)"
        if let known = items.withLock({ $0[key] }) { return known }
        let item = make()
        items.withLock { $0[key] = item }
        return item
    }

    func links(_ source: String, _ find: () -> [String]) -> [String] {
        if let known = relative.withLock({ $0[source] }) { return known }
        let links = find()
        relative.withLock { $0[source] = links }
        return links
    }
}
