import Foundation
import Synchronization
import QuillGraph

/// The kinds of node of a blog's build graph, one type each, under one namespace: `Node.PostMeta(path)`,
/// `Node.Index()`, `Node.Output(.post(path))`. Each says its key, the type of its value and how it computes.
enum Node {}

/// One kind of node of a blog's build graph: its key (kind and id), its value's type, and how it computes from
/// what it reads. Adding a kind is one such type (in the file of its concern) and one line in `SiteRules.kinds`.
protocol SiteNode: GraphQuery {
    /// The kind's name, in keys and in the saved state (`post.meta`).
    static var kind: String { get }
    /// True (the default) when the value is small and needed often, so the state keeps it; otherwise the state
    /// keeps only its fingerprint and the value is computed again when something needs it.
    static var keepsValue: Bool { get }
    /// The node's id within its kind (a source path, a tag's list and page number); empty for a kind of one node.
    var id: String { get }
    /// The node an id names, or nil when it names none.
    init?(id: String)
    /// The node's value, computed from what it reads through `c` (every read is recorded).
    func compute(_ c: SiteContext) throws -> Value
}

extension SiteNode {
    static var keepsValue: Bool { true }
    var key: NodeKey { NodeKey(Self.kind, id) }

    static func compute(id: String, _ c: SiteContext) throws -> any GraphValue {
        guard let node = Self(id: id) else { throw UnknownNode(key: NodeKey(kind, id)) }
        return try node.compute(c)
    }

    static func decode(_ reader: inout BinaryReader) throws -> any GraphValue { try Value(from: &reader) }

    /// The key of the node `id` names, as the node spells it; nil when `id` names none.
    static func key(forID id: String) -> NodeKey? { Self(id: id)?.key }
}

/// A kind whose nodes are named by any string (a source path, a template name).
protocol NamedNode: SiteNode {
    init(_ id: String)
}

extension NamedNode {
    init?(id: String) { self.init(id) }
}

/// A kind with a single node (`config`, `index`, `outputs`).
protocol SingleNode: SiteNode {
    init()
}

extension SingleNode {
    var id: String { "" }
    init?(id: String) {
        guard id.isEmpty else { return nil }
        self.init()
    }
}

/// A key that names no node the rules know: a state written by another version, or a bug.
struct UnknownNode: Error, CustomStringConvertible {
    var key: NodeKey
    var description: String { "internal error: no node \(key) in this site's build graph" }
}

/// What a node's computation reads through: the graph (which records each read) and the build's rules.
struct SiteContext {
    let graph: ComputeContext
    let rules: SiteRules

    func read<Q: GraphQuery>(_ query: Q) throws -> Q.Value { try graph.read(query) }

    @discardableResult
    func touch<Q: GraphQuery>(_ query: Q) throws -> Fingerprint { try graph.touch(query) }

    /// A `SiteConfig` holding the given settings (the others left at their defaults), each read recorded.
    func config(_ fields: [ConfigField]) throws -> SiteConfig {
        var config = SiteConfig(title: "")
        for field in fields {
            let data = try read(Node.Setting(field))
            if data.isEmpty {  // site.toml is broken (an incremental build checks this rule before the builder can)
                let errors = try read(Node.Settings()).diagnostics.filter { $0.severity == .error }
                if !errors.isEmpty { throw BuildFailure(errors) }
            }
            try config.set(field, from: data)
        }
        return config
    }

    /// The fingerprint the graph has for the node `query` names.
    func fingerprint<Q: GraphQuery>(of query: Q) -> Fingerprint? { graph.graph.fingerprint(of: query.key) }
}

/// What a blog's build graph consists of: the kinds of `Node` (see `docs/architecture.md` for what each reads).
/// Outputs are the roots: `Node.Output`, one per file of the site.
struct SiteRules: GraphRules {
    let loader: SiteLoader
    /// The build's clock; rules that depend on it record `Input.ClockBefore` reads.
    let now: Date
    /// For tests: told of every page a template renders (`BuildOptions.renderObserver`).
    var renderObserver: RenderObserver?
    let positions = IndexPositions()
    /// Warnings of the nodes computed in this build (a code block that could not be highlighted).
    let warnings = Warnings()
    /// Each post's feed items and their relative URLs, made once in a build (see `FeedMemo`).
    let feeds = FeedMemo()
    /// Posts parsed, images read and files rendered, for a progress line.
    var progress: BuildProgress? = nil
    /// Compiled templates kept from the last build (`BuildOptions.templateCache`).
    var templateCache: TemplateCache? = nil

