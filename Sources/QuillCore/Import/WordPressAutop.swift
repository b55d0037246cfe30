import Foundation

/// WordPress's `wpautop` (wp-includes/formatting.php), ported rule for rule: what turns classic-editor text into
/// the HTML WordPress shows. Blank lines become paragraphs, single newlines `<br />`, block-level elements are not
/// wrapped, and `<pre>` is left alone.
enum WordPressAutop {
    /// PCRE's `\s` without the `u` flag: ASCII white space only (ICU's `\s` would also take U+00A0).
    private static let s = #"[ \t\n\x{0B}\f\r]"#
    static let allBlocks = "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
        + "|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer"
        + "|nav|figure|figcaption|details|menu|summary)"

    /// The rules' patterns, by name, compiled once.
    private static let rules: [String: NSRegularExpression] = {
        let s = WordPressAutop.s, b = WordPressAutop.allBlocks
        let space = String(s.dropFirst().dropLast())  // the class's members, for a class of its own
        let patterns: [(String, String, NSRegularExpression.Options)] = [
            ("brbr", "<br\(s)*/?>\(s)*<br\(s)*/?>", []),
            ("blockOpen", "(<\(b)[\(space)/>])", []),
            ("blockClose", "(</\(b)>)", []),
            ("optionBefore", "\(s)*<option", []),
            ("optionAfter", "</option>\(s)*", []),
            ("objectOpen", "(<object[^>]*>)\(s)*", []),
            ("objectClose", "\(s)*</object>", []),
            ("paramEmbed", "\(s)*(</?(?:param|embed)[^>]*>)\(s)*", []),
            ("mediaOpen", "([<\\[](?:audio|video)[^>\\]]*[>\\]])\(s)*", []),
            ("mediaClose", "\(s)*([<\\[]/(?:audio|video)[>\\]])", []),
            ("sourceTrack", "\(s)*(<(?:source|track)[^>]*>)\(s)*", []),
            ("figcaptionOpen", "\(s)*(<figcaption[^>]*>)", []),
            ("figcaptionClose", "</figcaption>\(s)*", []),
            ("manyBreaks", "\n\n+", []),
            ("split", "\n\(s)*\n", []),
            ("emptyP", "<p>\(s)*</p>", []),
            ("unclosedP", "<p>([^<]+)</(div|address|form)>", []),
            ("wrappedBlock", "<p>\(s)*(</?\(b)[^>]*>)\(s)*</p>", []),
            ("wrappedLi", "<p>(<li.+?)</p>", []),
            ("pBlockquote", "<p><blockquote([^>]*)>", [.caseInsensitive]),
            ("blockquoteP", "</blockquote></p>", [.caseInsensitive]),
            ("pBeforeBlock", "<p>\(s)*(</?\(b)[^>]*>)", []),
            ("pAfterBlock", "(</?\(b)[^>]*>)\(s)*</p>", []),
            ("scriptStyle", "<(script|style).*?</\\1>", [.dotMatchesLineSeparators]),
            ("newline", "(?<!<br />)\(s)*\n", []),
            ("brAfterBlock", "(</?\(b)[^>]*>)\(s)*<br />", []),
            ("brBeforeBlock", "<br />(\(s)*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", []),
            ("lastNewline", "\n</p>$", []),
            // wp_html_split: comments, CDATA, and elements, as the tokens between texts.
            ("htmlSplit", #"(<(?=!--|!\[CDATA\[)(?:!--(?:[^-]|-(?!->))*(?:-->)?|!\[CDATA\[(?:[^\]]|\](?!\]>))*(?:\]\]>)?)|<[^>]*>?)"#, []),
        ]
        var r = [String: NSRegularExpression]()
        for (name, pattern, options) in patterns { r[name] = try! NSRegularExpression(pattern: pattern, options: options) }
        return r
    }()

    private static func sub(_ name: String, _ text: String, _ template: String) -> String {
        let re = rules[name]!
        return re.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length),
                                           withTemplate: template)
    }

    private static func sub(_ name: String, _ text: String, first: Bool = false,
                            _ transform: (NSString, NSTextCheckingResult) -> String) -> String {
        let re = rules[name]!
        let ns = text as NSString
        var out = ""
        var last = 0
        var matches = re.matches(in: text, range: NSRange(location: 0, length: ns.length))
        if first { matches = Array(matches.prefix(1)) }
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + transform(ns, m)
            last = m.range.location + m.range.length
        }
        return last == 0 && matches.isEmpty ? text : out + ns.substring(from: last)
    }

    /// `text` with paragraphs, as WordPress shows classic-editor content (`wpautop($text, true)`).
    static func autop(_ input: String) -> String {
        var text = input
        var preTags: [(String, String)] = []
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "" }
        text += "\n"  // just to make things a little easier, pad the end
        if text.contains("<pre") {
            var parts = text.components(separatedBy: "</pre>")
            let lastPart = parts.removeLast()
            text = ""
            for (i, part) in parts.enumerated() {
                guard let start = part.range(of: "<pre") else {
                    text += part  // malformed HTML
                    continue
                }
                let name = "<pre wp-pre-tag-\(i)></pre>"
                preTags.append((name, String(part[start.lowerBound...]) + "</pre>"))
                text += part[..<start.lowerBound] + name
            }
            text += lastPart
        }
        text = sub("brbr", text, "\n\n")
        text = sub("blockOpen", text, "\n\n$1")
        text = sub("blockClose", text, "$1\n\n")
        text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        text = replaceNewlinesInTags(text)
        if text.contains("<option") {
            text = sub("optionBefore", text, "<option")
            text = sub("optionAfter", text, "</option>")
        }
        if text.contains("</object>") {
            text = sub("objectOpen", text, "$1")
            text = sub("objectClose", text, "</object>")
            text = sub("paramEmbed", text, "$1")
        }
        if text.contains("<source") || text.contains("<track") {
            text = sub("mediaOpen", text, "$1")
            text = sub("mediaClose", text, "$1")
            text = sub("sourceTrack", text, "$1")
        }
        if text.contains("<figcaption") {
            text = sub("figcaptionOpen", text, "$1")
            text = sub("figcaptionClose", text, "</figcaption>")
        }
        text = sub("manyBreaks", text, "\n\n")
        let ns = text as NSString
        var pieces = [String]()
        var last = 0
        for m in rules["split"]!.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            pieces.append(ns.substring(with: NSRange(location: last, length: m.range.location - last)))
            last = m.range.location + m.range.length
        }
        pieces.append(ns.substring(from: last))
        text = ""
        for piece in pieces where !piece.isEmpty {
            text += "<p>" + piece.trimmingCharacters(in: CharacterSet(charactersIn: "\n")) + "</p>\n"
        }
        text = sub("emptyP", text, "")
        text = sub("unclosedP", text, "<p>$1</p></$2>")
        text = sub("wrappedBlock", text, "$1")
        text = sub("wrappedLi", text, "$1")
        text = sub("pBlockquote", text, "<blockquote$1><p>")
        text = sub("blockquoteP", text, "</p></blockquote>")
        text = sub("pBeforeBlock", text, "$1")
        text = sub("pAfterBlock", text, "$1")
        // Line breaks: newlines inside <script> and <style> kept, every other one after text becomes <br />.
        text = sub("scriptStyle", text) { ns, m in
            ns.substring(with: m.range).replacingOccurrences(of: "\n", with: "<WPPreserveNewline />")
        }
        text = text.replacingOccurrences(of: "<br>", with: "<br />").replacingOccurrences(of: "<br/>", with: "<br />")
        text = sub("newline", text, "<br />\n")
        text = text.replacingOccurrences(of: "<WPPreserveNewline />", with: "\n")
        text = sub("brAfterBlock", text, "$1")
        text = sub("brBeforeBlock", text, "$1")
        text = sub("lastNewline", text, "</p>")
        for (name, original) in preTags { text = text.replacingOccurrences(of: name, with: original) }
        if text.contains("<!-- wpnl -->") {
            text = text.replacingOccurrences(of: " <!-- wpnl --> ", with: "\n").replacingOccurrences(of: "<!-- wpnl -->", with: "\n")
        }
        return text
    }

    /// `wp_replace_in_html_tags($text, ["\n" => " <!-- wpnl --> "])`: newlines inside tags and comments marked, so
    /// that they make no paragraphs or breaks.
    private static func replaceNewlinesInTags(_ text: String) -> String {
        sub("htmlSplit", text) { ns, m in
            ns.substring(with: m.range).replacingOccurrences(of: "\n", with: " <!-- wpnl --> ")
        }
    }
}
