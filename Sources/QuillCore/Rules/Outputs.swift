import Foundation
import QuillGraph
import QuillImages

// Outputs: the list of the site's files and the node producing each, and the output nodes themselves (what each
// renders is in Pages.swift, Feeds.swift, Sitemap.swift and Redirects.swift).

extension Node {
    /// The output list's part made from the posts and pages: their pages, bundle files and aliases, and the
    /// pages listing them (home, tags, authors). Kept: when only the rest of the list changes (the search index
    /// gained a shard), the list is made again without reading every post's facts.
    struct ContentOutputs: SingleNode {
        typealias Value = OutputEntries
        static let kind = "outputs.content"

        func compute(_ c: SiteContext) throws -> OutputEntries {
            let index = try c.read(Index())
            let sources = try c.read(SourceFiles())
            let config = try c.config([.postsPerPage, .paginationAliases])
            let perPage = config.postsPerPage
            var part = OutputEntries()
            func add(_ id: OutputID, _ url: URLPath, _ origin: String) { part.add(id, url.outputPath.value, origin) }
            func paginated(_ list: PostList, count: Int, origin: String) {
                let total = max(1, (count + perPage - 1) / perPage)
                for n in 1...total { add(.list(list, page: n), PostList.page(n, of: list.base), origin) }
                guard list == .home else { return }  // jekyll-paginate paged the home page only
                for n in 1...total where n > 1 {
                    if let alias = config.paginationAlias(n) { add(.paginationAlias(n), alias, "site.toml pagination.aliases") }
                }
            }
            var bundleFiles = [String: [String]]()  // owner → its files
            for (file, owner) in sources.bundles { bundleFiles[owner, default: []].append(file) }
            func addBundle(of owner: String, at url: URLPath) {
                for file in bundleFiles[owner] ?? [] {
                    let target = SourceList.bundleTarget(file: file, owner: owner, ownerURL: url).value
                    part.add(.bundleFile(file), target, file)
                    if ImageFiles.isImage(file) { part.images.append((file, target)) }
                }
            }
            for path in index.posts {
                guard let post = try c.read(PostFacts(path)).value else { continue }
                add(.post(path), post.url, path)
                addBundle(of: path, at: post.url)
                for (n, alias) in post.aliases.enumerated() { add(.alias(.post, n: n, source: path), alias, path) }
            }
            for path in index.pages {
                guard let page = try c.read(PageCard(path)).value?.page else { continue }
                add(.page(path), page.url, path)
                addBundle(of: path, at: page.url)
                for (n, alias) in page.aliases.enumerated() { add(.alias(.page, n: n, source: path), alias, path) }
            }
            paginated(.home, count: index.posts.count, origin: "home page")
            for tag in index.tags {
                let base = URLPath("/tags/\(tag.slug)/")
                paginated(.tag(tag.slug), count: tag.posts.count, origin: "tag “\(tag.name)”")
                add(.tagFeed(.rss, slug: tag.slug), base.appending("feed.xml"), "tag “\(tag.name)” feed")
                add(.tagFeed(.atom, slug: tag.slug), base.appending("atom.xml"), "tag “\(tag.name)” feed")
            }
            for author in index.authors { add(.list(.author(author.slug), page: 1), PostList.author(author.slug).base, "author page") }
            // A redirect at each earlier URL of a post or page that moved (see `URLHistory`), where nothing else
            // is now (the output list checks that): a page published there since, or an alias, wins.
            let history = try c.read(URLHistory())
            for (owner, sources) in [(OutputID.AliasOwner.post, index.posts), (.page, index.pages)] {
                for source in sources.sorted() {
                    for (n, url) in history.item(source).was.enumerated() {
                        part.moved.append((OutputID.moved(owner, n: n, source: source).description, url.outputPath.value, source))
                    }
                }
            }
            return part
        }
    }

    /// Every file of the site and the output that produces it, sorted by path; with the clashes between them.
    struct Outputs: SingleNode {
        typealias Value = OutputList
        static let kind = "outputs"

