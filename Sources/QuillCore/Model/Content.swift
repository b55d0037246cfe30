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
    /// Front matter `image`, else the first image of the body: for list pages and social cards.
    public var image: CoverImage? = nil

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
    /// Front matter `image`, else the first image of the body.
    public var image: CoverImage? = nil
}

/// The picture that stands for a post or page (front matter `image: cover.jpg`, else its first image): its URL,
/// size and resized copies, for `post.image` and the default theme's Open Graph and Twitter card tags.
public struct CoverImage: Sendable, Equatable {
    /// The image's path on the site (`/2010/01/30/trip/cover.jpg`), or an absolute URL of another site.
    public var url: String
    /// 0 when unknown (an image of another site, or one that could not be read).
    public var width: Int
    public var height: Int
    public var alt: String
    /// The widths of its resized copies, ascending; empty when it has none.
    public var variantWidths: [Int]
    /// The file extension of the copies in the original's format (`jpg`, `png`), "" when they are WebP only.
    public var fallbackExtension: String

    public init(url: String, width: Int, height: Int, alt: String, variantWidths: [Int], fallbackExtension: String) {
        (self.url, self.width, self.height, self.alt) = (url, width, height, alt)
        (self.variantWidths, self.fallbackExtension) = (variantWidths, fallbackExtension)
    }

    /// Whether `url` is on this site (a path) rather than another's.
    public var isLocal: Bool { url.hasPrefix("/") }
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
