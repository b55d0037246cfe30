import CCmarkGFM
import Foundation

/// What Quill needs of one Markdown document, rendered once.
public struct RenderedMarkdown: Sendable, Equatable {
    /// The whole document as HTML, headings carrying ids and anchor links.
    public var html: String
    /// `html` for feeds: every relative link and image resolved against the page's absolute URL, and code blocks
    /// as cmark-gfm writes them (`<pre><code class="language-x">`), without highlighting spans.
    public var absoluteHTML: String
    /// The blocks before `<!--more-->`, or else the first paragraph, as HTML (headings without ids, so that many
    /// summaries can share a page).
    public var summaryHTML: String
    /// `summaryHTML` as `absoluteHTML` is `html` (for summary-only feeds).
    public var absoluteSummaryHTML: String
    /// The summary's text without markup, whitespace collapsed.
    public var summaryText: String
    /// True when the document had a `<!--more-->` break.
    public var hasSummaryBreak: Bool
    /// True when the document goes on past its summary.
    public var hasMore: Bool
    /// The headings, in document order.
    public var headings: [Heading]
    /// Words of text and code.
    public var wordCount: Int
    /// Code blocks that could not be highlighted (written as plain text). Reported by the build that rendered the
    /// document, not kept with it.
    public var warnings: [CodeWarning] = []
    /// Liquid left in the text (`{% include x %}`), shown as written. Reported by the build that rendered the
    /// document, not kept with it.
    public var leftLiquid: [LeftLiquid] = []

    /// A document with no text at all.
    public static let empty = RenderedMarkdown(
        html: "", absoluteHTML: "", summaryHTML: "", absoluteSummaryHTML: "", summaryText: "", hasSummaryBreak: false,
        hasMore: false, headings: [], wordCount: 0)

    public init(html: String, absoluteHTML: String, summaryHTML: String, absoluteSummaryHTML: String,
                summaryText: String, hasSummaryBreak: Bool, hasMore: Bool, headings: [Heading], wordCount: Int,
                warnings: [CodeWarning] = []) {
        self.html = html
        self.absoluteHTML = absoluteHTML
        self.summaryHTML = summaryHTML
        self.absoluteSummaryHTML = absoluteSummaryHTML
        self.summaryText = summaryText
        self.hasSummaryBreak = hasSummaryBreak
        self.hasMore = hasMore
        self.headings = headings
        self.wordCount = wordCount
        self.warnings = warnings
    }
}

/// Markdown → HTML through cmark-gfm with the GFM extensions and footnotes.
///
/// ```swift
/// let doc = MarkdownRenderer().render("# Hi\n\nFirst.\n\n<!--more-->\n\nRest.", pageURL: "https://x.org/hi/")
/// doc.summaryHTML  // "<p>First.</p>\n"
/// ```
///
/// Raw HTML is kept, but tags such as `<script>` go through GFM's tagfilter and `javascript:` URLs are dropped.
public struct MarkdownRenderer: Sendable {
    /// How fenced code is highlighted.
    public var highlight: HighlightSettings

    public init(highlight: HighlightSettings = HighlightSettings()) {
        self.highlight = highlight
    }

    static let options: Int32 = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES

    static let inlineLock = NSLock()

    nonisolated(unsafe) static let extensions: [OpaquePointer] = {
        cmark_gfm_core_extensions_ensure_registered()
        return ["table", "strikethrough", "autolink", "tagfilter", "tasklist"].compactMap { name in
            name.withCString { cmark_find_syntax_extension($0) }
        }
    }()

    /// `html` with each `href="#…"` made `href="<base>#…"`: one pass over its bytes (Foundation's
    /// replacingOccurrences over every post's HTML cost a 10,000-post build a second of CPU).
    static func prefixingFragmentLinks(_ html: String, with base: String) -> String {
        let needle = Array("href=\"#".utf8)
        var html = html
        return html.withUTF8 { b -> String? in
            guard let start = b.baseAddress else { return nil }
            var out = [UInt8](), last = 0
            // From `#` to `#` with memchr (vectorised; `#` is rare in HTML), each checked for the `href="` before it,
            // rather than byte by byte through every post's HTML.
            var hash = 6
            while hash < b.count, let found = memchr(start + hash, Int32(UInt8(ascii: "#")), b.count - hash) {
                hash = UnsafeRawPointer(found) - UnsafeRawPointer(start) + 1
                let i = hash - 7
                guard i >= last, (0..<6).allSatisfy({ b[i + $0] == needle[$0] }) else { continue }
                if out.isEmpty { out.reserveCapacity(b.count + 256) }
                out.append(contentsOf: b[last..<(i + 6)])
                out.append(contentsOf: base.utf8)
                last = i + 6
            }
            guard last > 0 else { return nil }
            out.append(contentsOf: b[last...])
            return String(decoding: out, as: UTF8.self)
        } ?? html
    }

