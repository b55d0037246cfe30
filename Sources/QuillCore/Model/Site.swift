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
        // Indices are sorted, not the posts: moving a post retains and releases each of its many fields.
        let posts = posts.indices.sorted { Self.newestFirst(posts[$0], posts[$1]) }.map { posts[$0] }
        // One spelling per tag slug: the most used, then the first in sort order.
        var spellings = [String: [String: Int]]()
        for post in posts {
            for tag in post.tags { spellings[tag.slug, default: [:]][tag.name, default: 0] += 1 }
        }
        let names = spellings.mapValues { counts in
            counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first!.key
        }
        self.posts = posts.map { post in
            var post = post
            post.tags = post.tags.map { Tag(name: names[$0.slug] ?? $0.name, slug: $0.slug) }
            return post
        }
        self.pages = pages.sorted { ($0.weight, $0.title, $0.source) < ($1.weight, $1.title, $1.source) }

        var byTag = [Tag: [Int]](), byAuthor = [Author: [Int]](), byYear = [String: [Int]]()
        for (index, post) in self.posts.enumerated() {
            for tag in post.tags { byTag[tag, default: []].append(index) }
            byAuthor[post.author, default: []].append(index)
            byYear[post.date.year, default: []].append(index)
        }
        tags = byTag.map { TagGroup(tag: $0.key, posts: $0.value) }.sorted { $0.tag < $1.tag }
        authors = byAuthor.map { AuthorGroup(author: $0.key, posts: $0.value) }.sorted { $0.author < $1.author }
        years = byYear.map { YearGroup(year: $0.key, posts: $0.value) }.sorted { $0.year > $1.year }
    }

    /// Newest first; equal dates by title, then by source path, so the order never depends on the disk.
    static func newestFirst(_ a: Post, _ b: Post) -> Bool {
        if a.date.date != b.date.date { return a.date.date > b.date.date }
        if a.title != b.title { return a.title < b.title }
        return a.source < b.source
    }
}
