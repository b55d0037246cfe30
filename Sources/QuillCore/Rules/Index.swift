import Foundation
import Synchronization
import QuillGraph

// The index (published posts in order, tags, authors, pages) and what lists, pages and feeds cut from it.

/// A list of posts: the home page's, a tag's or an author's.
enum PostList: Hashable, Sendable, CustomStringConvertible {
    case home
    case tag(String)
    case author(String)

    /// `home`, `tag:<slug>`, `author:<slug>`.
    var description: String {
        switch self {
        case .home: return "home"
        case .tag(let slug): return "tag:" + slug
        case .author(let slug): return "author:" + slug
        }
    }

    init?(_ text: some StringProtocol) {
        if text == "home" { self = .home; return }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let slug = String(text[text.index(after: colon)...])
        switch text[..<colon] {
        case "tag": self = .tag(slug)
        case "author": self = .author(slug)
        default: return nil
        }
    }

    /// The list's posts, newest first.
    func posts(in index: SiteIndex) -> [String] {
        switch self {
        case .home: return index.posts
        case .tag(let slug): return index.tags.first { $0.slug == slug }?.posts ?? []
        case .author(let slug): return index.authors.first { $0.slug == slug }?.posts ?? []
        }
    }

    /// Where the list's first page is.
    var base: URLPath {
        switch self {
        case .home: return .root
        case .tag(let slug): return URLPath("/tags/\(slug)/")
        case .author(let slug): return URLPath("/authors/\(slug)/")
        }
    }

    /// Page `n` of the list at `base`: the base itself, then `page/2/` … below it.
    static func page(_ n: Int, of base: URLPath) -> URLPath { n == 1 ? base : base.appending("page/\(n)/") }
}

extension Node {
    /// The published posts in order and how they group: the one node every list is cut from.
    struct Index: SingleNode {
        typealias Value = SiteIndex
        static let kind = "index"

        /// What orders a post: its facts, and for posts of the same instant, its title.
        private struct Ranked: Arrangeable {
            var facts: Post.Facts
            var title = ""
            var source: String { facts.source }
            var date: DateParts { facts.date }
            var tags: [Tag] { facts.tags }
            var author: Author { facts.author }
        }

        func compute(_ c: SiteContext) throws -> SiteIndex {
            let sources = try c.read(SourceFiles())
            let includeDrafts = try c.read(Input.Option(.drafts)) == "true"
            let includeFuture = try c.read(Input.Option(.future)) == "true"
            let now = c.rules.now.timeIntervalSince1970
            var index = SiteIndex()
            index.diagnostics = sources.problems
            var published = [Ranked]()
            var latestPast = -Double.infinity, earliestFuture = Double.infinity
            for path in sources.posts {
                switch try c.read(PostFacts(path)) {
                case .failed(let diagnostics): index.diagnostics += diagnostics
                case .ok(let post):
                    let time = post.date.date.timeIntervalSince1970
                    if post.isDraft && !includeDrafts {
                        index.skipped.append(path)
                        index.scheduled.append(-.infinity)
                    } else if !includeFuture && time > now {
                        index.skipped.append(path)
                        index.scheduled.append(time)
                        earliestFuture = min(earliestFuture, time)
                    } else {
                        published.append(Ranked(facts: post))
                        if !includeFuture { latestPast = max(latestPast, time) }
                    }
                }
            }
            // Titles order posts of the same instant only, so only theirs are read.
            var perInstant = [Date: Int]()
            for post in published { perInstant[post.date.date, default: 0] += 1 }
            for i in published.indices where perInstant[published[i].date.date]! > 1 {
                published[i].title = try c.read(PostMeta(published[i].source)).value?.title ?? ""
            }
            // Which posts are live depends on the clock only within [latest past post, earliest future post).
            if earliestFuture.isFinite { try c.touch(Input.ClockBefore(earliestFuture)) }
            if latestPast.isFinite { try c.touch(Input.ClockBefore(latestPast.nextUp)) }
            var pages = [Page]()
            for path in sources.pages {
                switch try c.read(PageCard(path)) {
                case .failed(let diagnostics): index.diagnostics += diagnostics
                case .ok(let card): if !card.page.isDraft || includeDrafts { pages.append(card.page) }
                }
            }
            let arranged = Site.Arrangement(published)
            index.posts = arranged.order.map { published[$0].source }
            index.pages = Site.menuOrder(pages).map(\.source)
            index.tags = arranged.tags.map {
                .init(name: $0.tag.name, slug: $0.tag.slug, posts: $0.posts.map { index.posts[$0] })
            }
            index.authors = arranged.authors.map {
                .init(name: $0.author.name, slug: $0.author.slug, posts: $0.posts.map { index.posts[$0] })
            }
            return index
        }
    }

