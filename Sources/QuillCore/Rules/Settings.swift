import Foundation
import QuillImages
import QuillMarkdown
import QuillGraph

// Settings and sources: `site.toml` read once, each of its settings a node of its own, and which files make up
// the site.

extension Node {
    /// The parsed `site.toml`: every setting, or the errors; with its warnings.
    struct Settings: SingleNode {
        typealias Value = ConfigValue
        static let kind = "config"

        func compute(_ c: SiteContext) throws -> ConfigValue {
            let file = Input.File(ConfigParser.file)
            let data = try c.read(file)
            guard !data.isEmpty || c.fingerprint(of: file) != .absent else {
                return ConfigValue(config: nil, diagnostics: [Diagnostic(
                    SourceLocation(file: c.rules.loader.root.path + "/site.toml"), "no site.toml here",
                    hint: "run quill in a site folder, pass --source DIR, or create a site with `quill new site DIR`")])
            }
            let text: String
            switch SiteLoader.decodeUTF8(data, path: ConfigParser.file) {
            case .success(let t): text = t
            case .failure(let d): return ConfigValue(config: nil, diagnostics: [d])
            }
            var (config, diagnostics) = ConfigParser.parse(text)
            let baseURL = try c.read(Input.Option(.baseURL))
            if !baseURL.isEmpty { config?.baseURL = baseURL }
            if diagnostics.contains(where: { $0.severity == .error }) { config = nil }
            return ConfigValue(config: config, diagnostics: diagnostics)
        }
    }

    /// One setting of `site.toml`, encoded (empty when the file is broken): pages depend only on the settings they
    /// read (see `SiteContext.config`).
    struct Setting: SiteNode {
        typealias Value = Data
        static let kind = "config.field"
        var field: ConfigField
        var id: String { field.rawValue }

        init(_ field: ConfigField) { self.field = field }

        init?(id: String) {
            guard let field = ConfigField(rawValue: id) else { return nil }
            self.field = field
        }

        func compute(_ c: SiteContext) throws -> Data {
            try c.read(Settings()).config?.encoded(field) ?? Data()
        }
    }

    /// Which files make up the site: posts, pages, and the templates and static files of the theme and the site.
    struct SourceFiles: SingleNode {
        typealias Value = SourceList
        static let kind = "sources"

        func compute(_ c: SiteContext) throws -> SourceList {
            var list = SourceList()
            let all = try c.read(Input.Listing("content"))
            let content = all.filter { SourceList.isContent($0) }
            list.posts = content.filter { $0.hasPrefix("content/posts/") }
            list.pages = content.filter { !$0.hasPrefix("content/posts/") }
            list.bundles = SourceList.bundles(all)
            let theme = try c.config([.theme]).theme
            var themeDir = "themes/\(theme)"
            var themeTemplates = try c.read(Input.Listing(themeDir + "/templates"))
            var themeStatic = try c.read(Input.Listing(themeDir + "/static"))
            if themeTemplates.isEmpty && themeStatic.isEmpty {
                if theme == EmbeddedTheme.name {
                    themeDir = String(SiteInputs.builtInPrefix.dropLast())
                    themeTemplates = try c.read(Input.Listing(themeDir + "/templates"))
                    themeStatic = try c.read(Input.Listing(themeDir + "/static"))
                } else {
                    list.problems.append(try Self.themeNotFound(theme, c))
                }
            }
            for (files, folder) in [(themeTemplates, themeDir + "/templates"),
                                    (try c.read(Input.Listing("templates")), "templates")] {
                for path in files where path.hasSuffix(".mustache") {
                    list.templates[SiteLoader.templateName(path, under: folder)] = path
                }
            }
            for (files, folder) in [(themeStatic, themeDir + "/static"), (try c.read(Input.Listing("static")), "static")] {
                for path in files { list.statics[OutputPath(String(path.dropFirst(folder.count + 1))).value] = path }
            }
            return list
        }

