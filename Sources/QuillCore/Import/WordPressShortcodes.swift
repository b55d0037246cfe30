import Foundation

/// WordPress shortcodes in a post's text, turned into the HTML they stand for: `[caption]` → `<figure>` with its
/// `<figcaption>`, `[gallery]` → a figure of its images, `[embed]` and `[youtube]` → a link, `[audio]` and `[video]`
/// → `<audio>` and `<video>` elements. Any other shortcode is left as written and listed; `[[tag]]` is WordPress's
/// way to write a shortcode as text, and becomes `[tag]`.
struct WordPressShortcodes {
    /// An image of the export's media library.
    struct Attachment: Sendable {
        var id: Int, url: String, alt: String, caption: String, parent: Int, order: Int
    }

    /// The export's attachments by id.
    var attachments: [Int: Attachment]

    /// What converting one text did.
    struct Outcome {
        var text: String
        var converted: [String: Int] = [:]
        /// Shortcodes left as written, as written (`[contact-form-7 id="4"]`).
        var unknown: [String] = []
        /// `[gallery]`s whose images are not in the export, as written.
        var unresolvedGalleries: [String] = []
    }

    static let codeElement = try! NSRegularExpression(
        pattern: #"<(pre|code)\b[^>]*>.*?</\1\s*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    static let enclosing: Set<String> = ["caption", "wp_caption", "embed", "audio", "video"]
    static let known: Set<String> = ["caption", "wp_caption", "gallery", "embed", "youtube", "audio", "video"]

    /// `text` with its shortcodes converted; `postID` finds the images of a `[gallery]` without `ids`.
    func convert(_ text: String, postID: Int) -> Outcome {
        var outcome = Outcome(text: "")
        var out = ""
        var rest = Substring(text)
        // Brackets in code (`a[i]`) are not shortcodes WordPress knows of, and not worth listing.
        let ns = text as NSString
        let code = Self.codeElement.matches(in: text, range: NSRange(location: 0, length: ns.length))
            .compactMap { Range($0.range, in: text) }
        while let open = rest.firstIndex(of: "[") {
            out += rest[..<open]
            rest = rest[open...]
            guard let tag = Self.parseTag(rest),
                  Self.known.contains(tag.name) || !code.contains(where: { $0.contains(open) }) else {
                out.append("[")
                rest = rest.dropFirst()
                continue
            }
            if tag.escaped {  // [[tag]] → [tag], not converted
                out += rest[rest.index(after: rest.startIndex)..<rest.index(before: tag.end)]
                rest = rest[tag.end...]
                continue
            }
            var end = tag.end
            var inner: Substring?
            if !tag.selfClosing, Self.enclosing.contains(tag.name) || !Self.known.contains(tag.name),
               let close = rest[tag.end...].range(of: "[/\(tag.name)]") {
                inner = rest[tag.end..<close.lowerBound]
                end = close.upperBound
            }
            let written = String(rest[..<end])
            let unresolved = outcome.unresolvedGalleries.count
            if let html = render(tag, inner: inner.map(String.init), postID: postID, written: written, &outcome) {
                out += html
                if outcome.unresolvedGalleries.count == unresolved {
                    outcome.converted[tag.name == "wp_caption" ? "caption" : tag.name, default: 0] += 1
                }
                rest = rest[end...]
            } else {
                // Left as written; its inner text is converted too (an unknown shortcode may wrap a [caption]).
                if !Self.known.contains(tag.name) { outcome.unknown.append(String(rest[..<tag.end])) }
                out += rest[..<tag.end]
                rest = rest[tag.end...]
            }
        }
        out += rest
        outcome.text = out
        return outcome
    }

    /// An opening tag at the start of `text` (`[name attrs]`, `[name attrs /]`, `[[name …]]`).
    struct Tag {
        var name: String
        var attributes: [String: String]
        var positional: [String]
        var selfClosing: Bool
        var escaped: Bool
        var end: Substring.Index
    }

    static func parseTag(_ text: Substring) -> Tag? {
        var i = text.index(after: text.startIndex)
        var escaped = false
        if i < text.endIndex, text[i] == "[" {
            escaped = true
            i = text.index(after: i)
        }
        let nameStart = i
        while i < text.endIndex, text[i].isASCII, text[i].isLetter || text[i].isNumber || text[i] == "_" || text[i] == "-" {
            i = text.index(after: i)
        }
        guard i > nameStart, text[nameStart].isASCII, text[nameStart].isLetter, i < text.endIndex else { return nil }
        let name = String(text[nameStart..<i])
        guard text[i] == "]" || text[i] == " " || text[i] == "/" || text[i] == "=" || text[i] == "\t" else { return nil }
        // The attributes run to the first `]` outside quotes.
        var quote: Character?
        let attrStart = i
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "]" {
                break
            } else if c == "[" || c == "\n" && text[attrStart..<i].count > 2000 {
                return nil
            }
            i = text.index(after: i)
        }
        guard i < text.endIndex else { return nil }
        var attrText = String(text[attrStart..<i])
        var selfClosing = false
        if attrText.hasSuffix("/") {
            selfClosing = true
            attrText.removeLast()
        }
        var end = text.index(after: i)
        if escaped {
            guard end < text.endIndex, text[end] == "]" else { return nil }
            end = text.index(after: end)
        }
        let (attributes, positional) = parseAttributes(attrText)
        return Tag(name: name.lowercased(), attributes: attributes, positional: positional, selfClosing: selfClosing,
                   escaped: escaped, end: end)
    }

