/// The assembled blog: published posts newest first, pages in menu order, and the groupings lists are made of.
public struct Site: Sendable {
    public struct TagGroup: Sendable, Equatable {
        public var tag: Tag
        /// Indices into `posts`, newest first.
        public var posts: [Int]
    }

    public struct AuthorGroup: Sendable, Equatable {
        public var author: Author
        public var posts: [Int]
    }

    public struct YearGroup: Sendable, Equatable {
        public var year: String
        public var posts: [Int]
    }

    public var config: SiteConfig
    public var posts: [Post]
    public var pages: [Page]
    public var tags: [TagGroup]
    public var authors: [AuthorGroup]
    public var years: [YearGroup]

    /// Sorts and groups; `posts` and `pages` are the published ones.
    public init(config: SiteConfig, posts: [Post], pages: [Page]) {
        self.config = config
        let arranged = Arrangement(posts)
        self.posts = arranged.order.map { i in
            var post = posts[i]
            if post.tags.contains(where: { arranged.tagNames[$0.slug] != $0.name }) {
                post.tags = post.tags.map { Tag(name: arranged.tagNames[$0.slug] ?? $0.name, slug: $0.slug) }
            }
            return post
        }
        self.pages = Self.menuOrder(pages)
        (tags, authors, years) = (arranged.tags, arranged.authors, arranged.years)
    }

    /// The order and the groups of a site's posts, as indices, without moving a post: a post has many fields,
    /// and copying 100,000 of them twice took longer than the sorting.
    public struct Arrangement: Sendable {
        /// Indices into the posts given, newest first.
        public var order: [Int]
        /// One spelling per tag slug: the most used, then the first in sort order.
        public var tagNames: [String: String]
        /// Groups whose `posts` are positions in `order`, as in `Site`.
        public var tags: [TagGroup]
        public var authors: [AuthorGroup]
        public var years: [YearGroup]

        public init<P: Arrangeable>(_ posts: [P]) {
            // Indices are sorted, not the posts: moving a post retains and releases each of its many fields.
            order = posts.indices.sorted { Site.newestFirst(posts[$0], posts[$1]) }
            var spellings = [String: [String: Int]]()
            for post in posts {
                for tag in post.tags { spellings[tag.slug, default: [:]][tag.name, default: 0] += 1 }
            }
            tagNames = spellings.mapValues { counts in
                counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first!.key
            }
            // With one spelling per slug, a tag is its slug.
            var bySlug = [String: [Int]](), byAuthor = [Author: [Int]](), byYear = [String: [Int]]()
            for (position, i) in order.enumerated() {
                for tag in posts[i].tags { bySlug[tag.slug, default: []].append(position) }
                byAuthor[posts[i].author, default: []].append(position)
                byYear[posts[i].date.year, default: []].append(position)
            }
            let names = tagNames
            tags = bySlug.map { TagGroup(tag: Tag(name: names[$0.key]!, slug: $0.key), posts: $0.value) }
                .sorted { $0.tag < $1.tag }
            authors = byAuthor.map { AuthorGroup(author: $0.key, posts: $0.value) }.sorted { $0.author < $1.author }
            years = byYear.map { YearGroup(year: $0.key, posts: $0.value) }.sorted { $0.year > $1.year }
        }
    }

    /// Pages by weight, then title, then source path.
    static func menuOrder(_ pages: [Page]) -> [Page] {
        pages.sorted { ($0.weight, $0.title, $0.source) < ($1.weight, $1.title, $1.source) }
    }

    /// Newest first; equal dates by title, then by source path, so the order never depends on the disk.
    static func newestFirst<P: Arrangeable>(_ a: P, _ b: P) -> Bool {
        if a.date.date != b.date.date { return a.date.date > b.date.date }
        if a.title != b.title { return a.title < b.title }
        return a.source < b.source
    }
}

/// What orders and groups a post: `Site.Arrangement` needs only these.
public protocol Arrangeable {
    var source: String { get }
    /// Orders posts of the same instant.
    var title: String { get }
    var date: DateParts { get }
    var tags: [Tag] { get }
    var author: Author { get }
}

extension Post: Arrangeable {}
