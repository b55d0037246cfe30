import QuillMarkdown

/// A tag as written on a post, and the slug its pages live under (`C++` → `/tags/c-plus-plus/`).
/// Tags whose slugs are equal are one tag.
public struct Tag: Sendable, Hashable, Comparable {
    public var name: String
    public var slug: String

    public init(name: String, slug: String) {
        self.name = name
        self.slug = slug
    }

    public static func < (a: Self, b: Self) -> Bool { (a.slug, a.name) < (b.slug, b.name) }
}

/// A post's author; their page is `/authors/<slug>/`.
public struct Author: Sendable, Hashable, Comparable {
    public var name: String
    public var slug: String

    public static func < (a: Self, b: Self) -> Bool { (a.slug, a.name) < (b.slug, b.name) }
}

/// A dated entry of `content/posts/`.
public struct Post: Sendable, Equatable {
    /// Site-relative path of the source file (`content/posts/2010-01-30-sun.md`).
    public var source: String
    public var title: String
    public var date: DateParts
    public var updated: DateParts?
    public var author: Author
    public var tags: [Tag]
    /// Front matter `categories` (or `category`), as written; they place the post under `:categories`.
    public var categories: [String] = []
    public var isDraft: Bool
    public var slug: String
    public var url: URLPath
    /// Old URLs of the post (front matter `aliases`), each given a page that redirects here.
    public var aliases: [URLPath] = []
    /// From front matter `description`, else the summary's text.
    public var description: String
    /// Front matter keys Quill does not know, for templates.
    public var params: [String: MetadataValue]
    public var body: RenderedMarkdown

    /// The later of `date` and `updated`.
    public var lastModified: DateParts { max(updated ?? date, date) }
}

/// A standalone page: any Markdown file in `content/` outside `content/posts/` (`content/about.md` → `/about/`).
public struct Page: Sendable, Equatable {
    public var source: String
    public var title: String
    public var url: URLPath
    /// Old URLs of the page (front matter `aliases`), each given a page that redirects here.
    public var aliases: [URLPath] = []
    /// Menu order; lower comes first.
    public var weight: Int
    public var isDraft: Bool
    public var date: DateParts?
    public var updated: DateParts?
    public var description: String
    public var params: [String: MetadataValue]
    public var body: RenderedMarkdown
}

/// One file of the site's sources, read and checked to be UTF-8.
public struct SourceFile: Sendable, Hashable {
    /// Site-relative, `/`-separated.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