    /// `shortcode_parse_atts`: `name="v"`, `name='v'`, `name=v`, and positional `"v"`, `'v'`, `v`
    /// (`[youtube=URL]` is Jetpack's form: its value is positional).
    static func parseAttributes(_ text: String) -> ([String: String], [String]) {
        var attributes = [String: String](), positional = [String]()
        var rest = Substring(text.replacingOccurrences(of: "\u{00A0}", with: " "))
        if rest.hasPrefix("=") { rest = rest.dropFirst() }
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            guard !rest.isEmpty else { break }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            var after = rest[name.endIndex...].drop { $0 == " " || $0 == "\t" }
            if !name.isEmpty, after.first == "=" {
                after = after.dropFirst().drop { $0 == " " || $0 == "\t" }
                let (value, remaining) = Self.value(after)
                attributes[name.lowercased()] = value
                rest = remaining
            } else {
                let (value, remaining) = Self.value(rest)
                positional.append(value)
                rest = remaining
            }
        }
        return (attributes, positional)
    }

    private static func value(_ text: Substring) -> (String, Substring) {
        if let q = text.first, q == "\"" || q == "'" {
            let body = text.dropFirst()
            let end = body.firstIndex(of: q) ?? body.endIndex
            return (String(body[..<end]), end < body.endIndex ? body[body.index(after: end)...] : body[end...])
        }
        let end = text.firstIndex { $0 == " " || $0 == "\t" || $0 == "\n" } ?? text.endIndex
        return (String(text[..<end]), text[end...])
    }

    // MARK: The HTML of each shortcode

    private func render(_ tag: Tag, inner: String?, postID: Int, written: String, _ outcome: inout Outcome) -> String? {
        let a = tag.attributes
        switch tag.name {
        case "caption", "wp_caption":
            return Self.caption(a, inner: inner ?? "")
        case "gallery":
            var ids = (a["ids"] ?? a["include"] ?? "").split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            if a["ids"] == nil, a["include"] == nil {
                ids = attachments.values.filter { $0.parent == postID }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
                    .map(\.id)
            }
            let images = ids.compactMap { attachments[$0] }
            guard !images.isEmpty, images.count == ids.count else {
                outcome.unresolvedGalleries.append(written)
                return "<!-- \(written.replacingOccurrences(of: "--", with: "- -")): its images are not in the export -->"
            }
            let items = images.map { image -> String in
                let img = "<img src=\"\(Self.attr(image.url))\" alt=\"\(Self.attr(image.alt))\" />"
                guard !image.caption.isEmpty else { return "<figure>\(img)</figure>" }
                return "<figure>\(img)<figcaption>\(image.caption)</figcaption></figure>"
            }
            return "<figure class=\"gallery\">" + items.joined() + "</figure>"
        case "embed", "youtube":
            let url = (tag.name == "embed" ? inner : nil)?.trimmingCharacters(in: .whitespacesAndNewlines)
                ?? a["url"] ?? tag.positional.first ?? ""
            guard Self.isWebURL(url) else { return nil }
            return "<a href=\"\(Self.attr(url))\">\(Self.text(url))</a>"
        case "audio", "video":
            return Self.media(tag.name, a, positional: tag.positional)
        default:
            return nil
        }
    }

    private static func caption(_ a: [String: String], inner: String) -> String? {
        var content = inner.trimmingCharacters(in: .whitespacesAndNewlines)
        var caption = a["caption"] ?? ""
        if caption.isEmpty, let match = captionSplit.firstMatch(in: content, range: NSRange(location: 0, length: (content as NSString).length)) {
            let ns = content as NSString
            caption = ns.substring(with: match.range(at: 2)).trimmingCharacters(in: .whitespacesAndNewlines)
            content = ns.substring(with: match.range(at: 1))
        }
        guard !content.isEmpty else { return nil }
        var attributes = ""
        if let id = a["id"], !id.isEmpty { attributes += " id=\"\(attr(id))\"" }
        let align = a["align"] ?? "alignnone"
        attributes += " class=\"wp-caption \(attr(align))\(a["class"].map { " " + attr($0) } ?? "")\""
        if let width = a["width"], let w = Int(width), w > 0 { attributes += " style=\"width: \(w)px\"" }
        let figcaption = caption.isEmpty ? "" : "<figcaption class=\"wp-caption-text\">\(caption)</figcaption>"
        return "<figure\(attributes)>\(content)\(figcaption)</figure>"
    }

    /// `img_caption_shortcode`'s split: the image (with its link), then the caption text.
    private static let captionSplit = try! NSRegularExpression(
        pattern: #"^((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$"#, options: [.caseInsensitive, .dotMatchesLineSeparators])

    private static func media(_ kind: String, _ a: [String: String], positional: [String]) -> String? {
        let formats = kind == "audio" ? ["mp3", "ogg", "oga", "m4a", "wav", "wma", "flac"]
            : ["mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"]
        var sources = [String]()
        for key in ["src"] + formats { if let url = a[key], isWebURL(url) || url.hasPrefix("/") { sources.append(url) } }
        if sources.isEmpty, let url = positional.first, isWebURL(url) { sources.append(url) }
        guard !sources.isEmpty else { return nil }
        var attributes = " controls"
        if kind == "video" {
            if let w = a["width"].flatMap(Int.init) { attributes += " width=\"\(w)\"" }
            if let h = a["height"].flatMap(Int.init) { attributes += " height=\"\(h)\"" }
            if let poster = a["poster"], !poster.isEmpty { attributes += " poster=\"\(attr(poster))\"" }
        }
        if a["loop"] == "on" || a["loop"] == "1" || a["loop"] == "true" { attributes += " loop" }
        attributes += " preload=\"\(a["preload"] == "auto" ? "auto" : a["preload"] == "none" ? "none" : "metadata")\""
        let fallback = sources.map { "<a href=\"\(attr($0))\">\(text($0))</a>" }.joined(separator: " ")
        if sources.count == 1 {
            return "<\(kind) src=\"\(attr(sources[0]))\"\(attributes)>\(fallback)</\(kind)>"
        }
        return "<\(kind)\(attributes)>" + sources.map { "<source src=\"\(attr($0))\" />" }.joined() + fallback + "</\(kind)>"
    }

    static func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("//")
    }

    /// Text for an attribute value in double quotes.
    static func attr(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "&amp;amp;", with: "&amp;")
    }

    /// Text for element content.
    static func text(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "&amp;amp;", with: "&amp;")
    }
}
