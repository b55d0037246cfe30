import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A WordPress export (WXR 1.0–1.2: RSS 2.0 with the `wp:` namespace), read into memory for `WordPressImporter`.
///
/// ```swift
/// let export = try WordPressExport.read(Data(contentsOf: file), file: "blog.xml")
/// ```
public struct WordPressExport: Sendable {
    /// `<channel>`'s fields.
    public var title = "", link = "", description = "", language = ""
    /// `wp:base_site_url` and `wp:base_blog_url` (the blog's root, which `<link>` usually equals).
    public var baseSiteURL = "", baseBlogURL = ""
    public var wxrVersion = ""
    /// `wp:author`s: login → display name.
    public var authors: [String: String] = [:]
    public var items: [Item] = []

    /// One `<item>`: a post, page, attachment, menu item, revision…
    public struct Item: Sendable {
        public var title = "", link = "", creator = "", guid = ""
        public var content = "", excerpt = ""
        public var id = 0, parent = 0, menuOrder = 0
        /// `wp:post_date` (the blog's local time) and `wp:post_date_gmt`, as written (`2013-01-11 10:00:00`).
        public var date = "", dateGMT = ""
        /// `wp:post_name`, as WordPress stores it (non-ASCII slugs percent-encoded, `caf%c3%a9`).
        public var name = ""
        public var status = "", type = "", password = ""
        public var isSticky = false
        public var attachmentURL = ""
        /// `<category domain="category|post_tag" nicename="…">Name</category>`, in order.
        public var terms: [Term] = []
        /// `wp:postmeta`: key → value (the last one of a key).
        public var meta: [String: String] = [:]
        public var comments = 0
        /// The line of its `<item>` in the export, for the report.
        public var line = 0
    }

    /// A category or tag of an item.
    public struct Term: Sendable, Equatable {
        public var domain: String, slug: String, name: String
    }

    /// An export that cannot be imported: `file:line:col: error: …` and a hint.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var diagnostic: Diagnostic
        public var description: String { diagnostic.description }
    }

    /// Reads `data`, the export's bytes; `file` names it in errors. Throws `Failure` for XML that is not well formed
    /// (at the parser's line and column), RSS that is not a WordPress export, and an export with no posts or pages.
    public static func read(_ data: Data, file: String) throws(Failure) -> WordPressExport {
        let reader = WXRReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let hint = "the file is damaged or cut short; export it again (WordPress: Tools → Export → All content)"
        guard parser.parse() else {
            let why = parser.parserError.map { Self.describe($0) } ?? "the XML is not well formed"
            let at = reader.errorAt ?? (parser.lineNumber, parser.columnNumber)
            throw Failure(diagnostic: Diagnostic(
                SourceLocation(file: file, line: max(1, at.line), column: max(1, at.column)), why, hint: hint))
        }
        // Foundation's parser on Linux takes a file that stops inside an element as well formed: what is still open
        // at the end says it was cut short.
        if let open = reader.openElements.last {
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let lastLine = lines.last.map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw Failure(diagnostic: Diagnostic(
                SourceLocation(file: file, line: lines.count, column: lastLine.count + 1),
                "the file ends inside <\(open.name)> (opened at line \(open.line)): it is cut short", hint: hint))
        }
        guard reader.sawRSS, reader.sawChannel else {
            throw Failure(diagnostic: Diagnostic(
                SourceLocation(file: file, line: 1, column: 1), "not an RSS file, so not a WordPress export",
                hint: "pass the .xml file WordPress writes at Tools → Export"))
        }
        guard reader.isWXR else {
            throw Failure(diagnostic: Diagnostic(
                SourceLocation(file: file, line: reader.channelLine, column: 1),
                "an RSS feed, not a WordPress export: it has no wp:wxr_version or other wp: elements",
                hint: "a blog's feed holds only its latest posts; export the whole blog at Tools → Export"))
        }
        let export = reader.export
        guard export.items.contains(where: { $0.type == "post" || $0.type == "page" }) else {
            throw Failure(diagnostic: Diagnostic(
                SourceLocation(file: file, line: reader.channelLine, column: 1), "the export has no posts or pages",
                hint: "export \"All content\" (or Posts) at Tools → Export"))
        }
        return export
    }

    private static func describe(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        let code = (error as NSError).code
        // Foundation's messages on Linux are often a bare code; say what the usual ones mean.
        switch code {
        case 5: return "the XML ends too early (the file is cut short?)"
        case 76: return "the XML's tags do not match (a closing tag is missing or misplaced)"
        case 26: return "the XML names an entity it does not declare (write &amp; for a bare &)"
        case 68: return "the XML has a bare & (write &amp;)"
        case 4: return "the file is empty or not XML"
        default: return "the XML is not well formed (\(text))"
        }
    }
}

/// The SAX delegate behind `WordPressExport.read`: fields by namespace and name, comments counted and skipped.
private final class WXRReader: NSObject, XMLParserDelegate {
    var export = WordPressExport()
    var sawRSS = false, sawChannel = false, isWXR = false
    var channelLine = 1

