import Foundation

/// Posts written in HTML (`.html` files, as WordPress and Drupal exports are): the body is kept as written, with the
/// same safety rules as raw HTML in Markdown, and the same summary rules.
enum HTMLBody {
    private static let marker = try! NSRegularExpression(pattern: #"<!--\s*(more|break)\s*-->"#, options: [.caseInsensitive])
    private static let tag = try! NSRegularExpression(
        pattern: #"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*?)?)(/?)>"#, options: [.dotMatchesLineSeparators])
    private static let urlAttribute = try! NSRegularExpression(
        pattern: #"(\b(?:href|src)\s*=\s*)("[^"]*"|'[^']*')"#, options: [.caseInsensitive])
    /// GFM's tagfilter: these tags' `<` is escaped, as in Markdown.
    private static let filtered = try! NSRegularExpression(
        pattern: #"<(/?)(title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)(?=[\s/>])"#,
        options: [.caseInsensitive])
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    static func render(_ source: String, pageURL: String?) -> RenderedMarkdown {
        var html = URLSafety.neutralizeScriptURLs(inRawHTML: source) ?? source
        html = tagFiltered(html)
        let ns = html as NSString
        var summary: String
        var hasBreak = false
        if let m = marker.firstMatch(in: html, range: NSRange(location: 0, length: ns.length)) {
            summary = ns.substring(to: m.range.location)
            html = summary + ns.substring(from: m.range.location + m.range.length)
            hasBreak = true
        } else {
            summary = firstParagraph(in: html) ?? firstBlockWithText(in: html)
        }
        summary = balanced(summary.trimmingCharacters(in: .whitespacesAndNewlines))
        if !summary.isEmpty { summary += "\n" }
        let base = pageURL.flatMap { URL(string: $0) }
        return RenderedMarkdown(
            html: html, absoluteHTML: base.map { absolute(html, base: $0) } ?? html, summaryHTML: summary,
            absoluteSummaryHTML: base.map { absolute(summary, base: $0) } ?? summary,
            summaryText: Tree.collapseWhitespace(text(of: summary)), hasSummaryBreak: hasBreak,
            hasMore: hasText(html, besides: summary), headings: [],
            wordCount: text(of: html).split(whereSeparator: \.isWhitespace).count)
    }

    /// `html` with the `<` of `<script>`-class tags escaped (GFM's tagfilter), as cmark-gfm writes raw HTML.
    static func tagFiltered(_ html: String) -> String {
        replace(filtered, in: html) { ns, m in "&lt;" + ns.substring(with: m.range(at: 1)) + ns.substring(with: m.range(at: 2)) }
    }

    /// Where the first `<!--more-->` or `<!--break-->` stands in `html`.
    static func markerRange(in html: String) -> Range<String.Index>? {
        guard html.contains("<!--") else { return nil }
        let ns = html as NSString
        guard let m = marker.firstMatch(in: html, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return Range(m.range, in: html)
    }

    private static let paragraph = try! NSRegularExpression(
        pattern: #"<p(?:\s[^>]*)?>.*?(?:</p\s*>|(?=<p[\s>])|\z)"#, options: [.caseInsensitive, .dotMatchesLineSeparators])

    /// The first `<p>…</p>` of `html` that has text, balanced; nil when there is none.
    static func firstParagraph(in html: String) -> String? {
        guard html.range(of: "<p", options: .caseInsensitive) != nil else { return nil }
        let ns = html as NSString
        for m in paragraph.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let found = ns.substring(with: m.range)
            if !text(of: found).allSatisfy(\.isWhitespace) { return balanced(found.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return nil
    }

    /// The first part of `html` between blank lines that has text (as Jekyll's default excerpt, past empty parts
    /// such as a lone `<div class="entry">`), or "".
    static func firstBlockWithText(in html: String) -> String {
        for block in html.components(separatedBy: "\n\n") where !text(of: block).allSatisfy(\.isWhitespace) {
            return block
        }
        return ""
    }

    /// Whether `html` has text beyond the text of `part` (a summary taken from it).
    static func hasText(_ html: String, besides part: String) -> Bool {
        Tree.collapseWhitespace(text(of: html)).trimmingCharacters(in: .whitespaces)
            != Tree.collapseWhitespace(text(of: part)).trimmingCharacters(in: .whitespaces)
    }

    /// `html` made to stand on its own: every element left open closed at the end (and where an enclosing
    /// element's end tag closes it), and end tags of elements it never opened dropped, so that a summary cut from a
    /// post is valid HTML.
    static func balanced(_ html: String) -> String {
        guard html.contains("<") else { return html }
        let ns = html as NSString
        var open = [String]()
        var out = ""
        var last = 0
        for m in tag.matches(in: html, range: NSRange(location: 0, length: ns.length)) where m.range(at: 2).location != NSNotFound {
            let name = ns.substring(with: m.range(at: 2)).lowercased()
            if voidElements.contains(name) || m.range(at: 4).length > 0 { continue }
            guard m.range(at: 1).length > 0 else {
                open.append(name)
                continue
            }
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            last = m.range.location + m.range.length
            guard let i = open.lastIndex(of: name) else { continue }  // closes nothing: dropped
            out += open[(i + 1)...].reversed().map { "</\($0)>" }.joined() + ns.substring(with: m.range)
            open.removeSubrange(i...)
        }
        return out + ns.substring(from: last) + open.reversed().map { "</\($0)>" }.joined()
    }

    /// The text of `html`: tags and comments dropped, common entities decoded.
    static func text(of html: String) -> String {
        let ns = html as NSString
        var out = ""
        var last = 0
        for m in tag.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + " "
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        for (entity, char) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"),
                               ("&#8217;", "’"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: char)
        }
        return out
    }

    private static func absolute(_ html: String, base: URL) -> String {
        replace(urlAttribute, in: html) { ns, m in
            let quoted = ns.substring(with: m.range(at: 2))
            let value = String(quoted.dropFirst().dropLast())
            guard URLSafety.isRelative(value), !value.hasPrefix("#"),
                  let resolved = URL(string: value, relativeTo: base)?.absoluteString else {
                return ns.substring(with: m.range)
            }
            return ns.substring(with: m.range(at: 1)) + "\"" + resolved + "\""
        }
    }

    private static func replace(_ regex: NSRegularExpression, in text: String,
                                with transform: (NSString, NSTextCheckingResult) -> String) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + transform(ns, m)
            last = m.range.location + m.range.length
        }
        return last == 0 ? text : out + ns.substring(from: last)
    }
}

extension MarkdownRenderer {
    /// An HTML body (a `.html` post) as it is: the summary ends at `<!--more-->` or `<!--break-->`, else it is the
    /// first `<p>…</p>` with text, else the first part between blank lines with text; open elements in the summary
    /// are closed.
    public func renderHTML(_ html: String, pageURL: String? = nil) -> RenderedMarkdown {
        HTMLBody.render(html, pageURL: pageURL)
    }
}
