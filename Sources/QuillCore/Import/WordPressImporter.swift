import Foundation
import QuillMarkdown

/// A WordPress export → a Quill site, in memory: `site.toml` from the channel, posts and pages as `.html` files at
/// the URLs they had, drafts marked, and the rest listed in the report.
///
/// ```swift
/// let export = try WordPressExport.read(Data(contentsOf: file), file: "blog.xml")
/// let result = WordPressImporter().convert(export, file: "blog.xml")
/// try ImportWriter.write(result.files, to: URL(fileURLWithPath: "new-blog"), force: false)
/// print(result.report)
/// ```
public struct WordPressImporter: Sendable {
    /// Keep `<script>` and `on…=` attributes in posts (Quill's build still shows `<script>` escaped).
    public var keepScripts = false
    /// A local copy of `wp-content/uploads/`: the bytes of `2013/01/photo.jpg`, or nil. Files found are copied into
    /// `static/wp-content/uploads/` and the URLs pointed at the copies.
    public var media: (@Sendable (String) -> Data?)?

    public init(keepScripts: Bool = false, media: (@Sendable (String) -> Data?)? = nil) {
        self.keepScripts = keepScripts
        self.media = media
    }

    /// The files of the new site (site-relative path → bytes) and the report.
    public struct Result: Sendable {
        public var files: [String: Data]
        public var report: WordPressImportReport
    }

    /// One post or page on its way.
    struct Entry {
        var item: WordPressExport.Item
        var isPage: Bool
        /// Why it is a draft (`draft`, `pending`, `private`, a page `future`); nil when published or scheduled.
        var draftReason: String?
        var scheduled = false
        var date: Date
        /// Seconds east of UTC of its `wp:post_date`.
        var offset: Int
        var title = ""
        var slug = ""
        /// The path of its old `<link>` under the blog's root, decoded; nil for `?p=123` links.
        var oldPath: URLPath?
        var url = URLPath.root
        var destination = ""
    }

    public func convert(_ export: WordPressExport, file: String) -> Result {
        var report = WordPressImportReport()
        report.file = file
        report.version = export.wxrVersion
        let site = WordPressSite(export)
        var files = [String: Data]()

        // Which items are imported, and how.
        var entries = [Entry]()
        for item in export.items.sorted(by: { ($0.type, $0.id) < ($1.type, $1.id) }) {
            report.itemsByTypeAndStatus["\(item.type) \(item.status)", default: 0] += 1
            guard item.type == "post" || item.type == "page" else { continue }
            let isPage = item.type == "page"
            let shown = "\(item.type) \(item.id) \"\(WordPressContent.titleText(item.title).prefix(60))\" (\(file):\(item.line))"
            var reason: String?
            var scheduled = false
            if !item.password.isEmpty {
                report.unpublished.append("\(shown): password-protected; not imported, so its text stays private")
                continue
            }
            switch item.status {
            case "publish": break
            case "future" where !isPage: scheduled = true
            case "future", "draft", "pending", "private": reason = item.status
            case "trash":
                report.unpublished.append("\(shown): in the trash; not imported")
                continue
            default:
                report.unpublished.append("\(shown): status \"\(item.status)\"; not imported")
                continue
            }
            report.comments += item.comments
            let (date, offset) = site.date(of: item)
            var entry = Entry(item: item, isPage: isPage, draftReason: reason, scheduled: scheduled, date: date,
                              offset: offset)
            entry.oldPath = site.oldPath(item.link)
            entry.slug = item.name.removingPercentEncoding ?? item.name
            entries.append(entry)
        }

        // The site's time zone and permalink pattern, chosen to fit the most posts.
        let published = entries.filter { !$0.isPage && $0.draftReason == nil }
        let zone = WordPressSite.timeZone(offsets: published.map(\.offset), dates: published.map(\.date))
        report.timeZone = zone.name
        let pattern = site.permalink(for: published, in: zone.zone)
        report.permalink = pattern.pattern
        let urls = site.place(&entries, pattern: pattern, zone: zone.zone, report: &report)

        // Each post and page written.
        let content = WordPressContent(shortcodes: site.shortcodes, keepScripts: keepScripts)
        let siteAuthor = site.mainAuthor(of: published)
        var ownUploads = Set<String>()
        for entry in entries {
            var converted = content.convert(entry.item.content, postID: entry.item.id)
            converted.html = site.rewriteQueryLinks(converted.html, urls: urls, count: &report.queryLinksRewritten)
            if let media {
                converted.html = site.copyMedia(converted.html, media: media, into: &files, report: &report)
            } else {
                ownUploads.formUnion(site.ownUploads(converted.html))
            }
            let front = site.frontMatter(entry, siteAuthor: siteAuthor, zone: zone.zone, pattern: pattern, &report)
            let text = "---\n" + front.map { "\($0.0): \($0.1)\n" }.joined() + "---\n"
                + (converted.html.isEmpty ? "" : converted.html + "\n")
            files[entry.destination] = Data(text.utf8)
            tally(entry, converted, text: text, &report)
        }
        report.ownUploads = ownUploads.count
        files["site.toml"] = Data(site.siteTOML(author: siteAuthor, zone: zone.name, pattern: pattern).utf8)
        return Result(files: files, report: report)
    }

    /// The report's counts and notes for one written post or page.
    private func tally(_ entry: Entry, _ converted: WordPressContent.Outcome, text: String,
                       _ report: inout WordPressImportReport) {
        let path = entry.destination
        if let reason = entry.draftReason {
            report.drafts += 1
            report.unpublished.append("\(path): \(reason == "future" ? "a scheduled page" : reason); imported as a "
                + "draft (draft: true), built only with --drafts")
        } else if entry.scheduled {
            report.scheduled += 1
            report.unpublished.append("\(path): scheduled; keeps its date, so builds publish it from then on "
                + "(or now with --future)")
        } else if entry.isPage {
            report.pages += 1
        } else {
            report.posts += 1
        }
        if entry.item.isSticky { report.sticky += 1 }
        if converted.isBlockEditor { report.blockEditor += 1 } else { report.classic += 1 }
        if converted.pages > 1 { report.multiPage += 1 }
        for (name, n) in converted.shortcodes { report.shortcodes[name, default: 0] += n }
        report.scripts += converted.scripts
        report.eventHandlers += converted.eventHandlers
        report.styles += converted.styles
        report.iframes += converted.iframes
        func line(of needle: String) -> Int {
            guard let range = text.range(of: needle) else { return 1 }
            return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        }
        for code in converted.unknownShortcodes {
            report.leftForAuthor.append("\(path):\(line(of: code)): \(code.prefix(80)) (a shortcode Quill does not "
                + "know; left as written)")
        }
        for gallery in converted.unresolvedGalleries {
            report.leftForAuthor.append("\(path):\(line(of: gallery)): \(gallery.prefix(80)): its images are not "
                + "attachments in the export (kept as a comment)")
        }
        for block in converted.dynamicBlocks {
            report.leftForAuthor.append("\(path):1: block wp:\(block) is drawn by WordPress from its database; "
                + "nothing of it is in the export")
        }
        if entry.item.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            report.leftForAuthor.append("\(path):2: the post had no title; it was given one from its text")
        }
    }
}
