import Foundation
import QuillImages

/// The `<img>` elements of a rendered body, found and rewritten without parsing the whole document: images are
/// rewritten where they stand, everything else is left byte for byte as it was.
enum ImageHTML {
    /// One `<img …>` tag of a document.
    struct Tag {
        /// Where the tag stands, in UTF-16 offsets of the document (as `NSString` counts).
        var range: NSRange
        /// Attributes in their order, names lower-cased, values as written between the quotes (entities and all);
        /// nil for an attribute without a value.
        var attributes: [(name: String, value: String?)]
        /// Inside an author's own `<picture>`: given sizes, never wrapped again.
        var inPicture: Bool

        func value(_ name: String) -> String? {
            attributes.first { $0.name == name }.flatMap { $0.value }
        }

        func has(_ name: String) -> Bool { attributes.contains { $0.name == name } }

        /// `src` with its character references decoded: the URL the browser fetches.
        var source: String? { value("src").map(ImageHTML.decodeEntities) }

        mutating func set(_ name: String, _ value: String) {
            if let i = attributes.firstIndex(where: { $0.name == name }) {
                attributes[i].value = value
            } else {
                attributes.append((name, value))
            }
        }

        var html: String {
            var out = "<img"
            for (name, value) in attributes {
                out += " " + name
                if let value { out += "=\"" + value.replacingOccurrences(of: "\"", with: "&quot;") + "\"" }
            }
            return out + ">"
        }
    }

    private static let tagPattern = try! NSRegularExpression(
        pattern: #"<!--.*?-->|<(/?)(img|picture)\b((?:[^>"']|"[^"]*"|'[^']*')*)>"#,
        options: [.caseInsensitive, .dotMatchesLineSeparators])
    private static let attributePattern = try! NSRegularExpression(
        pattern: #"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)

    /// Every `<img>` of `html`, in order.
    static func tags(in html: String) -> [Tag] {
        guard mayHaveImages(html) else { return [] }
        let ns = html as NSString
        var found = [Tag]()
        var pictureDepth = 0
        for m in tagPattern.matches(in: html, range: NSRange(location: 0, length: ns.length))
        where m.range(at: 2).location != NSNotFound {
            let name = ns.substring(with: m.range(at: 2)).lowercased()
            let closing = m.range(at: 1).length > 0
            if name == "picture" {
                pictureDepth = max(0, pictureDepth + (closing ? -1 : 1))
                continue
            }
            guard !closing else { continue }
            found.append(Tag(range: m.range, attributes: attributes(ns.substring(with: m.range(at: 3))),
                             inPicture: pictureDepth > 0))
        }
        return found
    }

    /// Whether `html` has `<img` in any case: a scan of its bytes, since most bodies have no image at all.
    static func mayHaveImages(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            guard bytes.count >= 4, let base = bytes.baseAddress else { return false }
            // From `<` to `<` with memchr (vectorised), rather than byte by byte through every post's HTML.
            var i = 0
            while i < bytes.count - 3, let found = memchr(base + i, Int32(UInt8(ascii: "<")), bytes.count - 3 - i) {
                i = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if bytes[i + 1] | 0x20 == UInt8(ascii: "i"), bytes[i + 2] | 0x20 == UInt8(ascii: "m"),
                   bytes[i + 3] | 0x20 == UInt8(ascii: "g") { return true }
                i += 1
            }
            return false
        }
    }

