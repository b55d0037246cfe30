import Foundation
import QuillGraph
import QuillImages
import QuillMarkdown
import QuillTemplates

/// Renders one output node: which template or writer, with what context, from what reads. What each kind of
/// output renders is in the file of its concern: Pages.swift, Feeds.swift, Sitemap.swift, Redirects.swift.
struct OutputRenderer {
    let context: SiteContext
    let templates: TemplateSet?

    init(_ context: SiteContext) {
        self.context = context
        templates = try? context.graph.readUnrecorded(Node.Templates()).set
    }

    func render(_ output: OutputID) throws -> OutputFile {
        switch output {
        case .post(let path): return try post(path)
        case .page(let path): return try page(path)
        case .list(let list, let n): return try self.list(list, page: n)
        case .tagIndex: return try tagIndex()
        case .archive: return try archive()
        case .notFound: return try notFound()
        case .feed(let format): return try siteFeed(format)
        case .tagFeed(let format, let slug): return try tagFeed(format, slug: slug)
        case .feedAlias(let format, let path):
            return OutputFile(path: URLPath(path).outputPath.value, bytes: try siteFeed(format).bytes)
        case .alias(let owner, let n, let source): return try redirect(owner, n, source)
        case .moved(let owner, let n, let source): return try movedRedirect(owner, n, source)
        case .paginationAlias(let n): return try paginationRedirect(n)
        case .sitemap: return try sitemap()
        case .robots: return try robots()
        case .searchPage: return try searchPage()
        case .searchManifest, .searchShard, .searchDocs: return try searchFile(output)
        case .staticFile(let path):
            let source = try context.read(Node.StaticSource(path))
            return OutputFile(path: path, bytes: try published(source))
        case .bundleFile(let source):
            let path = try context.read(Node.BundleTarget(source))
            guard !path.isEmpty else { throw missing(output) }
            return OutputFile(path: path, bytes: try published(source))
        case .imageVariant(let source, let width, let format): return try imageVariant(source, width, format)
        }
    }

    /// An output that names what the site does not have (a post since removed from the index): a bug in the rules.
    func missing(_ output: OutputID) -> UnknownNode { UnknownNode(key: Node.Output(output).key) }

    // MARK: What every kind reads

    func card(_ path: String) throws -> Post? { try context.read(Node.PostCard(path)).value?.post }

    /// Title, date, URL and tags only: for pages that show no text of the post.
    func meta(_ path: String) throws -> Post? { try context.read(Node.PostMeta(path)).value?.post }

    /// Dates, tags, author and URL only (no title): for what only places or dates a post.
    func facts(_ path: String) throws -> Post.Facts? { try context.read(Node.PostFacts(path)).value }

    func fullPost(_ path: String) throws -> Post? { try context.read(Node.FullPost(path)).value }

    /// How much of each post a page listing posts reads: no more than its template shows, so that a body edit
    /// renders again only the lists that show the body.
    enum Reading: String {
        /// Title, dates, URL, tags (`Post.Meta`).
        case meta
        /// And the summary and reading time (`Post.Card`).
        case card
        /// The whole post: a template that shows a listed post's `content` or `toc`.
        case full
    }

    /// What template `template` needs of the posts it lists.
    func reading(_ template: String) -> Reading {
        guard let templates else { return .card }
        if ["content", "toc", "hasToc"].contains(where: { templates.reads(template, post: $0) }) { return .full }
        if ["summary", "hasMore", "wordCount", "readingTime"].contains(where: { templates.reads(template, post: $0) }) {
            return .card
        }
        return .meta
    }

    /// The post at `path` as a list item of a page that reads posts with `reading`.
    func listed(_ path: String, _ reading: Reading, _ config: SiteConfig) throws -> Views.PostView? {
        let post: Post?
        switch reading {
        case .meta: post = try meta(path)
        case .card: post = try card(path)
        case .full: post = try fullPost(path)
        }
        return try post.map { try postView($0, config, key: reading.rawValue + ":" + path) }
    }

    func config(_ fields: [ConfigField]) throws -> SiteConfig { try context.config(fields) }

    /// A post's template view, its tags spelled as the rest of the site spells them.
    /// `key` (`card:PATH`, `meta:PATH`, `full:PATH`) lets a list render the post's item once in a build (`RenderCache`).
    func postView(_ post: Post, _ config: SiteConfig, key: String? = nil) throws -> Views.PostView {
        var config = config
        if post.image != nil { config.images = try self.config([.images]).images }  // `post.image.sizes`
        return Views.PostView(try spelledAsSite(post), config, key: key)
    }