        func compute(_ c: SiteContext) throws -> OutputList {
            let sources = try c.read(SourceFiles())
            let content = try c.read(ContentOutputs())
            var entries = content.entries
            func add(_ id: OutputID, _ url: URLPath, _ origin: String) { entries.append((id.description, url.outputPath.value, origin)) }
            add(.tagIndex, URLPath("/tags/"), "tag index")
            add(.archive, URLPath("/archive/"), "archive")
            add(.notFound, URLPath("/404.html"), "404 page")
            add(.feed(.rss), URLPath("/feed.xml"), "RSS feed")
            add(.feed(.atom), URLPath("/atom.xml"), "Atom feed")
            add(.feed(.json), URLPath("/feed.json"), "JSON feed")
            add(.sitemap, URLPath("/sitemap.xml"), "sitemap")
            for (path, format) in try c.config([.feedAliases]).feedAliases {
                guard let format = OutputID.FeedFormat(rawValue: format) else { continue }  // site.toml checked it
                    add(.feedAlias(format, path: path), URLPath(path), "site.toml feeds.aliases")
            }
            let search = try c.read(SearchLayout())
            if search.enabled {
                let folder = URLPath("/" + SearchGroups.folder)
                add(.searchManifest, folder.appending("manifest.json"), "search index")
                for key in search.shards { add(.searchShard(key), folder.appending(SearchFiles.shardFile(key)), "search index") }
                for n in 0..<search.docLists { add(.searchDocs(n), folder.appending("d-\(n).json"), "search index") }
                if sources.templates["search"] != nil { add(.searchPage, SearchGroups.pageURL, "search page") }
            }
            if sources.statics["robots.txt"] == nil { add(.robots, URLPath("/robots.txt"), "robots.txt") }
            var images = content.images
            for (path, source) in sources.statics.sorted(by: { $0.key < $1.key }) {
                entries.append((OutputID.staticFile(path).description, path, source))
                if ImageFiles.isImage(source) { images.append((source, path)) }
            }
            try addImageVariants(&entries, images, c)
            var taken = Set(entries.map(\.path))
            for moved in content.moved where taken.insert(moved.path).inserted { entries.append(moved) }
            entries.sort { ($0.path, $0.origin, $0.name) < ($1.path, $1.origin, $1.name) }
            var list = OutputList()
            for (a, b) in zip(entries, entries.dropFirst()) where a.path == b.path {
                let (first, second) = a.origin <= b.origin ? (a.origin, b.origin) : (b.origin, a.origin)
                list.diagnostics.append(Diagnostic(
                    SourceLocation(file: second, line: second.hasPrefix("content/") ? 1 : nil, column: 1),
                    "writes \(OutputPath(a.path).urlPath), which \(first) writes too",
                    hint: "give one of them a different `slug` (or date), or rename the file"))
            }
            // Names no file system takes: a component over 255 bytes (a very long slug or title).
            for entry in entries {
                guard let long = entry.path.split(separator: "/").first(where: { $0.utf8.count > 255 }) else { continue }
                list.diagnostics.append(Diagnostic(
                    SourceLocation(file: entry.origin, line: entry.origin.hasPrefix("content/") ? 1 : nil, column: 1),
                    "makes the file or folder name \(long.prefix(24))… of \(long.utf8.count) bytes, over the 255 that "
                        + "file systems allow",
                    hint: "set a shorter `slug` in the front matter"))
            }
            // A file where another output needs a folder (static/tags beside the tag pages in tags/).
            let origins = Dictionary(entries.map { ($0.path, $0.origin) }, uniquingKeysWith: { a, _ in a })
            for entry in entries {
                var folder = Substring(entry.path)
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    guard let file = origins[String(folder)] else { continue }
                    list.diagnostics.append(Diagnostic(
                        SourceLocation(file: file, line: file.hasPrefix("content/") ? 1 : nil, column: 1),
                        "writes the file \(folder), where \(entry.origin) needs a folder (for \(entry.path))",
                        hint: "rename or move \(file)"))
                    break
                }
            }
            list.entries = entries.map { OutputList.Entry(name: $0.name, path: $0.path) }
            return list
        }
    }

    /// One file of the site, rendered: the roots of the graph.
    struct Output: SiteNode {
        typealias Value = OutputFile
        static let kind = "out"
        static var keepsValue: Bool { false }  // handed to the writer; the state keeps its fingerprint
        /// The output's text form (see `OutputID`).
        let id: String
        /// The output, when known without parsing `id`.
        private let output: OutputID?

        init(_ output: OutputID) { (id, self.output) = (output.description, output) }

        /// The output an entry of the output list names (parsed only if it is rendered).
        init(_ entry: OutputList.Entry) { (id, output) = (entry.name, nil) }

        init?(id: String) {
            guard let output = OutputID(id) else { return nil }
            (self.id, self.output) = (id, output)
        }

        func compute(_ c: SiteContext) throws -> OutputFile {
            guard let output = output ?? OutputID(id) else { throw UnknownNode(key: key) }
            defer {
                if case .imageVariant = output { c.rules.progress?.tick(image: true) } else { c.rules.progress?.tick() }
            }
            return try OutputRenderer(c).render(output)
        }
    }

    /// Where a bundle file is published ("" when its post or page is not): beside its page, so that the page's
    /// relative links (`cat.png`, `img/map.svg`) find it.
    struct BundleTarget: NamedNode {
        typealias Value = String
        static let kind = "bundletarget"
        var id: String

        init(_ file: String) { id = file }

        func compute(_ c: SiteContext) throws -> String {
            let sources = try c.read(SourceFiles())
            guard let owner = sources.bundles[id] else { return "" }
            let url: URLPath?
            if owner.hasPrefix("content/posts/") {
                url = try c.read(PostFacts(owner)).value?.url
            } else {
                url = try c.read(PageCard(owner)).value?.page.url
            }
            guard let url else { return "" }
            return SourceList.bundleTarget(file: id, owner: owner, ownerURL: url).value
        }
    }

    /// The source file of a static output path.
    struct StaticSource: NamedNode {
        typealias Value = String
        static let kind = "staticsource"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> String { try c.read(SourceFiles()).statics[id] ?? "" }
    }
}