    static func attributes(_ text: String) -> [(name: String, value: String?)] {
        let ns = text as NSString
        return attributePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            let name = ns.substring(with: m.range(at: 1)).lowercased()
            for group in 2...4 where m.range(at: group).location != NSNotFound {
                var value = ns.substring(with: m.range(at: group))
                if group == 3 { value = value.replacingOccurrences(of: "\"", with: "&quot;") }
                return (name, value)
            }
            return (name, nil)
        }
    }

    /// `html` with each tag that `transform` returns text for replaced by that text.
    static func rewrite(_ html: String, _ tags: [Tag], _ transform: (Int, Tag) -> String?) -> String {
        let ns = html as NSString
        var out = ""
        var last = 0
        for (i, tag) in tags.enumerated() {
            guard let replacement = transform(i, tag) else { continue }
            out += ns.substring(with: NSRange(location: last, length: tag.range.location - last)) + replacement
            last = tag.range.location + tag.range.length
        }
        return last == 0 ? html : out + ns.substring(from: last)
    }

    /// The character references an attribute value may hold, decoded (`&amp;` → `&`, `&#39;`, `&#x2F;`).
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let name = rest[rest.index(after: rest.startIndex)..<semi]
            var char: String?
            switch name {
            case "amp": char = "&"
            case "lt": char = "<"
            case "gt": char = ">"
            case "quot": char = "\""
            case "apos": char = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let n = UInt32(name.dropFirst(2), radix: 16) {
                    char = Unicode.Scalar(n).map { String(Character($0)) }
                } else if name.hasPrefix("#"), let n = UInt32(name.dropFirst()) {
                    char = Unicode.Scalar(n).map { String(Character($0)) }
                }
            }
            if let char {
                out += char
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }

    /// `text` made safe inside a double-quoted attribute.
    static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: Pictures

    /// What is known of one local image: its size, and the URLs of its resized copies.
    struct Shown {
        var header: ImageHeader
        var plan: VariantPlan
        /// The image's URL as this rendering writes it (relative, from the root, or absolute), without query.
        var url: String
        /// The text after the URL's path (`?v=2`, `#x`), kept on the original's URL only.
        var suffix: String = ""

        /// The URL of the copy at `width` in `format`: beside the original, named after it.
        func variantURL(_ width: Int, _ format: VariantFormat) -> String {
            ImageHTML.variantName(url, width: width, format: format)
        }
    }

    /// `cat.jpg` → `cat-480w.webp`: a copy is named after its original, in the same folder.
    static func variantName(_ path: String, width: Int, format: VariantFormat) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        let stem = name.lastIndex(of: ".").map { name[..<$0] } ?? name
        return String(path[..<slash]) + stem + "-\(width)w." + format.fileExtension
    }

    /// How a rendering shows images.
    enum Mode {
        /// The post's own page: lazy loading except the first image, copies offered with `srcset` and `sizes`.
        case page
        /// A list (home, tags, archives): every image lazy, copies offered.
        case list
        /// A feed: the image and its size only (readers have no use for `srcset` and lazy loading).
        case feed
    }

    /// The tag for `image`: its size (unless the author gave one), lazy loading and decoding, and its copies.
    static func picture(_ tag: Tag, _ image: Shown, index: Int, mode: Mode, sizes: String) -> String {
        var tag = tag
        tag.set("src", escapeAttribute(image.url) + image.suffix)
        if !tag.has("width") && !tag.has("height") {
            tag.set("width", String(image.header.width))
            tag.set("height", String(image.header.height))
        }
        guard mode != .feed else { return tag.html }
        if !tag.has("loading"), mode == .list || index > 0 { tag.set("loading", "lazy") }
        if !tag.has("decoding") { tag.set("decoding", "async") }
        guard !image.plan.isEmpty, !tag.inPicture, !tag.has("srcset") else { return tag.html }
        let original = image.url + image.suffix
        func srcset(_ format: VariantFormat, withOriginal: Bool) -> String {
            var candidates = image.plan.widths.map { escapeAttribute(image.variantURL($0, format)) + " \($0)w" }
            if withOriginal { candidates.append(escapeAttribute(original) + " \(image.header.width)w") }
            return candidates.joined(separator: ", ")
        }
        if image.plan.originalShowsWebP {
            // A WebP or AVIF original: any browser that shows it shows the WebP copies.
            tag.set("sizes", escapeAttribute(sizes))
            tag.set("srcset", srcset(.webp, withOriginal: true))
            return tag.html
        }
        if let fallback = image.plan.fallback {  // a JPEG: JPEG copies for browsers without WebP
            tag.set("sizes", escapeAttribute(sizes))
            tag.set("srcset", srcset(fallback, withOriginal: true))
        }
        return "<picture><source type=\"image/webp\" srcset=\"\(srcset(.webp, withOriginal: false))\" sizes=\""
            + escapeAttribute(sizes) + "\">" + tag.html + "</picture>"
    }
}