    /// Every kind of node, by name.
    static let kinds: [String: any SiteNode.Type] = Dictionary(uniqueKeysWithValues: ([
        // Settings and sources (Settings.swift)
        Node.Settings.self, Node.Setting.self, Node.SourceFiles.self,
        // Content (Content.swift)
        Node.FullPost.self, Node.PostCard.self, Node.PostMeta.self, Node.PostFacts.self,
        Node.FullPage.self, Node.PageCard.self, Node.SourceURL.self, Node.ThemeNamesWordCount.self,
        // The index and what is cut from it (Index.swift)
        Node.Index.self, Node.Neighbours.self, Node.TagNames.self, Node.ListSlice.self, Node.FeedItems.self,
        Node.Menu.self, Node.SiteFacts.self, Node.Related.self,
        // Templates (Templates.swift)
        Node.TemplateText.self, Node.TemplateClosure.self, Node.Templates.self,
        // Outputs (Outputs.swift, and the files rendering each kind of output)
        Node.StaticSource.self, Node.BundleTarget.self, Node.ContentOutputs.self, Node.Outputs.self, Node.SitemapPages.self, Node.Output.self,
        // Images (Images.swift, BodyImages.swift)
        Node.Image.self, Node.BundleFileNames.self,
        // URLs that stay (URLHistory.swift)
        Node.URLRecordFile.self, Node.RecordEntry.self, Node.URLHistory.self, Node.URLHistoryOf.self,
        // Search (Search.swift)
        Node.SearchMembership.self, Node.SearchMembers.self, Node.SearchGroupWords.self, Node.SearchGroupDocs.self,
        Node.SearchGroupPart.self, Node.SearchNumbering.self, Node.SearchDocumentCount.self,
        Node.SearchPartitionWords.self, Node.SearchDocLists.self, Node.SearchLayout.self, Node.SearchPage.self,
    ] as [any SiteNode.Type]).map { ($0.kind, $0) })

    func isRoot(_ key: NodeKey) -> Bool { key.kind == Node.Output.kind }

    func keepsValue(_ key: NodeKey) -> Bool { Self.kinds[key.kind]?.keepsValue ?? false }

    func decode(_ key: NodeKey, _ reader: inout BinaryReader) throws -> any GraphValue {
        guard let kind = Self.kinds[key.kind] else { throw BinaryReader.Malformed() }
        return try kind.decode(&reader)
    }

    func compute(_ key: NodeKey, _ context: ComputeContext) throws -> any GraphValue {
        guard let kind = Self.kinds[key.kind] else { throw UnknownNode(key: key) }
        return try kind.compute(id: key.id, SiteContext(graph: context, rules: self))
    }
}

/// Caches derived lookups of one index value, keyed by its fingerprint, so that 10,000 `neighbours` nodes do not
/// each search the index.
final class IndexPositions: Sendable {
    private let table = Mutex<(fingerprint: Fingerprint?, positions: [String: Int])>((nil, [:]))

    func position(of path: String, in index: SiteIndex, fingerprint: Fingerprint) -> Int? {
        table.withLock { table in
            if table.fingerprint != fingerprint {
                table = (fingerprint, Dictionary(uniqueKeysWithValues: index.posts.enumerated().map { ($1, $0) }))
            }
            return table.positions[path]
        }
    }
}

/// Warnings collected from any thread while nodes compute, for the build report.
final class Warnings: Sendable {
    private let list = Mutex<[Diagnostic]>([])

    func add(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        list.withLock { $0.append(contentsOf: diagnostics) }
    }

    /// Each warning once (a node computed twice in a build, its value not kept, gives its warnings twice).
    var items: [Diagnostic] {
        var seen = Set<String>()
        return list.withLock { $0 }.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
            .filter { seen.insert("\($0.location)\u{0}\($0.message)").inserted }
    }
}
