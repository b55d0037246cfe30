import Foundation
import QuillMarkdown

/// What a blog's build graph consists of: for each kind of node, how it computes from what it reads.
///
/// Content: `config`, `config.field <name>`, `sources`, `post <path>` (parsed, full body), `post.card <path>`
/// (without the body: what lists need), `post.meta <path>` (without any text), `post.facts <path>` (without title
/// and text: dates, tags, author, URL), `page <path>`, `page.card <path>`, `index` (published posts in order, tags,
/// authors), `neighbours <path>`, `slice <list>:<n>`, `feeditems <list>`, `menu`, `facts`, `template <name>`,
/// `template.closure <name>`, `outputs`. Outputs: `out <id>` (see `OutputRules`).
struct SiteRules: GraphRules {
    let loader: SiteLoader
    /// The build's clock; rules that depend on it record `clock.before` reads.
    let now: Date
    let positions = IndexPositions()
    /// The compiled templates of this build, set by the builder once they have been checked.
    let templates = TemplateBox()

    func isRoot(_ key: NodeKey) -> Bool { key.kind == "out" }

    func keepsValue(_ key: NodeKey) -> Bool {
        switch key.kind {
        // Cards are cheap to compute again from their post when a list needs one, and would be a third of the
        // state; the metadata of every post is needed at once by the index, so it is kept.
        // Facts are made again from the kept metadata in no time.
        case "post", "post.card", "post.facts", "page", "out": return false
        default: return true
        }
    }

    func decode(_ key: NodeKey, _ r: inout BinaryReader) throws -> any GraphValue {
        switch key.kind {
        case "config": return try ConfigValue(from: &r)
        case "config.field": return try Data(from: &r)
        case "sources": return try SourceList(from: &r)
        case "post.card", "post.meta", "post.facts": return try Parsed<Post>(from: &r)
        case "page.card": return try Parsed<Page>(from: &r)
        case "index": return try SiteIndex(from: &r)
        case "neighbours", "feeditems", "template.closure", "facts", "tagnames": return try [String](from: &r)
        case "slice", "menu": return try [[String]](from: &r)
        case "template", "staticsource": return try String(from: &r)
        case "outputs": return try OutputList(from: &r)
        default: throw BinaryReader.Malformed()
        }
    }

    func compute(_ key: NodeKey, _ c: ComputeContext) throws -> any GraphValue {
        switch key.kind {
        case "config": return try config(c)
        case "config.field":
            guard let field = ConfigField(rawValue: key.id) else { throw GraphTypeMismatch(key: key) }
            return try c.read(NodeKey("config"), as: ConfigValue.self).config?.encoded(field) ?? Data()
        case "sources": return try sources(c)
        case "post": return try parsePost(key.id, c)
        case "post.card": return try c.read(NodeKey("post", key.id), as: Parsed<Post>.self).map { $0.card }
        case "post.meta": return try c.read(NodeKey("post", key.id), as: Parsed<Post>.self).map { $0.meta }
        case "post.facts": return try c.read(NodeKey("post.meta", key.id), as: Parsed<Post>.self).map { $0.facts }
        case "page": return try parsePage(key.id, c)
        case "page.card": return try c.read(NodeKey("page", key.id), as: Parsed<Page>.self).map { page in
            var card = page
            card.body = .empty
            return card
        }
        case "index": return try index(c)
        case "neighbours": return try neighbours(key.id, c)
        case "tagnames": return try tagNames(key.id, c)
        case "slice": return try slice(key.id, c)
        case "feeditems": return try feedItems(key.id, c)
        case "menu": return try menu(c)
        case "facts": return try facts(c)
        case "template":
            guard let path = try c.read(NodeKey("sources"), as: SourceList.self).templates[key.id] else { return "" }
            return String(decoding: try c.read(NodeKey("file", path), as: Data.self), as: UTF8.self)
        case "template.closure": return try templateClosure(key.id, c)
        case "staticsource": return try c.read(NodeKey("sources"), as: SourceList.self).statics[key.id] ?? ""
        case "outputs": return try outputs(c)
        case "out": return try OutputRules(context: c, templates: templates.value).render(key.id)
        default: throw GraphTypeMismatch(key: key)
        }
    }

    // MARK: Settings and sources

    private func config(_ c: ComputeContext) throws -> ConfigValue {
        let data = try c.read(NodeKey("file", ConfigParser.file), as: Data.self)
        guard !data.isEmpty || c.graph.fingerprint(of: NodeKey("file", ConfigParser.file)) != .absent else {
            return ConfigValue(config: nil, diagnostics: [Diagnostic(
                SourceLocation(file: loader.root.path + "/site.toml"), "no site.toml here",
                hint: "run quill in a site folder, pass --source DIR, or create a site with `quill new site DIR`")])
        }
        let text: String
        switch SiteLoader.decodeUTF8(data, path: ConfigParser.file) {
        case .success(let t): text = t
        case .failure(let d): return ConfigValue(config: nil, diagnostics: [d])
        }
        var (config, diagnostics) = ConfigParser.parse(text)
        let baseURL = try c.read(NodeKey("option", "baseURL"), as: String.self)
        if !baseURL.isEmpty { config?.baseURL = baseURL }
        if diagnostics.contains(where: { $0.severity == .error }) { config = nil }
        return ConfigValue(config: config, diagnostics: diagnostics)
    }

    /// A `SiteConfig` holding the given settings (the others left at their defaults), each read recorded.
    static func config(_ c: ComputeContext, _ fields: [ConfigField]) throws -> SiteConfig {
        var config = SiteConfig(title: "")
        for field in fields {
            let data = try c.read(NodeKey("config.field", field.rawValue), as: Data.self)
            if data.isEmpty {  // site.toml is broken (an incremental build checks this rule before the builder can)
                let errors = try c.read(NodeKey("config"), as: ConfigValue.self).diagnostics.filter { $0.severity == .error }
                if !errors.isEmpty { throw BuildFailure(errors) }
            }
            try config.set(field, from: data)
        }
        return config
    }

