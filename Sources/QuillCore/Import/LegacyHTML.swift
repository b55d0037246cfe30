import Foundation

/// What old HTML posts (WordPress's classic editor) carry that HTML no longer allows: `<center>` becomes a centred
/// `<div>`, which looks and nests the same; an `<img>` without `alt` is listed, since only the author knows its text.
enum LegacyHTML {
    private static let center = try! NSRegularExpression(pattern: #"<(/?)center\b([^>]*)>"#, options: [.caseInsensitive])
    private static let image = try! NSRegularExpression(pattern: #"<img\b[^>]*>"#, options: [.caseInsensitive])
    private static let alt = try! NSRegularExpression(pattern: #"\salt\s*="#, options: [.caseInsensitive])

    /// `html` with `<center>` replaced, how many were, and the lines (from `firstLine`) of images without `alt`.
    static func update(_ html: String, firstLine: Int) -> (html: String, centers: Int, imagesWithoutAlt: [Int]) {
        let ns = html as NSString
        var lines = [Int]()
        for m in image.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let tag = ns.substring(with: m.range)
            if alt.firstMatch(in: tag, range: NSRange(location: 0, length: (tag as NSString).length)) == nil {
                let before = ns.substring(to: m.range.location)
                lines.append(firstLine + before.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 })
            }
        }
        var centers = 0
        var out = ""
        var cursor = 0
        for m in center.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
            let closing = m.range(at: 1).length > 0
            out += closing ? "</div>" : "<div style=\"text-align: center\"" + ns.substring(with: m.range(at: 2)) + ">"
            if !closing { centers += 1 }
            cursor = m.range.location + m.range.length
        }
        out += ns.substring(from: cursor)
        return (out, centers, lines)
    }
}
