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
        html = replace(filtered, in: html) { ns, m in "&lt;" + ns.substring(with: m.range(at: 1)) + ns.substring(with: m.range(at: 2)) }
        let ns = html as NSString
        var summary: String
        var hasBreak = false
        var rest: String
        if let m = marker.firstMatch(in: html, range: NSRange(location: 0, length: ns.length)) {
            summary = ns.substring(to: m.range.location)
            rest = ns.substring(from: m.range.location + m.range.length)
            html = summary + rest
            hasBreak = true
        } else {
            let trimmed = html.drop { $0.isWhitespace }
            if let blank = trimmed.range(of: "\n\n") {
                summary = String(trimmed[..<blank.lowerBound])
                rest = String(trimmed[blank.upperBound...])
            } else {
                (summary, rest) = (String(trimmed), "")
            }
        }
        summary = balanced(summary.trimmingCharacters(in: .whitespacesAndNewlines))
        if !summary.isEmpty { summary += "\n" }
        let base = pageURL.flatMap { URL(string: $0) }
        return RenderedMarkdown(
            html: html, absoluteHTML: base.map { absolute(html, base: $0) } ?? html, summaryHTML: summary,
            absoluteSummaryHTML: base.map { absolute(summary, base: $0) } ?? summary,
            summaryText: Tree.collapseWhitespace(text(of: summary)), hasSummaryBreak: hasBreak,
            hasMore: !rest.allSatisfy(\.isWhitespace), headings: [],
            wordCount: text(of: html).split(whereSeparator: \.isWhitespace).count)
    }

    /// `html` with every element left open closed at the end, so that a summary cut from a post stays well formed.
    static func balanced(_ html: String) -> String {
        let ns = html as NSString
        var open = [String]()
        for m in tag.matches(in: html, range: NSRange(location: 0, length: ns.length)) where m.range(at: 2).location != NSNotFound {
            let name = ns.substring(with: m.range(at: 2)).lowercased()
            if voidElements.contains(name) || m.range(at: 4).length > 0 { continue }
            if m.range(at: 1).length > 0 {
                if let i = open.lastIndex(of: name) { open.removeSubrange(i...) }
            } else {
                open.append(name)
            }
        }
        return html + open.reversed().map { "</\($0)>" }.joined()
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
    /// An HTML body (a `.html` post) as it is: the summary ends at `<!--more-->` or `<!--break-->`, else at the
    /// first blank line (as Jekyll's default excerpt does); open elements in the summary are closed.
    public func renderHTML(_ html: String, pageURL: String? = nil) -> RenderedMarkdown {
        HTMLBody.render(html, pageURL: pageURL)
    }
}
