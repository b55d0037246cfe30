import Foundation
import QuillGraph

// URLs that stay: the site's posts and pages matched against the record of every URL it has published
// (`published-urls.txt`, see `URLRecord`). A post that moved keeps a redirect at each old URL and its first URL as
// its feed id; one that is gone is reported once.

extension Node {
    /// `published-urls.txt`, parsed.
    struct URLRecordFile: SingleNode {
        typealias Value = URLRecordFile.Parsed
        static let kind = "urlrecord"

        struct Parsed: GraphValue {
            var record: URLRecord
            var diagnostics: [Diagnostic]

            func encode(to w: inout BinaryWriter) {
                record.encode(to: &w)
                diagnostics.encode(to: &w)
            }

            init(record: URLRecord, diagnostics: [Diagnostic]) { (self.record, self.diagnostics) = (record, diagnostics) }

            init(from r: inout BinaryReader) throws {
                record = try URLRecord(from: &r)
                diagnostics = try [Diagnostic](from: &r)
            }
        }

        func compute(_ c: SiteContext) throws -> Parsed {
            let data = try c.read(Input.File(URLRecord.file))
            let (record, diagnostics) = URLRecord.parse(String(decoding: data, as: UTF8.self))
            return Parsed(record: record, diagnostics: diagnostics)
        }
    }

    /// Every published post and page matched with its entry in the record: what moved, what is gone, and the
    /// record the build leaves.
    struct URLHistory: SingleNode {
        typealias Value = URLChanges
        static let kind = "urlhistory"

        func compute(_ c: SiteContext) throws -> URLChanges {
            let recorded = try c.read(URLRecordFile())
            let index = try c.read(Index())
            let current = try (index.posts + index.pages).compactMap { try c.read(RecordEntry($0)).entry }
            var changes = URLChanges.match(current, against: recorded.record)
            changes.diagnostics = recorded.diagnostics
            return changes
        }
    }

    /// A post or page as the record has it (URL, title, date, id): a new text leaves it alone, so the record is
    /// not matched again for an edit of a post's body.
    struct RecordEntry: NamedNode {
        typealias Value = Entry
        static let kind = "urlrecord.entry"
        var id: String

        init(_ source: String) { id = source }

        struct Entry: GraphValue {
            var entry: URLRecord.Entry?

            func encode(to w: inout BinaryWriter) { w.write(entry.map(URLRecord.lines) ?? "") }

            init(_ entry: URLRecord.Entry?) { self.entry = entry }

            init(from r: inout BinaryReader) throws { entry = URLRecord.parse(try r.readString()).0.entries.first }
        }

        func compute(_ c: SiteContext) throws -> Entry {
            var entry: URLRecord.Entry?
            if id.hasPrefix("content/posts/") {
                if let post = try c.read(PostMeta(id)).value?.post {
                    entry = URLRecord.Entry(url: post.url, source: id, date: post.date.rfc3339, title: post.title)
                    entry?.id = post.params["id"]?.stringValue
                }
            } else if let page = try c.read(PageCard(id)).value?.page {
                entry = URLRecord.Entry(url: page.url, source: id, date: page.date?.rfc3339 ?? "-", title: page.title)
                entry?.id = page.params["id"]?.stringValue
            }
            return Entry(entry)
        }
    }

    /// One post's or page's earlier URLs and feed id.
    struct URLHistoryOf: NamedNode {
        typealias Value = URLChanges.Item
        static let kind = "urlhistory.of"
        var id: String

        init(_ source: String) { id = source }

        func compute(_ c: SiteContext) throws -> URLChanges.Item { try c.read(URLHistory()).item(id) }
    }
}

/// The posts and pages of a build matched with the URL record (see `match`).
struct URLChanges: GraphValue, Equatable {
    /// A post's or page's past, as it shows on the site.
    struct Item: GraphValue, Equatable {
        /// Its earlier URLs, each given a page that redirects to it.
        var was: [URLPath] = []
        /// The URL feed readers know it by, when that is not its URL.
        var feedID: URLPath?

        func encode(to w: inout BinaryWriter) {
            was.encode(to: &w)
            w.write(feedID?.value ?? "")
        }

        init(was: [URLPath] = [], feedID: URLPath? = nil) { (self.was, self.feedID) = (was, feedID) }

        init(from r: inout BinaryReader) throws {
            was = try [URLPath](from: &r)
            let feedID = try r.readString()
            self.feedID = feedID.isEmpty ? nil : URLPath(feedID)
        }
    }

    struct Move: Equatable {
        var source: String
        var from: URLPath
        var to: URLPath
    }

    struct Rename: Equatable {
        var from: String
        var to: String
        /// "the same id", "the same title and date".
        var because: String
    }

