import Foundation

// Values of the site's graph nodes that are not content model types.

/// One setting of `site.toml`, a node of its own so that pages depend only on the settings they read.
enum ConfigField: String, CaseIterable, Sendable {
    case title, description, baseURL, language, author, timeZone, theme, postsPerPage, permalink, feedLimit,
         feedFullContent, params, excerptSeparator, feedAliases, paginationAliases
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
    var problems: [Diagnostic] = []

    init() {}

    func encode(to w: inout BinaryWriter) {
        posts.encode(to: &w)
        pages.encode(to: &w)
        for table in [templates, statics] {
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
        for i in 0..<2 {
            var table = [String: String]()
            for _ in 0..<(try r.readVarint()) { table[try r.readString()] = try r.readString() }
            if i == 0 { templates = table } else { statics = table }
        }
        problems = try [Diagnostic](from: &r)
    }
}

/// The published posts in order and how they group: the one node every list is cut from.
struct SiteIndex: GraphValue {
    struct Group: GraphValue, Equatable {
        var name: String
        var slug: String
        var posts: [String]

        func encode(to w: inout BinaryWriter) {
            w.write(name)
            w.write(slug)
            posts.encode(to: &w)
        }

        init(name: String, slug: String, posts: [String]) {
            (self.name, self.slug, self.posts) = (name, slug, posts)
        }

        init(from r: inout BinaryReader) throws {
            self.init(name: try r.readString(), slug: try r.readString(), posts: try [String](from: &r))
        }
    }

    /// Newest first.
    var posts: [String] = []
    /// Standalone pages in menu order.
    var pages: [String] = []
    var tags: [Group] = [] {
        didSet { lookup = Lookup() }
    }
    var authors: [Group] = []
    /// Drafts (no date) and scheduled posts (with the time they go live).
    var skipped: [String] = []
    var scheduled: [Double] = []
    var diagnostics: [Diagnostic] = []
    /// Tag names by slug, made once for all copies of this index (every post page asks how the site spells its
    /// tags, and making the table per post showed in the profile). Not part of the value: derived from `tags`.
    private var lookup = Lookup()

    final class Lookup: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String: String]?

        func names(_ make: () -> [String: String]) -> [String: String] {
            lock.lock()
            defer { lock.unlock() }
            if let names { return names }
            let made = make()
            names = made
            return made
        }
    }

    /// The name the site shows for the tag `slug` (its first spelling), if the site has that tag.
    func tagName(_ slug: String) -> String? {
        lookup.names { Dictionary(tags.map { ($0.slug, $0.name) }, uniquingKeysWith: { a, _ in a }) }[slug]
    }

    init() {}

    func encode(to w: inout BinaryWriter) {
        posts.encode(to: &w)
        pages.encode(to: &w)
        tags.encode(to: &w)
        authors.encode(to: &w)
        skipped.encode(to: &w)
        scheduled.encode(to: &w)
        diagnostics.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        posts = try [String](from: &r)
        pages = try [String](from: &r)
        tags = try [Group](from: &r)
        authors = try [Group](from: &r)
        skipped = try [String](from: &r)
        scheduled = try [Double](from: &r)
        diagnostics = try [Diagnostic](from: &r)
    }
}

/// The files of the site and the output node producing each.
struct OutputList: GraphValue {
    /// (output node id, output path), sorted by path.
    var entries: [[String]] = []
    var diagnostics: [Diagnostic] = []

    init() {}

    func encode(to w: inout BinaryWriter) {
        entries.encode(to: &w)
        diagnostics.encode(to: &w)
    }

    init(from r: inout BinaryReader) throws {
        entries = try [[String]](from: &r)
        diagnostics = try [Diagnostic](from: &r)
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
