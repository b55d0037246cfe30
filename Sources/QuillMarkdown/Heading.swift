/// A heading of a Markdown document, with the id Quill gave it.
public struct Heading: Sendable, Equatable {
    /// 1 to 6.
    public var level: Int
    /// The `id` attribute: the slug of the heading's text, de-duplicated within the document.
    public var id: String
    /// The heading's text without markup.
    public var text: String

    public init(level: Int, id: String, text: String) {
        self.level = level
        self.id = id
        self.text = text
    }
}

extension Array where Element == Heading {
    /// A nested `<ul>` table of contents linking to each heading; empty when there are no headings.
    public func tableOfContentsHTML() -> String {
        var html = ""
        var open = [Int]()  // levels of the open lists, outermost first
        for heading in self {
            if let last = open.last, heading.level <= last {
                while open.count > 1, heading.level < open.last! {
                    html += "</li></ul>"
                    open.removeLast()
                }
                html += "</li><li>"
            } else {
                html += "<ul><li>"
                open.append(heading.level)
            }
            html += "<a href=\"#\(heading.id)\">\(HTMLEscaping.escape(heading.text))</a>"
        }
        for _ in open { html += "</li></ul>" }
        return html
    }
}

/// Escaping for text placed in HTML and XML.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