        /// One error for a theme that is not there, at its line of site.toml, naming the closest theme there is.
        private static func themeNotFound(_ theme: String, _ c: SiteContext) throws -> Diagnostic {
            let installed = Set(try c.read(Input.Listing("themes")).compactMap { path in
                path.split(separator: "/").dropFirst().first.map(String.init)
            })
            let known = installed.union([EmbeddedTheme.name]).sorted()
            let text = String(decoding: (try? c.read(Input.File(ConfigParser.file))) ?? Data(), as: UTF8.self)
            let line = FrontMatter.tomlKeyLines(text, firstLine: 1)["theme"] ?? 1
            let hint: String
            if let near = Suggestion.closest(to: theme, among: known) {
                hint = "did you mean `theme = \"\(near)\"`? Themes here: \(known.joined(separator: ", "))"
            } else {
                hint = "themes here: \(known.joined(separator: ", ")) (`default` is built in); `quill new theme \(theme)` "
                    + "makes themes/\(theme)/ from the built-in one"
            }
            return Diagnostic(SourceLocation(file: ConfigParser.file, line: line, column: 1),
                              "theme \"\(theme)\" not found (no themes/\(theme)/templates/)", hint: hint)
        }
    }
}

/// One setting of `site.toml`, a node of its own so that pages depend only on the settings they read.
enum ConfigField: String, CaseIterable, Sendable {
    case title, description, baseURL, language, author, timeZone, theme, postsPerPage, permalink, feedLimit,
         feedFullContent, params, excerptSeparator, feedAliases, paginationAliases, highlight, images, search, related
}

extension SiteConfig {
    func encoded(_ field: ConfigField) -> Data {
        var w = BinaryWriter()
        switch field {
        case .title: w.write(title)
        case .description: w.write(description)
        case .baseURL: w.write(baseURL)
        case .language: w.write(language)
        case .author: w.write(author)
        case .timeZone: w.write(timeZone.identifier)
        case .theme: w.write(theme)
        case .postsPerPage: w.write(postsPerPage)
        case .permalink: w.write(permalink.pattern)
        case .feedLimit: w.write(feedLimit)
        case .feedFullContent: w.write(feedFullContent)
        case .params: Params(params).encode(to: &w)
        case .excerptSeparator: w.write(excerptSeparator)
        case .feedAliases: Params(feedAliases.mapValues(MetadataValue.string)).encode(to: &w)
        case .paginationAliases: w.write(paginationAliases)
        case .highlight:
            w.write(highlight.enabled)
            w.write(highlight.lineNumbers)
            w.write(highlight.tabWidth)
        case .images:
            w.write(images.enabled)
            w.write(images.variants)
            w.write(images.widths.count)
            for width in images.widths { w.write(width) }
            w.write(images.contentWidth)
            w.write(images.sizes)
            w.write(images.quality)
            w.write(images.stripMetadata)
            w.write(images.maxPixels)
        case .search:
            w.write(search.enabled)
            search.fields.encode(to: &w)
        case .related: w.write(relatedCount)
        }
        return Data(w.bytes)
    }

    mutating func set(_ field: ConfigField, from data: Data) throws {
        try data.withUnsafeBytes { raw in
            var r = BinaryReader(raw)
            switch field {
            case .title: title = try r.readString()
            case .description: description = try r.readString()
            case .baseURL: baseURL = try r.readString()
            case .language: language = try r.readString()
            case .author: author = try r.readString()
            case .timeZone: timeZone = TimeZone(identifier: try r.readString()) ?? timeZone
            case .theme: theme = try r.readString()
            case .postsPerPage: postsPerPage = try r.readInt()
            case .permalink: permalink = (try? Permalink(try r.readString())) ?? .default
            case .feedLimit: feedLimit = try r.readInt()
            case .feedFullContent: feedFullContent = try r.readBool()
            case .params: params = try Params(from: &r).values
            case .excerptSeparator: excerptSeparator = try r.readString()
            case .feedAliases: feedAliases = try Params(from: &r).values.compactMapValues(\.stringValue)
            case .paginationAliases: paginationAliases = try r.readString()
            case .highlight:
                highlight = HighlightSettings(enabled: try r.readBool(), lineNumbers: try r.readBool(),
                                              tabWidth: try r.readInt())
            case .images:
                var v = ImageSettings()
                v.enabled = try r.readBool()
                v.variants = try r.readBool()
                let count = try r.readInt()
                guard count >= 0, count <= 64 else { throw BinaryReader.Malformed() }
                v.widths = try (0..<count).map { _ in try r.readInt() }
                v.contentWidth = try r.readInt()
                v.sizes = try r.readString()
                v.quality = try r.readInt()
                v.stripMetadata = try r.readBool()
                v.maxPixels = try r.readInt()
                images = v
            case .search:
                search.enabled = try r.readBool()
                search.fields = try [String](from: &r)
            case .related: relatedCount = try r.readInt()
            }
        }
    }
}

