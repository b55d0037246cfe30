import Foundation
import QuillMarkdown

/// How a WordPress blog maps onto a Quill site: its base URL, time zone and permalink pattern, where each post and
/// page goes, its front matter, and `site.toml`.
struct WordPressSite {
    let export: WordPressExport
    /// The blog's root, ending in `/` (`https://example.org/blog/`), and its path (`/blog/`).
    let baseURL: String, rootPath: String
    let shortcodes: WordPressShortcodes

    init(_ export: WordPressExport) {
        self.export = export
        var base = [export.baseBlogURL, export.link, export.baseSiteURL].first { !$0.isEmpty } ?? "https://example.org/"
        if !base.hasSuffix("/") { base += "/" }
        baseURL = base
        let path = URLComponents(string: base)?.path ?? "/"
        rootPath = path.hasSuffix("/") ? path : path + "/"
        var attachments = [Int: WordPressShortcodes.Attachment]()
        for item in export.items where item.type == "attachment" {
            let url = item.attachmentURL.isEmpty ? item.guid : item.attachmentURL
            attachments[item.id] = .init(id: item.id, url: url, alt: item.meta["_wp_attachment_image_alt"] ?? "",
                                         caption: item.excerpt.trimmingCharacters(in: .whitespacesAndNewlines),
                                         parent: item.parent, order: item.menuOrder)
        }
        shortcodes = WordPressShortcodes(attachments: attachments)
    }

    // MARK: Dates and the time zone

    /// `wp:post_date` as an instant, and its offset from `wp:post_date_gmt` (0 when that is unset, as for drafts).
    func date(of item: WordPressExport.Item) -> (Date, Int) {
        let utc = TimeZone(secondsFromGMT: 0)!
        guard let local = DateParser.parse(item.date, timeZone: utc) else {
            return (Date(timeIntervalSince1970: 0), 0)
        }
        guard let gmt = DateParser.parse(item.dateGMT, timeZone: utc) else { return (local, 0) }
        // Offsets are whole quarter hours; a few seconds between the two fields are rounding.
        let offset = Int((local.timeIntervalSince(gmt) / 900).rounded()) * 900
        return (local.addingTimeInterval(TimeInterval(-offset)), offset)
    }

    /// The zone of `site.toml`: UTC, or one fixed offset when every post has it (`Etc/GMT-1` is UTC+1), or else a
    /// zone whose offsets match every post's (a blog in a zone with summer time), else the most common offset.
    static func timeZone(offsets: [Int], dates: [Date]) -> (zone: TimeZone, name: String) {
        let counts = Dictionary(offsets.map { ($0, 1) }, uniquingKeysWith: +)
        let common = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
        if counts.count > 1 || common % 3600 != 0 {  // summer time, or an offset no Etc/GMT±h zone names
            // Regions where blogs are most often written first, so that a tie between zones that agree is decided
            // the same way every time and toward the likelier one (Europe/Amsterdam before Africa/Ceuta).
            let regions = ["Europe/", "America/", "Asia/", "Australia/", "Pacific/", "Africa/", "Atlantic/", "Indian/"]
            func rank(_ name: String) -> Int { regions.firstIndex { name.hasPrefix($0) } ?? regions.count }
            let names = TimeZone.knownTimeZoneIdentifiers.filter { rank($0) < regions.count }
                .sorted { (rank($0), $0) < (rank($1), $1) }
            for name in names {
                guard let zone = TimeZone(identifier: name) else { continue }
                if zip(offsets, dates).allSatisfy({ zone.secondsFromGMT(for: $1) == $0 }) { return (zone, name) }
            }
        }
        return fixedZone(common)
    }

