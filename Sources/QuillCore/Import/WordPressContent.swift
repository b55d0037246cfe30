import Foundation

/// A WordPress post's text → the HTML of an imported `.html` post: classic-editor text through `wpautop`,
/// block-editor text (`<!-- wp:… -->` comments) kept as its HTML, shortcodes converted, `<!--more-->` and
/// `<!--nextpage-->` kept, and what Quill would show escaped (`<script>`, `<style>`, `<iframe>`) taken out.
struct WordPressContent {
    var shortcodes: WordPressShortcodes
    /// Keep `<script>` elements and `on…=` attributes (Quill's build still escapes `<script>` as text).
    var keepScripts = false

    /// What converting one post did.
    struct Outcome {
        var html = ""
        var isBlockEditor = false
        var autop = false
        var pages = 1
        var shortcodes: [String: Int] = [:]
        var unknownShortcodes: [String] = []
        var unresolvedGalleries: [String] = []
        var dynamicBlocks: [String] = []
        var scripts = 0, eventHandlers = 0, styles = 0, iframes = 0
    }

    func convert(_ content: String, postID: Int) -> Outcome {
        var outcome = Outcome()
        var text = content.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        outcome.isBlockEditor = text.contains("<!-- wp:")
        if outcome.isBlockEditor {
            let ns = text as NSString
            for m in Self.blockComment.matches(in: text, range: NSRange(location: 0, length: ns.length))
            where m.range(at: 2).length > 0 {  // a self-closing block: WordPress renders it from the database
                let name = ns.substring(with: m.range(at: 1))
                if !outcome.dynamicBlocks.contains(name) { outcome.dynamicBlocks.append(name) }
            }
            text = Self.replace(Self.blockComment, in: text) { _, _ in "" }
            text = Self.replace(Self.manyBlankLines, in: text) { _, _ in "\n\n" }
        }
        // Taken out first, so that wpautop lays out what is left (a removed <script> leaves no empty line break).
        text = sanitised(text, &outcome)
        let converted = shortcodes.convert(text, postID: postID)
        text = converted.text
        outcome.shortcodes = converted.converted
        outcome.unknownShortcodes = converted.unknown
        outcome.unresolvedGalleries = converted.unresolvedGalleries
        // WordPress cuts the pages and the teaser before its filters run; each part is a text of its own.
        let pages = text.components(separatedBy: "<!--nextpage-->")
        outcome.pages = pages.count
        var parts = [String]()
        var sawMore = false
        for page in pages {
            var pieces = [page]
            if !sawMore, let more = Self.more.firstMatch(in: page, range: NSRange(location: 0, length: (page as NSString).length)) {
                let ns = page as NSString
                pieces = [ns.substring(to: more.range.location), ns.substring(from: more.range.location + more.range.length)]
                sawMore = true
            }
            let formatted = pieces.map { piece -> String in
                let trimmed = piece.trimmingCharacters(in: .whitespacesAndNewlines)
                if outcome.isBlockEditor { return trimmed }
                let html = WordPressAutop.autop(trimmed)
                if !html.isEmpty { outcome.autop = true }
                return html.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            parts.append(formatted.joined(separator: "\n\n<!--more-->\n\n"))
        }
        text = parts.joined(separator: "\n\n<!--nextpage-->\n\n")
        // A blank line between top-level paragraphs: where Quill ends the summary of an HTML post without a
        // `<!--more-->` (the same HTML; wpautop writes one newline).
        text = text.replacingOccurrences(of: "</p>\n<p", with: "</p>\n\n<p")
        outcome.html = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return outcome
    }

    /// `<script>` and `on…=` handlers taken out (unless kept), `<style>` taken out, `<iframe>` made a link.
    private func sanitised(_ html: String, _ outcome: inout Outcome) -> String {
        var text = html
        if !keepScripts {
            text = Self.replace(Self.script, in: text) { _, _ in outcome.scripts += 1; return "" }
            text = Self.replace(Self.tag, in: text) { ns, m in
                let tag = ns.substring(with: m.range)
                let cleaned = Self.replace(Self.eventHandler, in: tag) { _, _ in outcome.eventHandlers += 1; return "" }
                return cleaned
            }
        }
        text = Self.replace(Self.style, in: text) { _, _ in outcome.styles += 1; return "" }
        text = Self.replace(Self.iframe, in: text) { ns, m in
            outcome.iframes += 1
            let tag = ns.substring(with: m.range(at: 1))
            let tns = tag as NSString
            guard let src = Self.src.firstMatch(in: tag, range: NSRange(location: 0, length: tns.length)) else { return "" }
            var url = tns.substring(with: src.range(at: 2))
            if url.hasPrefix("//") { url = "https:" + url }
            let shown = ImageHTML.decodeEntities(url)
            return "<a href=\"\(url)\">\(WordPressShortcodes.text(shown))</a>"
        }
        return text
    }

    static let blockComment = try! NSRegularExpression(
        pattern: #"<!--\s+/?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(?:\s+\{.*?\})?\s+(/?)-->[ \t]*\n?"#,
        options: [.dotMatchesLineSeparators])
    static let manyBlankLines = try! NSRegularExpression(pattern: #"\n[ \t]*\n(?:[ \t]*\n)+"#)
    static let more = try! NSRegularExpression(pattern: #"<!--more(.*?)?-->"#)
    static let script = try! NSRegularExpression(
        pattern: #"<script\b[^>]*>.*?</script\s*>|<script\b[^>]*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    static let style = try! NSRegularExpression(
        pattern: #"<style\b[^>]*>.*?</style\s*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    static let iframe = try! NSRegularExpression(
        pattern: #"(<iframe\b[^>]*>)(?:.*?</iframe\s*>)?"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    static let src = try! NSRegularExpression(pattern: #"\ssrc\s*=\s*(["']?)([^"'\s>]+)\1"#, options: [.caseInsensitive])
    static let tag = try! NSRegularExpression(pattern: #"<[a-zA-Z][^>]*>"#)
    static let eventHandler = try! NSRegularExpression(
        pattern: #"\s+on[a-zA-Z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)"#, options: [.caseInsensitive])

    static func replace(_ regex: NSRegularExpression, in text: String,
                        with transform: (NSString, NSTextCheckingResult) -> String) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + transform(ns, m)
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    // MARK: Titles

    /// A title as WordPress shows it, as text: tags dropped, character references decoded, spaces collapsed.
    static func titleText(_ title: String) -> String {
        var text = replace(tag, in: title) { _, _ in "" }
        text = replace(closingTag, in: text) { _, _ in "" }
        for (name, char) in namedEntities { text = text.replacingOccurrences(of: "&\(name);", with: char) }
        text = ImageHTML.decodeEntities(text)
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\u{00A0}" })
            .joined(separator: " ")
    }

    static let closingTag = try! NSRegularExpression(pattern: #"</[a-zA-Z][^>]*>"#)
    static let namedEntities: [(String, String)] = [
        ("nbsp", "\u{00A0}"), ("hellip", "…"), ("ndash", "–"), ("mdash", "—"), ("lsquo", "‘"), ("rsquo", "’"),
        ("ldquo", "“"), ("rdquo", "”"), ("laquo", "«"), ("raquo", "»"), ("eacute", "é"), ("egrave", "è"),
        ("agrave", "à"), ("aacute", "á"), ("ccedil", "ç"), ("ouml", "ö"), ("uuml", "ü"), ("auml", "ä"),
        ("szlig", "ß"), ("copy", "©"), ("reg", "®"), ("trade", "™"), ("euro", "€"), ("pound", "£"),
    ]
}