/// The files of the site and the output node producing each.
struct OutputList: GraphValue {
    struct Entry: Equatable, Sendable {
        /// The output's text form (`OutputID.description`), kept as made: a build lists every output, and making
        /// and parsing 20,000 of them again showed in an incremental build's time.
        let name: String
        /// Where the file goes, relative to the output folder.
        let path: String

        init(_ id: OutputID, path: String) { (name, self.path) = (id.description, path) }

        fileprivate init(name: String, path: String) { (self.name, self.path) = (name, path) }

        /// Which output it is (nil only for a name no `OutputID` made).
        var id: OutputID? { OutputID(name) }
    }

    /// Sorted by path.
    var entries: [Entry] = []
    var diagnostics: [Diagnostic] = []

    init() {}

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(entries.count))
        for entry in entries {
            w.write(entry.name)
            w.write(entry.path)
        }
        diagnostics.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        let count = try r.readVarint()
        entries.reserveCapacity(Int(min(count, 1 << 20)))
        for _ in 0..<count {
            entries.append(Entry(name: try r.readString(), path: try r.readString()))
        }
        diagnostics = try [Diagnostic](from: &r)
    }
}

/// Entries of the output list, unsorted: each output's text form, path and what it comes from (for messages).
struct OutputEntries: GraphValue {
    var entries: [(name: String, path: String, origin: String)] = []
    /// The images among them, as (source, published path): their resized copies are listed too.
    var images: [(source: String, path: String)] = []
    /// Redirects from earlier URLs, in order: each is listed where no other output (nor an earlier one) is.
    var moved: [(name: String, path: String, origin: String)] = []

    init() {}

    mutating func add(_ id: OutputID, _ path: String, _ origin: String) { entries.append((id.description, path, origin)) }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(entries.count))
        for entry in entries {
            w.write(entry.name)
            w.write(entry.path)
            w.write(entry.origin)
        }
        w.write(UInt64(images.count))
        for image in images {
            w.write(image.source)
            w.write(image.path)
        }
        w.write(UInt64(moved.count))
        for entry in moved {
            w.write(entry.name)
            w.write(entry.path)
            w.write(entry.origin)
        }
    }

    init(from r: inout BinaryReader) throws {
        let count = try r.readVarint()
        entries.reserveCapacity(Int(min(count, 1 << 20)))
        for _ in 0..<count { entries.append((try r.readString(), try r.readString(), try r.readString())) }
        for _ in 0..<(try r.readVarint()) { images.append((try r.readString(), try r.readString())) }
        for _ in 0..<(try r.readVarint()) { moved.append((try r.readString(), try r.readString(), try r.readString())) }
    }
}

/// A rendered output file.
struct OutputFile: GraphValue {
    var path: String
    var bytes: Data

    func encode(to w: inout BinaryWriter) {
        w.write(path)
        w.write(bytes)
    }

    init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }

    init(from r: inout BinaryReader) throws {
        path = try r.readString()
        bytes = try r.readData()
    }

    /// A page's bytes are hashed where they are, not copied into an encoding first.
    var fingerprint: Fingerprint {
        var hasher = StableHasher()
        hasher.combine(path)
        hasher.combine(UInt64(bytes.count))
        bytes.withUnsafeBytes { hasher.combine($0) }
        return hasher.finalize()
    }
}

extension Node.Outputs {
    /// The resized copies of every published image (`images`: source and published path), beside it
    /// (`cat.jpg` → `cat-480w.jpg`, `cat-480w.webp`).
    private func addImageVariants(_ entries: inout [(name: String, path: String, origin: String)],
                                  _ images: [(source: String, path: String)], _ c: SiteContext) throws {
        guard !images.isEmpty else { return }
        let settings = try c.config([.images]).images
        for (source, path) in images {
            let plan = try c.read(Node.Image(source)).plan(settings)
            for width in plan.widths {
                for format in plan.formats {
                    entries.append((OutputID.imageVariant(source, width: width, format: format).description,
                                    ImageHTML.variantName(path, width: width, format: format), source))
                }
            }
        }
    }
}
