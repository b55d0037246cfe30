/// What `quill import wordpress` did: the export's items by type and status, what was imported and converted, what
/// was left out and why, and what was left for the author to look at.
public struct WordPressImportReport: Sendable, Equatable, CustomStringConvertible {
    /// The export's file name and WXR version.
    public var file = "", version = ""
    /// Every item of the export, `type status` → count (`post publish`, `attachment inherit` …).
    public var itemsByTypeAndStatus: [String: Int] = [:]
    public var posts = 0, pages = 0, drafts = 0, scheduled = 0, sticky = 0
    /// Posts and pages by editor.
    public var classic = 0, blockEditor = 0
    /// Shortcodes converted, by name.
    public var shortcodes: [String: Int] = [:]
    /// Posts whose `<!--nextpage-->` pages are kept, one after the other, on one page.
    public var multiPage = 0
    public var scripts = 0, eventHandlers = 0, styles = 0, iframes = 0
    /// Comments left out (Quill sites have none).
    public var comments = 0
    /// Links to `?p=` / `?page_id=` URLs of the blog rewritten to the posts' URLs.
    public var queryLinksRewritten = 0
    public var permalink = "", timeZone = ""
    public var ownPermalinks = 0
    /// Media files copied from `--media`, and uploads URLs whose file was not found there.
    public var mediaCopied = 0, mediaMissing = 0
    /// Uploads URLs on the blog's own host, left as they were (without `--media`).
    public var ownUploads = 0
    /// `where: what`, for items not imported or imported as drafts (with why).
    public var unpublished: [String] = []
    /// `path:line: what`, for what the author has to look at.
    public var leftForAuthor: [String] = []

    public var description: String {
        var lines = ["imported \(file) (WXR \(version.isEmpty ? "?" : version)): \(posts) posts, \(pages) pages, "
            + "\(drafts) drafts, \(scheduled) scheduled" + (sticky > 0 ? "; \(sticky) sticky" : "")]
        lines.append("items: " + itemsByTypeAndStatus.keys.sorted().map { "\(itemsByTypeAndStatus[$0]!) \($0)" }
            .joined(separator: ", "))
        lines.append("content: \(classic) classic (paragraphs by wpautop), \(blockEditor) block editor (HTML kept)"
            + (multiPage > 0 ? "; \(multiPage) with <!--nextpage--> pages, kept on one page" : ""))
        if !shortcodes.isEmpty {
            lines.append("shortcodes converted: "
                + shortcodes.keys.sorted().map { "\(shortcodes[$0]!) \($0)" }.joined(separator: ", "))
        }
        var removed = [String]()
        if scripts > 0 { removed.append("\(scripts) <script>") }
        if eventHandlers > 0 { removed.append("\(eventHandlers) on… attributes") }
        if styles > 0 { removed.append("\(styles) <style>") }
        if iframes > 0 { removed.append("\(iframes) <iframe> → link") }
        if !removed.isEmpty { lines.append("HTML made safe: " + removed.joined(separator: ", ")) }
        if queryLinksRewritten > 0 { lines.append("links to ?p= URLs pointed at the posts' URLs: \(queryLinksRewritten)") }
        lines.append("URLs: permalink \"\(permalink)\"; \(ownPermalinks) with their own permalink; time_zone \"\(timeZone)\"")
        if mediaCopied > 0 || mediaMissing > 0 {
            lines.append("media: \(mediaCopied) files copied into static/, \(mediaMissing) uploads URLs not found in --media (left as they were)")
        }
        if ownUploads > 0 {
            lines.append("media: \(ownUploads) URLs of the blog's own wp-content/uploads/ left as they were; they work "
                + "once that folder is copied into static/ (or import with --media DIR)")
        }
        lines.append("comments: \(comments) left out (a static site has none; WordPress keeps them)")
        if !unpublished.isEmpty { lines.append("not published:"); lines += unpublished.map { "  " + $0 } }
        if !leftForAuthor.isEmpty { lines.append("left for you:"); lines += leftForAuthor.map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }
}
