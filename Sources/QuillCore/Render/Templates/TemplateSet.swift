import QuillTemplates
import Synchronization

/// The compiled templates of a build: the theme's, overridden file by file by the site's, each page's template
/// compiled against the views it renders (`Views.root`), so that a name no view has is an error at its line.
struct TemplateSet: Sendable {
    /// The templates every site needs, one per kind of page.
    static let required = ["post", "page", "index", "tag", "tags", "archive", "author", "404"]
    /// Templates a theme may have.
    static let optional = ["search"]

    private let theme: CompiledTheme
    /// What compiling found that does not stop a build (`{{content}}` escaping HTML).
    let warnings: [Diagnostic]
    /// The templates' texts, by name.
    let texts: [String: String]
    /// List items rendered in this build.
    private let cache = RenderCache()

    init(_ templates: [String: SourceFile]) throws(BuildFailure) {
        self.init(try Self.compile(templates))
    }

    init(_ compiled: Compiled) {
        theme = compiled.theme
        warnings = compiled.warnings
        texts = compiled.texts
    }

    /// What compiling a theme gives: a function of the templates' texts alone, so it can serve any build of the
    /// same texts (see `TemplateCache`).
    struct Compiled: Sendable {
        let theme: CompiledTheme
        let warnings: [Diagnostic]
        let texts: [String: String]
    }

    static func compile(_ templates: [String: SourceFile]) throws(BuildFailure) -> Compiled {
        var diagnostics = [Diagnostic]()
        for name in Self.required where templates[name] == nil {
            diagnostics.append(Diagnostic(
                SourceLocation(file: "templates/\(name).mustache"), "the theme has no `\(name)` template",
                hint: "add templates/\(name).mustache to the site or the theme"))
        }
        let sources = templates.sorted { $0.key < $1.key }.map {
            TemplateSource(name: $0.key, path: $0.value.path, text: $0.value.text)
        }
        let entries = (required + optional).filter { templates[$0] != nil }
        let (theme, found) = TemplateCompiler.compile(sources, entries: entries, root: Views.root.type)
        diagnostics += found.map(Self.diagnostic)
        guard let theme, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw BuildFailure(diagnostics.filter { $0.severity == .error })
        }
        return Compiled(theme: theme, warnings: diagnostics, texts: templates.mapValues(\.text))
    }

    static func diagnostic(_ d: TemplateDiagnostic) -> Diagnostic {
        Diagnostic(SourceLocation(file: d.path, line: d.line, column: d.column), d.message, hint: d.hint,
                   severity: d.isWarning ? .warning : .error)
    }

    func has(_ name: String) -> Bool { theme.has(name) }

    /// Whether template `name` (with what it includes) may show the field `field` of a post.
    func reads(_ name: String, post field: String) -> Bool { theme.reads(name, "post", field) }

    /// Renders template `name` for a page whose top-level fields are `root` (a `Views.root` value).
    func render(_ name: String, _ root: TemplateValue) -> [UInt8] { theme.render(name, root, cache: cache) }
}

/// The last theme a build compiled, kept for the next build by a process that builds again and again (`quill
/// serve`): a rebuild whose templates are the same, text for text, reuses the compiled templates instead of
/// compiling them again.
public final class TemplateCache: Sendable {
    private let last = Mutex<(texts: [String: SourceFile], compiled: TemplateSet.Compiled)?>(nil)

    public init() {}

    /// The templates `texts` compiled: the last ones when they are the same, else compiled now (and kept when
    /// they compile).
    func templates(_ texts: [String: SourceFile]) throws(BuildFailure) -> TemplateSet {
        let kept = last.withLock { last in last.flatMap { $0.texts == texts ? $0.compiled : nil } }
        if let kept { return TemplateSet(kept) }
        let compiled = try TemplateSet.compile(texts)
        last.withLock { $0 = (texts, compiled) }
        return TemplateSet(compiled)
    }
}