    private var stack: [String] = []
    /// Elements opened and not yet closed, with the line each opened on.
    var openElements: [(name: String, line: Int)] = []
    /// Where the parser stopped at an error, as it says when it stops (after `parse()` it has moved on).
    var errorAt: (line: Int, column: Int)?
    private var text = ""
    private var item: WordPressExport.Item?
    private var author: (login: String, name: String)?
    private var metaKey = "", metaValue = ""
    private var termAttributes: (domain: String, slug: String)?
    private var commentDepth = 0

    /// `wp:name` for WordPress's namespace (any 1.x, http or https), `content:`, `excerpt:`, `dc:`; else the name.
    private func key(_ name: String, _ namespace: String?) -> String {
        guard let ns = namespace, !ns.isEmpty else { return name }
        let plain = ns.replacingOccurrences(of: "https://", with: "http://")
        if plain.hasPrefix("http://wordpress.org/export/1.") {
            if plain.hasSuffix("/excerpt/") { return "excerpt:" + name }
            return "wp:" + name
        }
        if plain.hasPrefix("http://purl.org/rss/1.0/modules/content") { return "content:" + name }
        if plain.hasPrefix("http://purl.org/dc/elements/1.1") { return "dc:" + name }
        return name
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = key(elementName, namespaceURI)
        openElements.append((qName ?? elementName, parser.lineNumber))
        if name.hasPrefix("wp:") { isWXR = true }
        if commentDepth > 0 || name == "wp:comment" {
            commentDepth += 1
            return
        }
        stack.append(name)
        text = ""
        switch name {
        case "rss": sawRSS = true
        case "channel":
            sawChannel = true
            channelLine = parser.lineNumber
        case "item":
            item = WordPressExport.Item()
            item?.line = parser.lineNumber
        case "wp:author" where item == nil: author = ("", "")
        case "category" where item != nil:
            termAttributes = (attributes["domain"] ?? "category", attributes["nicename"] ?? "")
        default: break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if errorAt == nil { errorAt = (parser.lineNumber, parser.columnNumber) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if commentDepth == 0 { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if commentDepth == 0 { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let name = key(elementName, namespaceURI)
        _ = openElements.popLast()
        if commentDepth > 0 {
            commentDepth -= 1
            if commentDepth == 0, name == "wp:comment" { item?.comments += 1 }
            return
        }
        let value = text
        let inChannel = stack.count >= 2 && stack[stack.count - 2] == "channel"
        stack.removeLast()
        text = ""
        if var current = item {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "item":
                export.items.append(current)
                item = nil
                return
            case "title": current.title = value
            case "link": current.link = trimmed
            case "guid": current.guid = trimmed
            case "dc:creator": current.creator = trimmed
            case "content:encoded": current.content = value
            case "excerpt:encoded": current.excerpt = value
            case "wp:post_id": current.id = Int(trimmed) ?? 0
            case "wp:post_parent": current.parent = Int(trimmed) ?? 0
            case "wp:menu_order": current.menuOrder = Int(trimmed) ?? 0
            case "wp:post_date": current.date = trimmed
            case "wp:post_date_gmt": current.dateGMT = trimmed
            case "wp:post_name": current.name = trimmed
            case "wp:status": current.status = trimmed
            case "wp:post_type": current.type = trimmed
            case "wp:post_password": current.password = value
            case "wp:is_sticky": current.isSticky = trimmed == "1"
            case "wp:attachment_url": current.attachmentURL = trimmed
            case "wp:meta_key": metaKey = trimmed
            case "wp:meta_value": metaValue = value
            case "wp:postmeta": current.meta[metaKey] = metaValue
            case "category":
                if let term = termAttributes {
                    current.terms.append(.init(domain: term.domain, slug: term.slug, name: trimmed))
                }
                termAttributes = nil
            default: break
            }
            item = current
            return
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if author != nil {
            switch name {
            case "wp:author_login": author?.login = trimmed
            case "wp:author_display_name": author?.name = trimmed
            case "wp:author":
                if let a = author, !a.login.isEmpty { export.authors[a.login] = a.name.isEmpty ? a.login : a.name }
                author = nil
            default: break
            }
            return
        }
        guard inChannel else { return }
        switch name {
        case "title": export.title = trimmed
        case "link": export.link = trimmed
        case "description": export.description = trimmed
        case "language": export.language = trimmed
        case "wp:base_site_url": export.baseSiteURL = trimmed
        case "wp:base_blog_url": export.baseBlogURL = trimmed
        case "wp:wxr_version": export.wxrVersion = trimmed
        default: break
        }
    }

}

extension WordPressExport {
    /// The files of a local copy of `wp-content/uploads/` at `folder`, read when asked for (`2013/01/photo.jpg`);
    /// nil for a file that is not there or a path that would leave the folder.
    public static func mediaFolder(_ folder: URL) -> @Sendable (String) -> Data? {
        let base = folder.standardizedFileURL
        return { relative in
            guard !URLPath.climbs(relative) else { return nil }
            return FileManager.default.contents(atPath: base.appendingPathComponent(relative).path)
        }
    }
}
