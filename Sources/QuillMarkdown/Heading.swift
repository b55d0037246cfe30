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
    /// Escapes `&`, `<`, `>`, `"` and `'`, working on UTF-8 bytes (every character replaced is one byte, and no
    /// byte of a multi-byte character is one of them): feeds escape whole posts, so this is on a hot path.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var extra = 0
            for byte in bytes {
                switch byte {
                case 0x26: extra += 4  // &amp;
                case 0x3C, 0x3E: extra += 3  // &lt; &gt;
                case 0x22, 0x27: extra += 5  // &quot; &#39;
                default: break
                }
            }
            guard extra > 0 else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count + extra) { out in
                var n = 0
                func put(_ s: StaticString) {
                    s.withUTF8Buffer { for b in $0 { out[n] = b; n += 1 } }
                }
                for byte in bytes {
                    switch byte {
                    case 0x26: put("&amp;")
                    case 0x3C: put("&lt;")
                    case 0x3E: put("&gt;")
                    case 0x22: put("&quot;")
                    case 0x27: put("&#39;")
                    default:
                        out[n] = byte
                        n += 1
                    }
                }
                return n
            }
        } ?? text
    }
}