    /// The posts before and after one in the index, for its page's links.
    struct Neighbours: NamedNode {
        struct Value: GraphValue, Equatable {
            /// Source paths; nil at either end.
            var newer: String?
            var older: String?

            init(newer: String?, older: String?) { (self.newer, self.older) = (newer, older) }

            func encode(to w: inout BinaryWriter) {
                newer.encode(to: &w)
                older.encode(to: &w)
            }

            init(from r: inout BinaryReader) throws {
                newer = try String?(from: &r)
                older = try String?(from: &r)
            }
        }

        static let kind = "neighbours"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Value {
            let index = try c.read(Index())
            let fingerprint = c.fingerprint(of: Index()) ?? .absent
            guard let i = c.rules.positions.position(of: id, in: index, fingerprint: fingerprint) else {
                return Value(newer: nil, older: nil)
            }
            return Value(newer: i > 0 ? index.posts[i - 1] : nil, older: i + 1 < index.posts.count ? index.posts[i + 1] : nil)
        }
    }

    /// The spelling of each of a post's tags that the whole site uses (`python` and `Python` are one tag).
    struct TagNames: NamedNode {
        typealias Value = [String]
        static let kind = "tagnames"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> [String] {
            guard let post = try c.read(PostFacts(id)).value else { return [] }
            let index = try c.read(Index())
            return post.tags.map { index.tagName($0.slug) ?? $0.name }
        }
    }

    /// Page `page` of a list: the posts on it, and how many pages the list has.
    struct ListSlice: SiteNode {
        struct Value: GraphValue, Equatable {
            var posts: [String]
            var pageCount: Int

            init(posts: [String], pageCount: Int) { (self.posts, self.pageCount) = (posts, pageCount) }

            func encode(to w: inout BinaryWriter) {
                posts.encode(to: &w)
                w.write(pageCount)
            }

            init(from r: inout BinaryReader) throws {
                posts = try [String](from: &r)
                pageCount = try r.readInt()
            }
        }

        static let kind = "slice"
        var list: PostList
        var page: Int
        /// `<list>:<page>`.
        var id: String { "\(list):\(page)" }

        init(_ list: PostList, page: Int) { (self.list, self.page) = (list, page) }

        init?(id: String) {
            guard let colon = id.lastIndex(of: ":"), let page = Int(id[id.index(after: colon)...]),
                  let list = PostList(id[..<colon]) else { return nil }
            (self.list, self.page) = (list, page)
        }

        func compute(_ c: SiteContext) throws -> Value {
            let posts = list.posts(in: try c.read(Index()))
            let perPage = try c.config([.postsPerPage]).postsPerPage
            let total = max(1, (posts.count + perPage - 1) / perPage)
            return Value(posts: Array(posts.dropFirst((page - 1) * perPage).prefix(perPage)), pageCount: total)
        }
    }

    /// The posts a list's feeds carry (the newest `feed.limit`).
    struct FeedItems: SiteNode {
        typealias Value = [String]
        static let kind = "feeditems"
        var list: PostList
        var id: String { list.description }

        init(_ list: PostList) { self.list = list }

        init?(id: String) {
            guard let list = PostList(id) else { return nil }
            self.list = list
        }

        func compute(_ c: SiteContext) throws -> [String] {
            let posts = list.posts(in: try c.read(Index()))
            let limit = try c.config([.feedLimit]).feedLimit
            return limit > 0 ? Array(posts.prefix(limit)) : posts
        }
    }

    /// The standalone pages, as the menu shows them.
    struct Menu: SingleNode {
        struct Item: GraphValue, Equatable {
            var title: String
            var url: URLPath