/// The parsed `site.toml`: every field, or the errors; with its warnings.
struct ConfigValue: GraphValue {
    var config: SiteConfig?
    var diagnostics: [Diagnostic]

    func encode(to w: inout BinaryWriter) {
        diagnostics.encode(to: &w)
        w.write(config != nil)
        if let config { for field in ConfigField.allCases { w.write(config.encoded(field)) } }
    }

    init(config: SiteConfig?, diagnostics: [Diagnostic]) {
        self.config = config
        self.diagnostics = diagnostics
    }

    init(from r: inout BinaryReader) throws {
        diagnostics = try [Diagnostic](from: &r)
        guard try r.readBool() else { return }
        var config = SiteConfig(title: "")
        for field in ConfigField.allCases { try config.set(field, from: try r.readData()) }
        self.config = config
    }
}

/// Which files make up the site, after the site's templates and static files override the theme's.
struct SourceList: GraphValue {
    var posts: [String] = []
    var pages: [String] = []
    /// Template name → file.
    var templates: [String: String] = [:]
    /// Output path → file.
    var statics: [String: String] = [:]
    /// A file beside a bundle's `index.md` (at any depth below it) → that index file, the post or page it belongs to.
    var bundles: [String: String] = [:]
    var problems: [Diagnostic] = []

    init() {}

    static func isContent(_ path: String) -> Bool {
        path.hasSuffix(".md") || path.hasSuffix(".markdown") || path.hasSuffix(".html")
    }

    static let indexNames = ["index.md", "index.markdown", "index.html", "_index.md"]

    /// Every file of `content/` that is not a post or page, with the nearest bundle index above it (Hugo's leaf
    /// bundles: `content/posts/trip/index.md` owns `content/posts/trip/cat.png` and `trip/img/map.svg`).
    static func bundles(_ files: [String]) -> [String: String] {
        var indexes = [String: String]()  // folder → its index file
        for path in files where isContent(path) {
            guard let slash = path.lastIndex(of: "/"), indexNames.contains(String(path[path.index(after: slash)...]))
            else { continue }
            let folder = String(path[..<slash])
            if folder != "content", folder != "content/posts", indexes[folder] == nil { indexes[folder] = path }
        }
        guard !indexes.isEmpty else { return [:] }
        var owners = [String: String]()
        for path in files where !isContent(path) {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if let index = indexes[String(folder)] {
                    owners[path] = index
                    break
                }
            }
        }
        return owners
    }

    /// Where a bundle file is published: beside its page (`/2024/01/02/trip/` + `img/map.svg`).
    static func bundleTarget(file: String, owner: String, ownerURL: URLPath) -> OutputPath {
        let bundleFolder = owner[..<(owner.lastIndex(of: "/") ?? owner.startIndex)]
        let relative = String(file.dropFirst(bundleFolder.count + 1))
        var base = ownerURL.value
        if !base.hasSuffix("/") { base = String(base[...(base.lastIndex(of: "/") ?? base.startIndex)]) }
        return URLPath(base + relative).outputPath
    }

    func encode(to w: inout BinaryWriter) {
        posts.encode(to: &w)
        pages.encode(to: &w)
        for table in [templates, statics, bundles] {
            w.write(UInt64(table.count))
            for key in table.keys.sorted() {
                w.write(key)
                w.write(table[key]!)
            }
        }
        problems.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        posts = try [String](from: &r)
        pages = try [String](from: &r)
        for i in 0..<3 {
            var table = [String: String]()
            for _ in 0..<(try r.readVarint()) { table[try r.readString()] = try r.readString() }
            switch i {
            case 0: templates = table
            case 1: statics = table
            default: bundles = table
            }
        }
        problems = try [Diagnostic](from: &r)
    }
}

