import Foundation
import QuillMarkdown

// Content: each post and page parsed from its file, and the smaller views of them that lists, indexes and
// outputs read, so that a change reaches only what shows it (a new title does not touch the index).

extension Node {
    /// A post parsed, with its full body: what its own page and full-content feeds read.
    struct FullPost: NamedNode {
        typealias Value = Parsed<Post>
        static let kind = "post"
        static var keepsValue: Bool { false }  // the body is large, and only the post's page and feeds need it
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Post> {
            try SourceText.parse(id, c, settings: [.timeZone, .permalink, .baseURL, .author, .excerptSeparator]) {
                $0.parsePost($1)
            } finish: { post, file, config in
                post.image = try BodyImages(c: c, source: id, text: file.text, url: post.url, config: config)
                    .apply(to: &post.body, cover: post.params["image"]?.stringValue, coverAlt: post.params["image_alt"]?.stringValue)
            }
        }
    }

    /// A post without its full body (see `Post.Card`).
    struct PostCard: NamedNode {
        typealias Value = Parsed<Post.Card>
        static let kind = "post.card"
        // Cheap to compute again from the post when a list needs one, and would be a third of the state.
        static var keepsValue: Bool { false }
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Post.Card> {
            let exactWords = try c.read(ThemeNamesWordCount())
            return try c.read(FullPost(id)).map { Post.Card($0, exactWords: exactWords) }
        }
    }

    /// Whether any template names `wordCount`. When none does, a card keeps its post's reading time, not its
    /// exact word count, so that a few words more or less in a post do not render again every list showing it.
    struct ThemeNamesWordCount: SingleNode {
        typealias Value = Bool
        static let kind = "theme.wordcount"

        func compute(_ c: SiteContext) throws -> Bool {
            // A name cannot be made at render time: a template that reads the field spells it out.
            try c.read(SourceFiles()).templates.keys.sorted().contains { try c.read(TemplateText($0)).contains("wordCount") }
        }
    }

    /// A post without any of its text (see `Post.Meta`): kept in the state, since the index reads every post's.
    struct PostMeta: NamedNode {
        typealias Value = Parsed<Post.Meta>
        static let kind = "post.meta"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Post.Meta> { try c.read(FullPost(id)).map(Post.Meta.init) }
    }

    /// What orders and groups a post and names its outputs (see `Post.Facts`).
    struct PostFacts: NamedNode {
        typealias Value = Parsed<Post.Facts>
        static let kind = "post.facts"
        static var keepsValue: Bool { false }  // made again from the kept metadata in no time
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Post.Facts> {
            try c.read(PostMeta(id)).map { Post.Facts($0.post) }
        }
    }

    /// A standalone page parsed, with its body.
    struct FullPage: NamedNode {
        typealias Value = Parsed<Page>
        static let kind = "page"
        static var keepsValue: Bool { false }
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Page> {
            try SourceText.parse(id, c, settings: [.timeZone, .baseURL, .excerptSeparator]) {
                $0.parsePage($1)
            } finish: { page, file, config in
                page.image = try BodyImages(c: c, source: id, text: file.text, url: page.url, config: config)
                    .apply(to: &page.body, cover: page.params["image"]?.stringValue, coverAlt: page.params["image_alt"]?.stringValue)
            }
        }
    }

    /// A page without its body (see `Page.Card`): what the menu, the sitemap and redirects read.
    struct PageCard: NamedNode {
        typealias Value = Parsed<Page.Card>
        static let kind = "page.card"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> Parsed<Page.Card> { try c.read(FullPage(id)).map(Page.Card.init) }
    }
}

/// A post's or page's text as read from its file, or why it cannot be.
enum SourceText {
    /// The file at `path` read and parsed by `parse` with the given settings, or the problems of either step.
    ///
    /// Only a file with a code fence reads `[highlight]` and the highlighter's version, so that changing them
    /// parses again only the posts and pages with code.
    static func parse<T>(_ path: String, _ c: SiteContext, settings: [ConfigField],
                         _ parse: (ContentParser, SourceFile) -> Result<T, BuildFailure>,
                         finish: (inout T, SourceFile, SiteConfig) throws -> Void) throws -> Parsed<T> {
        let file: SourceFile
        switch try read(path, c) {
        case .success(let f): file = f
        case .failure(let d): return .failed([d])
        }
        var settings = settings
        if MarkdownRenderer.mayHaveCodeFences(file.text) {
            settings.append(.highlight)
            try c.read(Input.Option(.highlighter))
        }
        defer { c.rules.progress?.tick() }
        let config = try c.config(settings)
        var parser = ContentParser(config: config)
        let links = SourceLinks.mayHave(file.text) ? SourceLinks(file, c, config) : nil
        parser.rewriteLink = links.map { links in { links.rewrite($0) } }
        let result = parse(parser, file)
        c.rules.warnings.add(parser.warnings.items)
        let linkErrors = try links?.finish() ?? []
        switch result {
        case .success(var value):
            guard linkErrors.isEmpty else { return .failed(linkErrors) }
            try finish(&value, file, config)
            return .ok(value)
        case .failure(let failure): return .failed(failure.diagnostics + linkErrors)
        }
    }

    static func read(_ path: String, _ c: SiteContext) throws -> Result<SourceFile, Diagnostic> {
        let data: Data
        do {
            data = try c.read(Input.File(path))
        } catch let unreadable as BuildFailure {  // one post that cannot be read is one error among the others
            guard let problem = unreadable.diagnostics.first else { throw unreadable }
            return .failure(problem)
        }
        guard data.count <= sizeLimit else {
            return .failure(Diagnostic(
                SourceLocation(file: path),
                "the file is \(data.count / 1_000_000) MB; posts and pages may be at most "
                    + "\(sizeLimit / 1_000_000) MB",
                hint: "split it into several posts, or move large data (images, archives) to static/ and link to it"))
        }
        return SiteLoader.decodeUTF8(data, path: path).map {
            SourceFile(path: path, text: SiteLoader.unixLineEndings($0))
        }
    }

    /// The largest post or page read (20 MB): a 100 MB post takes cmark-gfm and the pages made from it over ten
    /// seconds and two gigabytes; no one writes that much text, so such a file is a mistake, said at once.
    static let sizeLimit = 20_000_000
}

extension Parsed {
    func map<T>(_ transform: (Value) -> T) -> Parsed<T> {
        switch self {
        case .ok(let v): return .ok(transform(v))
        case .failed(let d): return .failed(d)
        }
    }
}