    /// The record as this build leaves it.
    var record = URLRecord()
    /// Posts and pages at a new URL since the record was written.
    var moves: [Move] = []
    /// Files renamed since, found again by their id or title and date.
    var renames: [Rename] = []
    /// Entries no post or page answers to any more, newly so.
    var gone: [URLRecord.Entry] = []
    /// Lines of the record that could not be read.
    var diagnostics: [Diagnostic] = []

    /// Source → its past, for the posts and pages that have one.
    private var items: [String: Item] = [:]

    func item(_ source: String) -> Item { items[source] ?? Item() }

    init() {}

    /// `current` (the published posts and pages, as record entries) matched with `record`: by source file, else
    /// (for a file not in the record) by front matter `id`, else by title and date, when exactly one entry of a
    /// file no longer published has it. What matched keeps its earlier URLs and feed id.
    static func match(_ current: [URLRecord.Entry], against record: URLRecord) -> URLChanges {
        var changes = URLChanges()
        let currentSources = Set(current.map(\.source))
        var bySource = [String: URLRecord.Entry]()
        var orphans = [String: URLRecord.Entry]()  // source → entry, for files no longer published
        for entry in record.entries {
            bySource[entry.source] = entry
            if !currentSources.contains(entry.source) { orphans[entry.source] = entry }
        }
        var byID = [String: [String]](), byTitle = [String: [String]]()
        for (source, entry) in orphans {
            if let id = entry.id { byID[id, default: []].append(source) }
            byTitle[entry.titleAndDate, default: []].append(source)
        }
        var next = [URLRecord.Entry]()
        for var entry in current.sorted(by: { $0.source < $1.source }) {
            var old = bySource[entry.source]
            if old == nil {
                var found: (String, String)?
                if let id = entry.id, let sources = byID[id], sources.count == 1 {
                    found = (sources[0], "the same id")
                } else if let sources = byTitle[entry.titleAndDate], sources.count == 1, entry.title != "" {
                    found = (sources[0], "the same title and date")
                }
                if let (source, because) = found, let orphan = orphans.removeValue(forKey: source) {
                    old = orphan
                    changes.renames.append(Rename(from: source, to: entry.source, because: because))
                    if let id = orphan.id { byID[id]?.removeAll { $0 == source } }
                    byTitle[orphan.titleAndDate]?.removeAll { $0 == source }
                }
            }
            if let old {
                var was = old.was
                if !was.contains(old.url) { was.append(old.url) }
                was.removeAll { $0 == entry.url }
                entry.was = was
                let first = old.feedID ?? old.url
                entry.feedID = first == entry.url ? nil : first
                if old.url != entry.url { changes.moves.append(Move(source: entry.source, from: old.url, to: entry.url)) }
                if !entry.was.isEmpty || entry.feedID != nil {
                    changes.items[entry.source] = Item(was: entry.was, feedID: entry.feedID)
                }
            }
            next.append(entry)
        }
        for (_, var orphan) in orphans.sorted(by: { $0.key < $1.key }) {
            if !orphan.gone { changes.gone.append(orphan) }
            orphan.gone = true
            next.append(orphan)
        }
        changes.record = URLRecord(next)
        return changes
    }

    static func == (a: Self, b: Self) -> Bool {
        a.record == b.record && a.moves == b.moves && a.renames == b.renames && a.gone == b.gone
            && a.diagnostics == b.diagnostics
    }

    // The record, and the changes as lines: `m source from to`, `r from to because`, `g source`.
    func encode(to w: inout BinaryWriter) {
        record.encode(to: &w)
        var lines = moves.map { "m\t\($0.source)\t\($0.from.value)\t\($0.to.value)" }
        lines += renames.map { "r\t\($0.from)\t\($0.to)\t\($0.because)" }
        lines += gone.map { "g\t\($0.source)" }
        w.write(lines.joined(separator: "\n"))
        diagnostics.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        record = try URLRecord(from: &r)
        let lines = try r.readString()
        let recorded = Dictionary(record.entries.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        for line in lines.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch (f[0], f.count) {
            case ("m", 4): moves.append(Move(source: f[1], from: URLPath(f[2]), to: URLPath(f[3])))
            case ("r", 4): renames.append(Rename(from: f[1], to: f[2], because: f[3]))
            case ("g", 2):
                if var entry = recorded[f[1]] {
                    entry.gone = false
                    gone.append(entry)
                }
            default: throw BinaryReader.Malformed()
            }
        }
        diagnostics = try [Diagnostic](from: &r)
        for entry in record.entries where !entry.gone && (!entry.was.isEmpty || entry.feedID != nil) {
            items[entry.source] = Item(was: entry.was, feedID: entry.feedID)
        }
    }
}