    /// Renders `markdown`; `pageURL` is the absolute URL of the page it appears on, for `absoluteHTML`.
    /// `rewriteLink` may give any link or image URL another (a link to a Markdown source becomes its page's URL).
    public func render(_ markdown: String, pageURL: String? = nil, rewriteLink: ((String) -> String?)? = nil)
        -> RenderedMarkdown
    {
        guard let parser = cmark_parser_new(Self.options) else { preconditionFailure("cmark_parser_new failed") }
        defer { cmark_parser_free(parser) }
        for ext in Self.extensions { cmark_parser_attach_syntax_extension(parser, ext) }
        var text = markdown
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        // cmark-gfm adds the extensions' special characters to a process-wide table while it parses inlines and
        // removes them afterwards (github/cmark-gfm#221), so two documents finishing at once can lose autolinks or
        // strikethrough: inline parsing is serialised; block parsing and rendering stay parallel.
        Self.inlineLock.lock()
        let finished = cmark_parser_finish(parser)
        Self.inlineLock.unlock()
        guard let document = finished else { preconditionFailure("cmark_parser_finish failed") }
        defer { cmark_node_free(document) }
        let tree = Tree(document: document, extensions: cmark_parser_get_syntax_extensions(parser))

        let scan = tree.scan()
        if let rewriteLink {
            for node in scan.links {
                guard let url = cmark_node_get_url(node).map({ String(cString: $0) }), let new = rewriteLink(url) else { continue }
                cmark_node_set_url(node, new)
            }
        }
        let leftLiquid = tree.leftLiquid(in: markdown)
        var summary = tree.summary()
        let summaryText = summary.blocks.map { Tree.plainText(of: $0) }.joined(separator: " ")
            + (summary.tail.isEmpty ? "" : " " + HTMLBody.text(of: summary.tail))
        // Code is highlighted once, into HTML blocks that the page's renderings write as they are. Feeds get the
        // code as cmark-gfm writes it: a feed reader has no stylesheet for the classes, and the spans would make
        // every feed several times larger.
        var warnings: [CodeWarning] = []
        let highlighted = CodeBlocks.replace(scan.codeBlocks, settings: highlight, warnings: &warnings)
        defer { for (old, _) in highlighted { cmark_node_free(old) } }  // unlinked again below before this runs
        let plainBlocks = summary.blocks
        if !highlighted.isEmpty {
            let replacements = Dictionary(uniqueKeysWithValues: highlighted.map { ($0.old, $0.new) })
            summary.blocks = summary.blocks.map { replacements[$0] ?? $0 }
        }
        func withPlainCode<T>(_ body: () -> T) -> T {
            for (old, new) in highlighted {
                cmark_node_insert_before(new, old)
                cmark_node_unlink(new)
            }
            defer {
                for (old, new) in highlighted {
                    cmark_node_insert_before(old, new)
                    cmark_node_unlink(old)
                }
            }
            return body()
        }
        let base: URL? = pageURL.flatMap { URL(string: $0) }
        // Summaries are rendered before headings get ids, so that many of them can share a list page.
        // A summary with the author's raw HTML is balanced: it must stand on its own on a list page.
        func standalone(_ html: String) -> String { summary.hasRawHTML ? HTMLBody.balanced(html) : html }
        let summaryHTML = standalone(summary.blocks.map { tree.html(of: $0) }.joined()) + summary.tail
        var absoluteSummaryHTML = summaryHTML
        let resolvedInSummary = base.flatMap { tree.resolveLinks(scan.links, against: $0) }
        if resolvedInSummary != nil || !highlighted.isEmpty {
            absoluteSummaryHTML = standalone(withPlainCode { plainBlocks.map { tree.html(of: $0) }.joined() }) + summary.tail
            if let resolvedInSummary { tree.restoreLinks(resolvedInSummary) }
        }
        if let marker = summary.marker {
            cmark_node_unlink(marker)
            cmark_node_free(marker)
        }
        let headings = tree.anchorHeadings(scan.headings)
        let html = Tree.finishHeadings(tree.html(of: document), headings)
        var absoluteHTML = html
        let resolved = base.flatMap { tree.resolveLinks(scan.links, against: $0) }
        if resolved != nil || !highlighted.isEmpty {
            absoluteHTML = withPlainCode { Tree.finishHeadings(tree.html(of: document), headings) }
        }
        // Footnote references and heading anchors are written by the renderer, not links of the tree: `#fn-1` in a
        // feed reader would name the feed, so they point at the post's page too.
        if let base = pageURL?.replacingOccurrences(of: "&", with: "&amp;") {
            absoluteHTML = Self.prefixingFragmentLinks(absoluteHTML, with: base)
            absoluteSummaryHTML = Self.prefixingFragmentLinks(absoluteSummaryHTML, with: base)
        }
        var rendered = RenderedMarkdown(
            html: html, absoluteHTML: absoluteHTML, summaryHTML: summaryHTML, absoluteSummaryHTML: absoluteSummaryHTML,
            summaryText: Tree.collapseWhitespace(summaryText), hasSummaryBreak: summary.hasBreak,
            hasMore: summary.hasMore, headings: headings, wordCount: scan.wordCount, warnings: warnings)
        rendered.leftLiquid = leftLiquid
        return rendered
    }
}
