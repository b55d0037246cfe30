import Foundation
import QuillGraph

// The search index (docs/search.md): each post's and page's words, gathered in groups, split into partitions by
// first byte, merged by partition (both kept in the state) and cut into the files under /search/index/; and the
// /search/ page.

extension Node {
    /// The documents of one group (id `COUNT:N`: group N of COUNT), by key: the posts and pages of the index whose
    /// path hashes to it. Made again when the index changes, but equal unless a document came or went.
    struct SearchMembers: NamedNode {
        typealias Value = [String]
        static let kind = "search.members"
        var id: String

        init(_ id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> [String] {
            guard let (count, n) = SearchGroups.parse(id) else { return [] }
            let all = try c.read(SearchMembership())
            return all.count == count ? all[n] : []
        }
    }

    /// Every group's documents (not kept: made again, in one pass, when the index changes).
    struct SearchMembership: SingleNode {
        typealias Value = [[String]]
        static let kind = "search.membership"
        static var keepsValue: Bool { false }

        func compute(_ c: SiteContext) throws -> [[String]] {
            let index = try c.read(Index())
            let count = SearchGroups.count(index)
            var groups = [[String]](repeating: [], count: count)
            for key in SearchGroups.order(index) { groups[SearchGroups.group(of: key, count: count)].append(key) }
            return groups.map { $0.sorted() }
        }
    }

    /// One group's documents, read and their words gathered (not kept: its parts are).
    struct SearchGroupWords: NamedNode {
        typealias Value = SearchGroup
        static let kind = "search.group"
        static var keepsValue: Bool { false }
        var id: String

        init(_ id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> SearchGroup {
            let config = try c.config([.search, .baseURL])
            guard config.search.enabled else { return SearchGroup() }
            let fields = config.search.fields.compactMap(SearchField.init)
            return SearchGroup(try c.read(SearchMembers(id)).compactMap { try SearchGroups.source($0, fields, config, c) })
        }
    }

    /// A group's documents as results show them (kept).
    struct SearchGroupDocs: NamedNode {
        typealias Value = SearchDocList
        static let kind = "search.groupdocs"
        var id: String

        init(_ id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> SearchDocList {
            SearchDocList(try c.read(SearchGroupWords(id)).docs)
        }
    }

    /// A group's words of one partition (id `COUNT:N/P`; kept: partitions are merged from them).
    struct SearchGroupPart: NamedNode {
        typealias Value = SearchPart
        static let kind = "search.part"
        var id: String

        init(_ id: String) { self.id = id }

        init(group: String, partition: Int) { id = group + "/\(partition)" }

        func compute(_ c: SiteContext) throws -> SearchPart {
            guard let slash = id.lastIndex(of: "/"), let p = Int(id[id.index(after: slash)...]),
                  (0..<SearchPartitions.count).contains(p) else { return SearchPart() }
            return try c.read(SearchGroupWords(String(id[..<slash]))).parts[p]
        }
    }

    /// Every group's documents' numbers in the index, and last how many there are (kept, and read whole by every
    /// partition: one group's numbers change only when documents come or go, which changes the partitions anyway).
    struct SearchNumbering: SingleNode {
        typealias Value = [[Int]]
        static let kind = "search.numbering"

        func compute(_ c: SiteContext) throws -> [[Int]] {
            let index = try c.read(Index())
            let groups = try SearchGroups.ids(index).map { try c.read(SearchGroupDocs($0)).docs }
            let (ids, documents) = SearchFiles.ids(groups: groups, order: SearchGroups.order(index))
            return ids.map { $0.map(Int.init) } + [[documents]]
        }
    }

    /// How many documents the index has (kept).
    struct SearchDocumentCount: SingleNode {
        typealias Value = Int
        static let kind = "search.count"

        func compute(_ c: SiteContext) throws -> Int { try c.read(SearchNumbering()).last?.first ?? 0 }
    }

    /// One partition's words and entries, merged from every group's part (id: the partition's number; kept).
    struct SearchPartitionWords: NamedNode {
        typealias Value = SearchPartition
        static let kind = "search.partition"
        var id: String

        init(_ id: String) { self.id = id }

        init(_ partition: Int) { id = String(partition) }

        func compute(_ c: SiteContext) throws -> SearchPartition {
            guard let p = Int(id), try c.config([.search]).search.enabled else { return SearchPartition() }
            let groups = SearchGroups.ids(try c.read(Index()))
            let numbers = try c.read(SearchNumbering())
            guard numbers.count == groups.count + 1 else { return SearchPartition() }
            return SearchPartition(try groups.indices.map { n in
                (numbers[n].map(UInt32.init), try c.read(SearchGroupPart(group: groups[n], partition: p)))
            })
        }
    }

    /// The document lists (not kept: made again from the groups' documents when they change).
    struct SearchDocLists: SingleNode {
        typealias Value = [Data]
        static let kind = "search.doclists"
        static var keepsValue: Bool { false }

        func compute(_ c: SiteContext) throws -> [Data] {
            let index = try c.read(Index())
            let ids = try c.read(SearchNumbering())
            let groups = try SearchGroups.ids(index).map { try c.read(SearchGroupDocs($0)).docs }
            guard ids.count == groups.count + 1 else { return [] }
            return SearchFiles.docLists(groups: groups, ids: ids.dropLast().map { $0.map(UInt32.init) },
                                        documents: ids.last?.first ?? 0)
        }
    }

    /// What the output list needs of the index: the shard keys and how many documents (kept, small).
    struct SearchLayout: SingleNode {
        typealias Value = SearchOutputs
        static let kind = "search.layout"

