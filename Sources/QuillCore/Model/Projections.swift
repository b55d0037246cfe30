import Foundation
import QuillGraph

// The smaller views of a post or page that the build graph passes around, each its own type: a node that reads
// a card cannot show the full text by mistake, and a change to what a view leaves out does not reach its readers.

extension Post {
    /// The post without its full body (its summary stays): what lists and summary feeds show.
    struct Card: GraphValue {
        /// The post, its full body's HTML and headings left out.
        private(set) var post: Post

        /// `exactWords` false: the word count is the smallest with the same reading time (`Views.readingTime`),
        /// for a theme whose lists show the reading time only.
        init(_ post: Post, exactWords: Bool = true) {
            var card = post
            card.body.html = ""
            card.body.absoluteHTML = ""
            card.body.headings = []
            if !exactWords { card.body.wordCount = Views.wordsOfReadingTime(Views.readingTime(post.body)) }
            self.post = card
        }

        func encode(to w: inout BinaryWriter) { post.encode(to: &w) }
        init(from r: inout BinaryReader) throws { post = try Post(from: &r) }
    }

    /// The post without any of its text: title, dates, tags, URL, front matter. What the archive, neighbours'
    /// links and the order of posts of one instant read.
    struct Meta: GraphValue {
        /// The post, its body left out.
        private(set) var post: Post

        init(_ post: Post) {
            var meta = post
            meta.body = .empty
            self.post = meta
        }

        var title: String { post.title }

        func encode(to w: inout BinaryWriter) { post.encode(to: &w) }
        init(from r: inout BinaryReader) throws { post = try Post(from: &r) }
    }

    /// What places a post without showing it: dates, tags, author, draft flag, URL and aliases. What orders and
    /// groups posts and names their outputs; a new title or text leaves it alone, so the index, the list of
    /// outputs and the sitemap are not rebuilt for one.
    struct Facts: GraphValue, Equatable {
        var source: String
        var date: DateParts
        var updated: DateParts?
        var author: Author
        var tags: [Tag]
        var isDraft: Bool
        var url: URLPath
        var aliases: [URLPath]

        init(_ post: Post) {
            (source, date, updated, author, tags) = (post.source, post.date, post.updated, post.author, post.tags)
            (isDraft, url, aliases) = (post.isDraft, post.url, post.aliases)
        }

        /// The later of `date` and `updated`.
        var lastModified: DateParts { max(updated ?? date, date) }

        func encode(to w: inout BinaryWriter) {
            w.write(source)
            date.encode(to: &w)
            updated.encode(to: &w)
            author.encode(to: &w)
            tags.encode(to: &w)
            w.write(isDraft)
            url.encode(to: &w)
            aliases.encode(to: &w)
        }

        init(from r: inout BinaryReader) throws {
            source = try r.readString()
            date = try DateParts(from: &r)
            updated = try DateParts?(from: &r)
            author = try Author(from: &r)
            tags = try [Tag](from: &r)
            isDraft = try r.readBool()
            url = try URLPath(from: &r)
            aliases = try [URLPath](from: &r)
        }
    }
}

extension Page {
    /// The page without its body: what the menu, the index, the sitemap and redirects read.
    struct Card: GraphValue {
        private(set) var page: Page

        init(_ page: Page) {
            var card = page
            card.body = .empty
            self.page = card
        }

        func encode(to w: inout BinaryWriter) { page.encode(to: &w) }
        init(from r: inout BinaryReader) throws { page = try Page(from: &r) }
    }
}