    private func sources(_ c: ComputeContext) throws -> SourceList {
        var list = SourceList()
        let content = try c.read(NodeKey("listing", "content"), as: [String].self).filter {
            $0.hasSuffix(".md") || $0.hasSuffix(".markdown") || $0.hasSuffix(".html")
        }
        list.posts = content.filter { $0.hasPrefix("content/posts/") }
        list.pages = content.filter { !$0.hasPrefix("content/posts/") }
        let theme = try Self.config(c, [.theme]).theme
        var themeDir = "themes/\(theme)"
        var themeTemplates = try c.read(NodeKey("listing", themeDir + "/templates"), as: [String].self)
        var themeStatic = try c.read(NodeKey("listing", themeDir + "/static"), as: [String].self)
        if themeTemplates.isEmpty && themeStatic.isEmpty {
            if theme == EmbeddedTheme.name {
                themeDir = String(SiteInputs.builtInPrefix.dropLast())
                themeTemplates = try c.read(NodeKey("listing", themeDir + "/templates"), as: [String].self)
                themeStatic = try c.read(NodeKey("listing", themeDir + "/static"), as: [String].self)
            } else {
                list.problems.append(try Self.themeNotFound(theme, c))
            }
        }
        for (files, folder) in [(themeTemplates, themeDir + "/templates"),
                                (try c.read(NodeKey("listing", "templates"), as: [String].self), "templates")] {
            for path in files where path.hasSuffix(".mustache") {
                list.templates[SiteLoader.templateName(path, under: folder)] = path
            }
        }
        for (files, folder) in [(themeStatic, themeDir + "/static"),
                                (try c.read(NodeKey("listing", "static"), as: [String].self), "static")] {
            for path in files { list.statics[OutputPath(String(path.dropFirst(folder.count + 1))).value] = path }
        }
        return list
    }

    /// One error for a theme that is not there, at its line of site.toml, naming the closest theme there is.
    private static func themeNotFound(_ theme: String, _ c: ComputeContext) throws -> Diagnostic {
        let installed = Set(try c.read(NodeKey("listing", "themes"), as: [String].self).compactMap { path in
            path.split(separator: "/").dropFirst().first.map(String.init)
        })
        let known = installed.union([EmbeddedTheme.name]).sorted()
        let text = String(decoding: (try? c.read(NodeKey("file", ConfigParser.file), as: Data.self)) ?? Data(), as: UTF8.self)
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

    private func sourceFile(_ path: String, _ c: ComputeContext) throws -> Result<SourceFile, Diagnostic> {
        let data: Data
        do {
            data = try c.read(NodeKey("file", path), as: Data.self)
        } catch let unreadable as BuildFailure {  // one post that cannot be read is one error among the others
            guard let problem = unreadable.diagnostics.first else { throw unreadable }
            return .failure(problem)
        }
        guard data.count <= Self.sourceSizeLimit else {
            return .failure(Diagnostic(
                SourceLocation(file: path),
                "the file is \(data.count / 1_000_000) MB; posts and pages may be at most "
                    + "\(Self.sourceSizeLimit / 1_000_000) MB",
                hint: "split it into several posts, or move large data (images, archives) to static/ and link to it"))
        }
        return SiteLoader.decodeUTF8(data, path: path).map {
            SourceFile(path: path, text: SiteLoader.unixLineEndings($0))
        }
    }

    /// The largest post or page read (20 MB): a 100 MB post takes cmark-gfm and the pages made from it over ten
    /// seconds and two gigabytes; no one writes that much text, so such a file is a mistake, said at once.
    static let sourceSizeLimit = 20_000_000

    private func parsePost(_ path: String, _ c: ComputeContext) throws -> Parsed<Post> {
        let file: SourceFile
        switch try sourceFile(path, c) {
        case .success(let f): file = f
        case .failure(let d): return .failed([d])
        }
        let config = try Self.config(c, [.timeZone, .permalink, .baseURL, .author, .excerptSeparator])
        switch ContentParser(config: config).parsePost(file) {
        case .success(let post): return .ok(post)
        case .failure(let failure): return .failed(failure.diagnostics)
        }
    }

    private func parsePage(_ path: String, _ c: ComputeContext) throws -> Parsed<Page> {
        let file: SourceFile
        switch try sourceFile(path, c) {
        case .success(let f): file = f
        case .failure(let d): return .failed([d])
        }
        let config = try Self.config(c, [.timeZone, .baseURL, .excerptSeparator])
        switch ContentParser(config: config).parsePage(file) {
        case .success(let page): return .ok(page)
        case .failure(let failure): return .failed(failure.diagnostics)
        }
    }

    private func templateClosure(_ name: String, _ c: ComputeContext) throws -> [String] {
        var seen: Set<String> = [name]
        var queue = [name]
        var closure = [String]()
        while let next = queue.popLast() {
            let text = try c.read(NodeKey("template", next), as: String.self)
            closure.append("\(next) \(Fingerprint.of(Array(text.utf8)))")  // names and texts: a change to either shows
            for reference in TemplateSet.references(in: text) where seen.insert(reference.name).inserted {
                queue.append(reference.name)
            }
        }
        return closure.sorted()
    }
}

extension Parsed {
    func map<T>(_ transform: (Value) -> T) -> Parsed<T> {
        switch self {
        case .ok(let v): return .ok(transform(v))
        case .failed(let d): return .failed(d)
        }
    }
}