        func compute(_ c: SiteContext) throws -> SearchOutputs {
            guard try c.config([.search]).search.enabled else { return SearchOutputs() }
            let partitions = try (0..<SearchPartitions.count).map { try c.read(SearchPartitionWords($0)) }
            return SearchOutputs(enabled: true, shards: SearchFiles.layout(partitions),
                                 documents: try c.read(SearchDocumentCount()))
        }
    }

    /// The search page's URL ("" when the site has no search, or its theme no `search` template): what every page's
    /// header reads, so that it changes only when that does.
    struct SearchPage: SingleNode {
        typealias Value = String
        static let kind = "search.page"

        func compute(_ c: SiteContext) throws -> String {
            let config = try c.config([.search, .baseURL])
            guard config.search.enabled, try c.read(SourceFiles()).templates["search"] != nil else { return "" }
            return config.relativeURL(for: SearchGroups.pageURL)
        }
    }
}

/// The output list's part of the index.
struct SearchOutputs: GraphValue, Equatable {
    var enabled = false
    /// Sorted (byte order).
    var shards: [String] = []
    var documents = 0

    init() {}

    init(enabled: Bool, shards: [String], documents: Int) {
        (self.enabled, self.shards, self.documents) = (enabled, shards, documents)
    }

    var docLists: Int { (documents + SearchFiles.chunk - 1) / SearchFiles.chunk }

    func encode(to w: inout BinaryWriter) {
        w.write(enabled)
        shards.encode(to: &w)
        w.write(documents)
    }

    init(from r: inout BinaryReader) throws {
        enabled = try r.readBool()
        shards = try [String](from: &r)
        documents = try r.readInt()
    }
}

/// How documents are numbered and grouped.
enum SearchGroups {
    static let pageURL = URLPath("/search/")
    static let folder = "search/index/"

    /// Every document's key, pages then posts, numbered in this order: pages by path, then posts from the oldest,
    /// so that a new post takes the next number and leaves the others alone.
    static func order(_ index: SiteIndex) -> [String] {
        index.pages.sorted().map { "page:" + $0 } + index.posts.reversed().map { "post:" + $0 }
    }

    /// Groups of about 24 documents: a power of two, so that the count changes rarely.
    static func count(_ index: SiteIndex) -> Int {
        let documents = index.pages.count + index.posts.count
        var count = 1
        while count * 24 < documents { count *= 2 }
        return count
    }

    /// What the index reads of the post or page `key` (`post:PATH` or `page:PATH`): nil when it is not in it (its
    /// front matter says `search: false`).
    static func source(_ key: String, _ fields: [SearchField], _ config: SiteConfig, _ c: SiteContext) throws -> SearchSource? {
        let title: String, url: URLPath, date: String, tags: [String], body: String, params: [String: MetadataValue]
        if key.hasPrefix("post:") {
            guard let post = try c.read(Node.FullPost(String(key.dropFirst(5)))).value else { return nil }
            (title, url, date, tags, body, params) = (post.title, post.url, post.date.isoDay, post.tags.map(\.name),
                                                      post.body.html, post.params)
        } else if key.hasPrefix("page:") {
            guard let page = try c.read(Node.FullPage(String(key.dropFirst(5)))).value else { return nil }
            (title, url, date, tags, body, params) = (page.title, page.url, page.date?.isoDay ?? "", [], page.body.html,
                                                      page.params)
        } else {
            return nil
        }
        if case .bool(false)? = params["search"] { return nil }
        let texts = fields.map { field -> (SearchField, String, html: Bool) in
            switch field {
            case .title: return (.title, title, false)
            case .tags: return (.tags, tags.joined(separator: " "), false)
            case .body: return (.body, body, true)
            }
        }
        return SearchSource(key: key, url: config.relativeURL(for: url), title: title, date: date, fields: texts)
    }

    static func ids(_ index: SiteIndex) -> [String] {
        let count = count(index)
        return (0..<count).map { "\(count):\($0)" }
    }

    static func parse(_ id: String) -> (count: Int, n: Int)? {
        let parts = id.split(separator: ":")
        guard parts.count == 2, let count = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        return (count, n)
    }

    /// A document's group: by a hash of its key, which does not change when others come and go.
    static func group(of key: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(count))
    }
}

extension OutputRenderer {
    func searchFile(_ output: OutputID) throws -> OutputFile {
        let layout = try context.read(Node.SearchLayout())
        let folder = SearchGroups.folder
        switch output {
        case .searchManifest:
            let fields = try context.config([.search]).search.fields.compactMap(SearchField.init)
            return OutputFile(path: folder + "manifest.json",
                              bytes: SearchFiles.manifest(keys: layout.shards, documents: layout.documents, fields: fields))
        case .searchShard(let key):
            var partitions = [Int: SearchPartition]()
            for p in SearchFiles.partitions(of: key) { partitions[p] = try context.read(Node.SearchPartitionWords(p)) }
            return OutputFile(path: folder + SearchFiles.shardFile(key),
                              bytes: SearchFiles.shard(key, keys: layout.shards, partitions: partitions))
        case .searchDocs(let n):
            let lists = try context.read(Node.SearchDocLists())
            guard n < lists.count else { throw missing(output) }
            return OutputFile(path: folder + "d-\(n).json", bytes: lists[n])
        default: throw missing(output)
        }
    }

    func searchPage() throws -> OutputFile {
        let url = SearchGroups.pageURL
        return try html("search", url, page: try pageView(kind: "search", title: "Search", url: url))
    }
}