    static func fixedZone(_ offset: Int) -> (zone: TimeZone, name: String) {
        if offset == 0 { return (TimeZone(identifier: "UTC")!, "UTC") }
        if offset % 3600 == 0, let zone = TimeZone(identifier: "Etc/GMT\(offset > 0 ? "-" : "+")\(abs(offset) / 3600)") {
            return (zone, zone.identifier)  // the IANA names of fixed offsets have the sign reversed
        }
        for name in TimeZone.knownTimeZoneIdentifiers.sorted() {
            if let zone = TimeZone(identifier: name), zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == offset,
               zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: 0)) == nil {
                return (zone, name)
            }
        }
        return (TimeZone(identifier: "UTC")!, "UTC")
    }

    // MARK: URLs

    /// The path of an old `<link>` under the blog's root, percent-decoded (`/café/`); nil for a link with a query
    /// (`/?p=123`) or elsewhere.
    func oldPath(_ link: String) -> URLPath? {
        guard !link.isEmpty else { return nil }
        var rest = Substring(link)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
        }
        if rest.contains("?") || rest.contains("#") { return nil }
        let decoded = String(rest).removingPercentEncoding ?? String(rest)
        guard decoded.hasPrefix(rootPath) || decoded + "/" == rootPath else { return nil }
        let path = "/" + decoded.dropFirst(min(rootPath.count, decoded.count))
        guard path != "/" || decoded.hasSuffix("/") else { return nil }
        return Permalink.literalPath(path)
    }

    /// The fields a pattern makes a post's URL of.
    func fields(_ e: WordPressImporter.Entry, in zone: TimeZone) -> Permalink.Fields {
        let slug = Slug.make(e.slug)
        let categories = e.item.terms.filter { $0.domain == "category" }.map(\.name)
        return Permalink.Fields(date: DateParts(e.date, in: zone), slug: slug, title: Permalink.prettySlug(e.slug),
                                categories: categories, name: slug)
    }

    /// The pattern most published posts' old URLs follow (`/:year/:month/:day/:slug/`, `/:slug/` …): each old path
    /// with its date parts and slug made tokens, the most common that names the slug.
    func permalink(for posts: [WordPressImporter.Entry], in zone: TimeZone) -> Permalink {
        var counts = [String: Int]()
        for post in posts {
            guard let old = post.oldPath else { continue }
            let f = fields(post, in: zone)
            let d = f.date
            let tokens: [(String, String)] = [(":year", d.year), (":month", d.month), (":day", d.day), (":hour", d.hour),
                                              (":minute", d.minute), (":second", d.second), (":slug", f.slug)]
            var segments = old.value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            var used = Set<String>()  // each token once, in order: /2013/01/01/ is :year/:month/:day
            for i in segments.indices where !segments[i].isEmpty {
                if let token = tokens.first(where: { $0.1 == segments[i] && !used.contains($0.0) }) {
                    used.insert(token.0)
                    segments[i] = token.0
                } else if segments[i] == f.slug + ".html" {
                    segments[i] = ":slug.html"
                }
            }
            let candidate = segments.joined(separator: "/")
            guard candidate.contains(":slug"), let pattern = try? Permalink(candidate),
                  pattern.path(f) == old else { continue }
            counts[candidate, default: 0] += 1
        }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        return best.flatMap { try? Permalink($0) } ?? .default
    }

    /// Where each post and page goes: its file and its URL (its old one where it had one), with notes for what
    /// cannot keep its URL. Returns each post's and page's id → its new absolute URL.
    func place(_ entries: inout [WordPressImporter.Entry], pattern: Permalink, zone: TimeZone,
               report: inout WordPressImportReport) -> [Int: String] {
        var used = Set<String>()
        func unique(_ stem: String, _ folder: String) -> String {
            var candidate = folder + stem + ".html", n = 2
            while used.contains(candidate) {
                candidate = folder + stem + "-\(n).html"
                n += 1
            }
            used.insert(candidate)
            return candidate
        }
        let byID = Dictionary(entries.map { ($0.item.id, $0) }, uniquingKeysWith: { a, _ in a })
        var urls = [Int: String]()
        for i in entries.indices {
            var e = entries[i]
            e.title = WordPressContent.titleText(e.item.title)
            let slugPart = Slug.make(e.slug).isEmpty ? Slug.make(e.title) : Slug.make(e.slug)
            if e.isPage {
                // A page's place: its old path, else its parents' slugs and its own (`/parent/child/`).
                var path = e.oldPath
                if path == nil || path == .root {
                    let own = e.slug.isEmpty ? (Slug.make(e.title).isEmpty ? String(e.item.id) : Slug.make(e.title)) : e.slug
                    var chain = [own]
                    var parent = e.item.parent, seen = Set<Int>()
                    while parent != 0, let p = byID[parent], seen.insert(parent).inserted {
                        chain.insert(p.slug.isEmpty ? String(p.item.id) : p.slug, at: 0)
                        parent = p.item.parent
                    }
                    if e.oldPath == .root {
                        report.leftForAuthor.append("\(e.item.link): page \(e.item.id) was the blog's front page; "
                            + "Quill's home page lists the posts, so it is at its slug")
                    }
                    path = URLPath("/" + chain.joined(separator: "/") + "/")
                }
                let url = path!
                let components = url.value.split(separator: "/").map { Slug.make(String($0)) }
                var stem = components.last ?? "page"
                if stem.isEmpty { stem = "page-\(e.item.id)" }
                let folder = "content/" + components.dropLast().map { ($0.isEmpty ? "page" : $0) + "/" }.joined()
                e.destination = unique(stem, e.draftReason == nil ? folder : "content/drafts/" + folder.dropFirst(8))
                e.url = url
            } else {
                let day = DateParts(e.date, in: zone).isoDay
                let stem = day + "-" + (slugPart.isEmpty ? "post-\(e.item.id)" : slugPart)
                e.destination = unique(stem, e.draftReason == nil ? "content/posts/" : "content/posts/drafts/")
                var f = fields(e, in: zone)
                if f.slug.isEmpty { f.slug = slugPart.isEmpty ? "post-\(e.item.id)" : slugPart }
                e.url = pattern.path(f)
                if let old = e.oldPath, e.draftReason == nil { e.url = old }
                if e.oldPath == nil, e.draftReason == nil, !e.item.link.isEmpty {
                    report.leftForAuthor.append("\(e.destination):1: its old URL \(e.item.link) has a query, which "
                        + "a static site cannot redirect; it is now at \(e.url.value) (a server rule can send the old one there)")
                }
            }
            urls[e.item.id] = String(baseURL.dropLast()) + e.url.encoded
            entries[i] = e
        }
        return urls
    }

    // MARK: Front matter

    /// The author most published posts have, as WordPress shows the name.
    func mainAuthor(of posts: [WordPressImporter.Entry]) -> String {
        let counts = Dictionary(posts.map { (authorName($0.item.creator), 1) }, uniquingKeysWith: +)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
    }

    func authorName(_ login: String) -> String {
        let name = export.authors[login] ?? login
        return WordPressContent.titleText(name)
    }

    func frontMatter(_ e: WordPressImporter.Entry, siteAuthor: String, zone: TimeZone, pattern: Permalink,
                     _ report: inout WordPressImportReport) -> [(String, String)] {
        var front = [(String, String)]()
        var title = e.title
        if title.isEmpty {
            let words = HTMLText.words(of: e.item.content)
            title = words.prefix(8).joined(separator: " ") + (words.count > 8 ? "…" : "")
            if title.isEmpty { title = "Untitled" }
        }
        front.append(("title", Self.yaml(title)))
        front.append(("date", Self.isoDate(e.date, offset: e.offset)))
        if e.isPage {
            if e.item.menuOrder != 0 { front.append(("weight", String(e.item.menuOrder))) }
        } else {
            let author = authorName(e.item.creator)
            if !author.isEmpty, author != siteAuthor { front.append(("author", Self.yaml(author))) }
            let categories = terms(e.item, "category")
            if !categories.isEmpty { front.append(("categories", Self.yamlList(categories))) }
            let tags = terms(e.item, "post_tag").filter { !Slug.make($0).isEmpty }
            if !tags.isEmpty { front.append(("tags", Self.yamlList(tags))) }
        }
        let excerpt = e.item.excerpt.trimmingCharacters(in: .whitespacesAndNewlines)
        if !excerpt.isEmpty { front.append(("summary", Self.yaml(excerpt))) }
        if e.draftReason != nil { front.append(("draft", "true")) }
        if e.item.isSticky { front.append(("sticky", "true")) }
        // Its own URL where the site's pattern (a post's) or its file's path (a page's) would put it elsewhere.
        if e.draftReason == nil {
            let natural: URLPath
            if e.isPage {
                let parts = e.destination.dropFirst("content/".count).dropLast(".html".count).split(separator: "/")
                natural = URLPath("/" + parts.map { Slug.make(String($0)) }.joined(separator: "/") + "/")
            } else {
                var f = fields(e, in: zone)
                f.slug = Slug.make(ContentParser.splitJekyllName(ContentParser.fileStem(e.destination)).slug)
                natural = pattern.path(f)
            }
            if natural != e.url {
                front.append(("permalink", Self.yaml(e.url.value)))
                report.ownPermalinks += 1
            }
        }
        front.append(("wordpress_id", String(e.item.id)))
        return front
    }

    /// The names of an item's categories or tags, once each (WXR 1.0 writes each twice, with and without `domain`).
    func terms(_ item: WordPressExport.Item, _ domain: String) -> [String] {
        var names = [String]()
        for term in item.terms where term.domain == domain {
            let name = WordPressContent.titleText(term.name)
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func isoDate(_ date: Date, offset: Int) -> String {
        let d = DateParts(date, in: TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!)
        let sign = offset < 0 ? "-" : "+"
        let h = abs(offset) / 3600, m = abs(offset) % 3600 / 60
        return "\(d.isoDay)T\(d.hour):\(d.minute):\(d.second)\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    /// A YAML double-quoted string (see `SiteScaffold.yamlString`).
    static func yaml(_ text: String) -> String { SiteScaffold.yamlString(text) }

    static func yamlList(_ items: [String]) -> String { "[" + items.map(yaml).joined(separator: ", ") + "]" }

    // MARK: Links and media

    private static let queryLink = try! NSRegularExpression(pattern: #"(href=["'])([^"']*?)\?(p|page_id)=(\d+)(["'])"#)

    /// Links to `BASE/?p=123` and `?page_id=` pointed at the post's or page's URL.
    func rewriteQueryLinks(_ html: String, urls: [Int: String], count: inout Int) -> String {
        WordPressContent.replace(Self.queryLink, in: html) { ns, m in
            let before = ns.substring(with: m.range(at: 2))
            let whole = ns.substring(with: m.range)
            guard before.isEmpty || before == "/" || baseURL.hasPrefix(before) || before + "/" == baseURL
                    || before == String(baseURL.dropLast()),
                  let id = Int(ns.substring(with: m.range(at: 4))), let url = urls[id] else { return whole }
            count += 1
            return ns.substring(with: m.range(at: 1)) + url + ns.substring(with: m.range(at: 5))
        }
    }

    private static let uploads = try! NSRegularExpression(
        pattern: #"(?:https?:)?(?://[^/"'\s<>]+)?(?:/[^"'\s<>]*?)?/wp-content/uploads/([^"'\s<>?#]+)"#)

    /// Uploads URLs whose file `media` has: the file copied into `static/wp-content/uploads/`, the URL made the
    /// copy's.
    func copyMedia(_ html: String, media: (String) -> Data?, into files: inout [String: Data],
                   report: inout WordPressImportReport) -> String {
        WordPressContent.replace(Self.uploads, in: html) { ns, m in
            let whole = ns.substring(with: m.range)
            let written = ns.substring(with: m.range(at: 1))
            let relative = URLPath(written.removingPercentEncoding ?? written).value.dropFirst()
            let destination = "static/wp-content/uploads/" + relative
            if files[destination] == nil {
                guard let data = media(String(relative)) else {
                    report.mediaMissing += 1
                    return whole
                }
                files[destination] = data
                report.mediaCopied += 1
            }
            return rootPath + "wp-content/uploads/" + written
        }
    }

    /// The uploads URLs of `html` on the blog's own host (`https://example.org/wp-content/uploads/…`), which the new
    /// site serves only once the files are copied into `static/`.
    func ownUploads(_ html: String) -> Set<String> {
        let host = URLComponents(string: baseURL)?.host ?? ""
        let ns = html as NSString
        var found = Set<String>()
        for m in Self.uploads.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let url = ns.substring(with: m.range)
            if url.hasPrefix("/") && !url.hasPrefix("//") || URLComponents(string: url)?.host == host { found.insert(url) }
        }
        return found
    }

    // MARK: Settings

    func siteTOML(author: String, zone: String, pattern: Permalink) -> String {
        func q(_ s: String) -> String { Self.yaml(s) }  // TOML's basic strings escape as YAML's double-quoted ones
        let title = WordPressContent.titleText(export.title)
        var toml = "title = \(q(title.isEmpty ? "My blog" : title))\n"
        let description = WordPressContent.titleText(export.description)
        if !description.isEmpty { toml += "description = \(q(description))\n" }
        toml += "base_url = \(q(baseURL))\n"
        if !export.language.isEmpty { toml += "language = \(q(export.language))\n" }
        if !author.isEmpty { toml += "author = \(q(author))\n" }
        toml += "time_zone = \(q(zone))\n"
        toml += "permalink = \(q(pattern.pattern))\n"
        return toml
    }
}

/// The words of an HTML text (tags dropped, references decoded), for a title made from a post's text.
enum HTMLText {
    static func words(of html: String) -> [String] {
        WordPressContent.titleText(html.replacingOccurrences(of: "\n", with: " "))
            .split(separator: " ").map(String.init).filter { !$0.hasPrefix("[") }
    }
}
