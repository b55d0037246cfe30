import Foundation
import QuillGraph

/// Every URL of a post or page the site has published: `published-urls.txt` in the site folder, kept by
/// `quill build` and meant to be committed, so that a fresh clone and a clean build still know where each post
/// used to be. It gives a moved post a redirect at each old URL and keeps the id feed readers know it by.
///
/// One entry per post or page, sorted by URL: a line with the URL, the source file, the date and the title
/// (tab-separated), then indented lines for its earlier URLs (`was`), its feed id when that is not its URL
/// (`feed-id`), its front matter `id`, and `gone` once it is no longer published.
///
/// ```
/// /2010/01/30/morning-sun/	content/posts/2010-01-30-morning-sun.md	2010-01-30T19:51:52-08:00	Morning Sun
/// 	was	/2010/01/29/morning-sun/
/// 	feed-id	/2010/01/29/morning-sun/
/// ```
public struct URLRecord: Sendable, Equatable {
    /// The record's file name, in the site folder.
    public static let file = "published-urls.txt"

    public struct Entry: Sendable, Equatable {
        /// Where it is (or was last) published.
        public var url: URLPath
        public var source: String
        /// Its date (RFC 3339), or `-` for a page without one: with the title, what finds a renamed file again.
        public var date: String
        public var title: String
        /// Its earlier URLs, oldest first.
        public var was: [URLPath] = []
        /// The URL it was first published at, when that is not `url`: feeds keep it as the item's id.
        public var feedID: URLPath? = nil
        /// Front matter `id`, the surest way to find a renamed file again.
        public var id: String? = nil
        /// No longer published (deleted, or a draft again); kept so that it is reported once and found again if
        /// it comes back.
        public var gone = false

        public init(url: URLPath, source: String, date: String, title: String) {
            self.url = url
            self.source = source
            self.date = date
            self.title = Self.oneLine(title)
        }

        /// A title as the record keeps it: tabs and line breaks made spaces.
        static func oneLine(_ text: String) -> String {
            guard text.contains(where: { $0 == "\t" || $0.isNewline }) else { return text }
            return String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
        }

        /// Title and date: the same post when its file was renamed.
        var titleAndDate: String { title + "\t" + date }
    }

    /// Sorted by URL, then source.
    public private(set) var entries: [Entry] = []

    public init(_ entries: [Entry] = []) {
        self.entries = entries.sorted { ($0.url.value, $0.source) < ($1.url.value, $1.source) }
    }

    static let header = """
        # Every URL of a post or page this site has published, kept by `quill build`. Commit it with the site: when a
        # post moves (a new slug, date, file name or permalink pattern), its old URLs get pages that redirect to the
        # new one, and feeds keep the id readers know it by. Lines: URL, source file, date, title (tab-separated);
        # under each, its earlier URLs (`was`), its feed id when not its URL, its front matter `id`, and `gone`.

        """

    /// The file's text.
    public var text: String {
        var text = Self.header
        for entry in entries { text += Self.lines(of: entry) }
        return text
    }

    /// The lines of one entry.
    static func lines(of entry: Entry) -> String {
        var text = "\(entry.url.value)\t\(entry.source)\t\(entry.date)\t\(entry.title)\n"
        for url in entry.was { text += "\twas\t\(url.value)\n" }
        if let feedID = entry.feedID { text += "\tfeed-id\t\(feedID.value)\n" }
        if let id = entry.id { text += "\tid\t\(Entry.oneLine(id))\n" }
        if entry.gone { text += "\tgone\n" }
        return text
    }

    /// The record in `text`, and an error for each line that is not one of the record's (at `file:line`); lines
    /// in error are left out.
    public static func parse(_ text: String, file: String = URLRecord.file) -> (URLRecord, [Diagnostic]) {
        var entries = [Entry]()
        var diagnostics = [Diagnostic]()
        var sources = Set<String>()
        func problem(_ line: Int, _ message: String, _ hint: String) {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: line, column: 1), message, hint: hint))
        }
        // Split by bytes: by Characters, a record of 10,000 posts took a tenth of a second to read.
        for (n, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let bytes = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
            if bytes.isEmpty || bytes.first == UInt8(ascii: "#") { continue }
            let fields = bytes.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            var line: String { String(decoding: bytes, as: UTF8.self) }  // for an error's words
            if fields[0].isEmpty {  // a detail of the entry above
                guard !entries.isEmpty else {
                    problem(n + 1, "an indented line before any URL", "each indented line belongs to the URL above it")
                    continue
                }
                switch (fields.count > 1 ? fields[1] : "", fields.count) {
                case ("was", 3) where fields[2].hasPrefix("/"): entries[entries.count - 1].was.append(URLPath(fields[2]))
                case ("feed-id", 3) where fields[2].hasPrefix("/"): entries[entries.count - 1].feedID = URLPath(fields[2])
                case ("id", 3): entries[entries.count - 1].id = fields[2]
                case ("gone", 2): entries[entries.count - 1].gone = true
                default:
                    problem(n + 1, "not a line of the URL record: \(line.trimmingCharacters(in: .whitespaces).prefix(60))",
                            "indented lines are `was /url/`, `feed-id /url/`, `id text` or `gone`, tab-separated")
                }
                continue
            }
            guard fields.count == 4, fields[0].hasPrefix("/"), !fields[1].isEmpty else {
                let conflict = line.hasPrefix("<<<<<<<") || line.hasPrefix("=======") || line.hasPrefix(">>>>>>>")
                problem(n + 1, conflict ? "a merge conflict is left in the URL record"
                            : "not a line of the URL record: \(line.prefix(60))",
                        conflict ? "keep the lines of both sides and remove the conflict markers; the next build sorts them"
                            : "a URL line is `/url/`, source file, date and title, tab-separated (or delete the line)")
                continue
            }
            guard sources.insert(fields[1]).inserted else {
                problem(n + 1, "\(fields[1]) is in the URL record twice", "keep one of its entries")
                continue
            }
            entries.append(Entry(url: URLPath(fields[0]), source: fields[1], date: fields[2], title: fields[3]))
        }
        return (URLRecord(entries), diagnostics)
    }
}

/// The record as the graph keeps it: its lines.
extension URLRecord: GraphValue {
    public func encode(to w: inout BinaryWriter) { w.write(entries.map(Self.lines).joined()) }
    public init(from r: inout BinaryReader) throws { self = Self.parse(try r.readString()).0 }
}
