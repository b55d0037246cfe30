import Foundation
import QuillGraph

// The search index (docs/search.md): each post's and page's words, gathered in groups kept in the state, merged
// into the files under /search/index/; and the /search/ page.

extension Node {
    /// A post's or page's words and what a result shows (id `post:PATH` or `page:PATH`); excluded when the site has
    /// no search, or its front matter says `search: false`.
    struct SearchDoc: NamedNode {
        typealias Value = SearchDocument
        static let kind = "search.doc"
        static var keepsValue: Bool { false }  // made again from the post; its group keeps what it said
        var id: String

        init(_ id: String) { self.id = id }

        init(post path: String) { id = "post:" + path }
        init(page path: String) { id = "page:" + path }

        func compute(_ c: SiteContext) throws -> SearchDocument {
            let config = try c.config([.search, .baseURL])
            guard config.search.enabled else { return .excluded }
            let fields = config.search.fields.compactMap(SearchField.init)
            let title: String, url: URLPath, date: String, tags: [String], body: String, params: [String: MetadataValue]
            if id.hasPrefix("post:") {
                guard let post = try c.read(FullPost(String(id.dropFirst(5)))).value else { return .excluded }
                (title, url, date, tags, body, params) = (post.title, post.url, post.date.isoDay, post.tags.map(\.name),
                                                          post.body.html, post.params)
            } else if id.hasPrefix("page:") {
                guard let page = try c.read(FullPage(String(id.dropFirst(5)))).value else { return .excluded }
                (title, url, date, tags, body, params) = (page.title, page.url, page.date?.isoDay ?? "", [], page.body.html,
                                                          page.params)
            } else {
                return .excluded
            }
            if case .bool(false)? = params["search"] { return .excluded }
            var texts = [(SearchField, String, html: Bool)]()
            for field in fields {
                switch field {
                case .title: texts.append((.title, title, false))
                case .tags: texts.append((.tags, tags.joined(separator: " "), false))
                case .body: texts.append((.body, body, true))
                }
            }
            return SearchDocument(url: config.relativeURL(for: url), title: title, date: date, fields: texts)
        }
    }

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
            for key in SearchGroups.documents(index) { groups[SearchGroups.group(of: key, count: count)].append(key) }
            return groups.map { $0.sorted() }
        }
    }

    /// One group's documents, their words merged (kept: the index is made again from the groups).
    struct SearchGroupWords: NamedNode {
        typealias Value = SearchGroup
        static let kind = "search.group"
        var id: String

        init(_ id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> SearchGroup {
            let members = try c.read(SearchMembers(id))
            return SearchGroup(try members.map { ($0, try c.read(SearchDoc($0))) })
        }
    }

    /// The files of the index (not kept: made again from the groups when one changes).
    struct SearchIndexFiles: SingleNode {
        typealias Value = SearchFiles
        static let kind = "search.index"
        static var keepsValue: Bool { false }

        func compute(_ c: SiteContext) throws -> SearchFiles {
            let config = try c.config([.search])
            guard config.search.enabled else { return SearchFiles() }
            let index = try c.read(Index())
            let groups = try SearchGroups.ids(index).map { try c.read(SearchGroupWords($0)) }
            return SearchFiles(groups: groups, order: SearchGroups.order(index),
                               fields: config.search.fields.compactMap(SearchField.init))
        }
    }

    /// What the output list needs of the index: the shard keys and how many document lists (kept, small).
    struct SearchLayout: SingleNode {
        typealias Value = SearchOutputs
        static let kind = "search.layout"

        func compute(_ c: SiteContext) throws -> SearchOutputs {
            guard try c.config([.search]).search.enabled else { return SearchOutputs() }
            let files = try c.read(SearchIndexFiles())
            return SearchOutputs(enabled: true, shards: files.shards.map(\.key), docLists: files.docLists.count)
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
    var shards: [String] = []
    var docLists = 0

    init() {}

    init(enabled: Bool, shards: [String], docLists: Int) {
        (self.enabled, self.shards, self.docLists) = (enabled, shards, docLists)
    }

    func encode(to w: inout BinaryWriter) {
        w.write(enabled)
        shards.encode(to: &w)
        w.write(docLists)
    }

    init(from r: inout BinaryReader) throws {
        enabled = try r.readBool()
        shards = try [String](from: &r)
        docLists = try r.readInt()
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

    static func documents(_ index: SiteIndex) -> [String] {
        index.pages.map { "page:" + $0 } + index.posts.map { "post:" + $0 }
    }

    /// Groups of about 24 documents: a power of two, so that the count changes rarely.
    static func count(_ index: SiteIndex) -> Int {
        let documents = index.pages.count + index.posts.count
        var count = 1
        while count * 24 < documents { count *= 2 }
        return count
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
        let files = try context.read(Node.SearchIndexFiles())
        let folder = SearchGroups.folder
        switch output {
        case .searchManifest: return OutputFile(path: folder + "manifest.json", bytes: files.manifest)
        case .searchShard(let key):
            guard let shard = files.shards.first(where: { $0.key == key }) else { throw missing(output) }
            return OutputFile(path: folder + SearchFiles.shardFile(key), bytes: shard.bytes)
        case .searchDocs(let n):
            guard n < files.docLists.count else { throw missing(output) }
            return OutputFile(path: folder + "d-\(n).json", bytes: files.docLists[n])
        default: throw missing(output)
        }
    }

    func searchPage() throws -> OutputFile {
        let url = SearchGroups.pageURL
        return try html("search", url, page: try pageView(kind: "search", title: "Search", url: url))
    }
}