    /// `post` with its tags spelled as the rest of the site spells them (`python` and `Python` are one tag).
    func spelledAsSite(_ post: Post) throws -> Post {
        let names = try context.read(Node.TagNames(post.source))
        if names.count == post.tags.count, zip(names, post.tags).allSatisfy({ $0 == $1.name }) { return post }
        var post = post
        for (i, name) in names.enumerated() where i < post.tags.count { post.tags[i].name = name }
        return post
    }

    // MARK: HTML pages

    static let pageKinds = ["post", "page", "home", "tag", "tags", "archive", "author", "404", "search"]

    func pageView(kind: String, title: String, url: URLPath, description: String? = nil,
                  isFirstPage: Bool = true) throws -> [String: TemplateValue] {
        let config = try self.config([.baseURL] + (description == nil ? [.description] : []))
        var view: [String: TemplateValue] = [
            "kind": .string(kind), "title": .string(title), "url": .string(config.relativeURL(for: url)),
            "permalink": .string(config.absoluteURL(for: url)), "description": .string(description ?? config.description),
            "isFirstPage": .bool(isFirstPage),
        ]
        for other in Self.pageKinds { view["is" + other.prefix(1).uppercased() + other.dropFirst()] = .bool(other == kind) }
        return view
    }

    /// The page `template` renders at `url`, with the `site`, `page` and `feeds` every page has.
    func html(_ template: String, _ url: URLPath, page: [String: TemplateValue], feeds: [TemplateValue] = [],
              _ extra: [String: TemplateValue] = [:]) throws -> OutputFile {
        try context.touch(Node.TemplateClosure(template))
        let config = try self.config([.title, .baseURL])
        let siteFeeds = [
            Views.feedLink("application/rss+xml", "\(config.title) (RSS)", config.relativeURL(for: URLPath("/feed.xml"))),
            Views.feedLink("application/atom+xml", "\(config.title) (Atom)", config.relativeURL(for: URLPath("/atom.xml"))),
            Views.feedLink("application/feed+json", "\(config.title) (JSON Feed)",
                           config.relativeURL(for: URLPath("/feed.json"))),
        ]
        let site = SiteView(context)
        var full = extra
        full["site"] = .object(site.handle)
        full["page"] = Views.page.record(page)
        full["feeds"] = .list(feeds + siteFeeds)
        guard let templates else { throw UnknownNode(key: Node.TemplateText(template).key) }
        let root = Views.root.record(full)
        let bytes = templates.render(template, root)
        if let failure = site.failure { throw failure }
        context.rules.renderObserver?(template, templates.texts, root, bytes)
        return OutputFile(path: url.outputPath.value, bytes: Data(bytes))
    }
}

// MARK: Files published as they are, and resized copies

extension OutputRenderer {
    /// A static or bundle file's bytes as published: an image loses its metadata when `[images] strip_metadata`
    /// says so (only images read the setting, so changing it does not copy every other file again).
    func published(_ source: String) throws -> Data {
        let bytes = try context.read(Input.File(source))
        guard ImageFiles.isImage(source), try config([.images]).images.stripMetadata,
              try context.read(Node.Image(source)).header?.hasMetadata == true,
              let stripped = MetadataStripper.stripped([UInt8](bytes)) else { return bytes }
        return Data(stripped)
    }

    /// The copy of `source` at `width` in `format`, beside the published original.
    func imageVariant(_ source: String, _ width: Int, _ format: VariantFormat) throws -> OutputFile {
        let original: String
        if source.hasPrefix("content/") {
            original = try context.read(Node.BundleTarget(source))
        } else {
            original = ImageFiles.staticOutputPath(source) ?? ""
        }
        let settings = try config([.images]).images
        let plan = try context.read(Node.Image(source)).plan(settings)
        guard !original.isEmpty, let largest = plan.widths.last, plan.widths.contains(width),
              plan.formats.contains(format) else { throw missing(.imageVariant(source, width: width, format: format)) }
        let path = ImageHTML.variantName(original, width: width, format: format)
        let bytes = try context.read(Input.File(source))
        let identity = source + "#" + bytes.withUnsafeBytes { Fingerprint.of($0) }.description
        do {
            return OutputFile(path: path, bytes: try VariantMaker.shared.variant(
                of: bytes, identity: identity, baseWidth: largest, width: width, format: format,
                quality: settings.quality))
        } catch {
            // The header read well but the pixels do not decode: the page still shows the original, which
            // browsers recognise by its bytes whatever the copy's name says.
            context.rules.warnings.add([Diagnostic(
                SourceLocation(file: source), "cannot resize the image (\(error)); its copies are the original",
                hint: "the file may be damaged: open it in an image editor and save it again", severity: .warning)])
            return OutputFile(path: path, bytes: bytes)
        }
    }
}