            init(title: String, url: URLPath) { (self.title, self.url) = (title, url) }

            func encode(to w: inout BinaryWriter) {
                w.write(title)
                url.encode(to: &w)
            }

            init(from r: inout BinaryReader) throws {
                title = try r.readString()
                url = try URLPath(from: &r)
            }
        }

        typealias Value = [Item]
        static let kind = "menu"

        func compute(_ c: SiteContext) throws -> [Item] {
            try c.read(Index()).pages.compactMap { path in
                try c.read(PageCard(path)).value.map { Item(title: $0.page.title, url: $0.page.url) }
            }
        }
    }

    /// What the site's templates show of the whole site: the copyright year, and whether there are tags.
    struct SiteFacts: SingleNode {
        struct Value: GraphValue, Equatable {
            /// The year of the newest post; empty when there is none.
            var copyrightYear: String
            var hasTags: Bool

            init(copyrightYear: String, hasTags: Bool) { (self.copyrightYear, self.hasTags) = (copyrightYear, hasTags) }

            func encode(to w: inout BinaryWriter) {
                w.write(copyrightYear)
                w.write(hasTags)
            }

            init(from r: inout BinaryReader) throws {
                copyrightYear = try r.readString()
                hasTags = try r.readBool()
            }
        }

        static let kind = "facts"

        func compute(_ c: SiteContext) throws -> Value {
            let index = try c.read(Index())
            let year = try index.posts.first.flatMap { try c.read(PostFacts($0)).value?.date.year }
            return Value(copyrightYear: year ?? "", hasTags: !index.tags.isEmpty)
        }
    }
}

/// The published posts in order and how they group: the one node every list is cut from.
struct SiteIndex: GraphValue {
    struct Group: GraphValue, Equatable {
        var name: String
        var slug: String
        var posts: [String]

        func encode(to w: inout BinaryWriter) {
            w.write(name)
            w.write(slug)
            posts.encode(to: &w)
        }

        init(name: String, slug: String, posts: [String]) {
            (self.name, self.slug, self.posts) = (name, slug, posts)
        }

        init(from r: inout BinaryReader) throws {
            self.init(name: try r.readString(), slug: try r.readString(), posts: try [String](from: &r))
        }
    }

    /// Newest first.
    var posts: [String] = []
    /// Standalone pages in menu order.
    var pages: [String] = []
    var tags: [Group] = [] {
        didSet { (lookup, related) = (Lookup(), RelatedPosts.Table.Cache()) }
    }
    var authors: [Group] = []
    /// Drafts (no date) and scheduled posts (with the time they go live).
    var skipped: [String] = []
    var scheduled: [Double] = []
    var diagnostics: [Diagnostic] = []
    /// Tag names by slug, made once for all copies of this index (every post page asks how the site spells its
    /// tags, and making the table per post showed in the profile). Not part of the value: derived from `tags`.
    private var lookup = Lookup()
    /// What related posts are found with (see `RelatedPosts`), made once for all copies of this index. Not part of
    /// the value either.
    private(set) var related = RelatedPosts.Table.Cache()

    final class Lookup: Sendable {
        private let table = Mutex<[String: String]?>(nil)

        func names(_ make: () -> [String: String]) -> [String: String] {
            table.withLock { table in
                if let table { return table }
                let made = make()
                table = made
                return made
            }
        }
    }

    /// The name the site shows for the tag `slug` (its first spelling), if the site has that tag.
    func tagName(_ slug: String) -> String? {
        lookup.names { Dictionary(tags.map { ($0.slug, $0.name) }, uniquingKeysWith: { a, _ in a }) }[slug]
    }

    init() {}

    func encode(to w: inout BinaryWriter) {
        posts.encode(to: &w)
        pages.encode(to: &w)
        tags.encode(to: &w)
        authors.encode(to: &w)
        skipped.encode(to: &w)
        scheduled.encode(to: &w)
        diagnostics.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        posts = try [String](from: &r)
        pages = try [String](from: &r)
        tags = try [Group](from: &r)
        authors = try [Group](from: &r)
        skipped = try [String](from: &r)
        scheduled = try [Double](from: &r)
        diagnostics = try [Diagnostic](from: &r)
    }
}

