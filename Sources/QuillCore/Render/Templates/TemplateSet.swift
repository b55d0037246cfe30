import Mustache
import QuillMarkdown
import Synchronization

/// The compiled Mustache templates of a build: the theme's, overridden file by file by the site's.
struct TemplateSet: Sendable {
    /// The templates every site needs, one per kind of page.
    static let required = ["post", "page", "index", "tag", "tags", "archive", "author", "404"]

    private let library: MustacheLibrary
    private let names: Set<String>
    /// List items rendered once per post (see `PartialFragments`).
    let fragments: PartialFragments
    /// Page-level partials rendered once per distinct set of values they read (see `PartialMemo`).
    let memo: PartialMemo

    /// HTML escaping of `{{value}}` on UTF-8 bytes. The library's own escapes character by character (grapheme
    /// clusters), which was a tenth of a cold build. Same output for any text where `<>&"'` stand alone.
    struct QuillHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
    }

    /// Put on a line of its own before every template, so that it renders with `QuillHTML`; a standalone tag, so
    /// the line leaves nothing in the output.
    static let pragma: String = {
        MustacheContentTypes.register(QuillHTML(), named: "QUILL_HTML")
        return "{{% CONTENT_TYPE: QUILL_HTML}}\n"
    }()

    /// Compiles every template and checks that each partial or parent it names exists. Without `caching`, the
    /// templates render as written, with no list-item fragments and no page-level memos (the reference the
    /// caches are tested against).
    init(_ templates: [String: SourceFile], caching: Bool = true) throws(BuildFailure) {
        self.init(try Self.compile(templates, caching: caching))
    }

    /// A set made of templates compiled before, with render caches of its own (they hold one build's values).
    init(_ compiled: Compiled) {
        library = compiled.library
        names = compiled.names
        fragments = PartialFragments(partials: compiled.fragmentPartials)
        memo = PartialMemo(partials: compiled.memoPartials)
    }

    /// What compiling a theme gives, before anything is rendered with it: a function of the templates' texts (and
    /// `caching`) alone, so it can serve any build of the same texts (see `TemplateCache`).
    struct Compiled: Sendable {
        let library: MustacheLibrary
        let names: Set<String>
        let fragmentPartials: [String]
        let memoPartials: [String]
    }

    static func compile(_ templates: [String: SourceFile], caching: Bool) throws(BuildFailure) -> Compiled {
        var diagnostics = [Diagnostic]()
        for name in templates.keys.sorted() {
            let file = templates[name]!
            do {
                _ = try MustacheTemplate(string: Self.pragma + file.text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(Diagnostic(
                    SourceLocation(file: file.path, line: max(error.context.lineNumber - 1, 1),
                                   column: error.context.columnNumber),
                    "template syntax error: \(Self.describe(error.error))",
                    hint: "check that every {{#section}} has its {{/section}} and every tag is closed with }}"))
            } catch {
                diagnostics.append(Diagnostic(SourceLocation(file: file.path), "template syntax error: \(error)"))
            }
            for reference in Self.references(in: file.text) where templates[reference.name] == nil {
                diagnostics.append(Diagnostic(
                    SourceLocation(file: file.path, line: reference.line, column: reference.column),
                    "unknown template `\(reference.name)`",
                    hint: "templates are named by their path under templates/ without .mustache; known: "
                        + templates.keys.sorted().joined(separator: ", ")))
            }
        }
        for name in Self.required where templates[name] == nil {
            diagnostics.append(Diagnostic(
                SourceLocation(file: "templates/\(name).mustache"), "the theme has no `\(name)` template",
                hint: "add templates/\(name).mustache to the site or the theme"))
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
        let texts = templates.mapValues(\.text)
        let (withFragments, partials) = caching ? PartialFragments.rewrite(texts) : (texts, [])
        let (rewritten, memoized) = caching ? PartialMemo.rewrite(withFragments, original: texts) : (texts, [])
        var library = MustacheLibrary()
        for (name, text) in rewritten {
            guard let template = try? MustacheTemplate(string: Self.pragma + text) else {
                preconditionFailure("template `\(name)` compiled before its partial lines were rewritten, not after")
            }
            library.register(template, named: name)
        }
        return Compiled(library: library, names: Set(templates.keys), fragmentPartials: partials, memoPartials: memoized)
    }

    /// Where a post view of a list keeps its fragments: `key` names the post and the value it shows.
    func fragmentScope(_ key: String) -> PartialFragments.Scope? {
        guard !fragments.partials.isEmpty else { return nil }
        let library = self.library
        return PartialFragments.Scope(fragments: fragments, key: key) { name, object in
            library.render(object, withTemplate: name) ?? ""
        }
    }

    /// Renders template `name` for a page whose top-level fields are `fields`.
    func render(_ name: String, _ fields: [String: Any]) -> String {
        let library = self.library
        let page = PartialMemo.Page(fields, memo: memo.partials.isEmpty ? nil : memo) { name, object in
            library.render(object, withTemplate: name) ?? ""
        }
        return library.render(page, withTemplate: name) ?? ""
    }

    struct Reference: Equatable {
        var name: String
        var line: Int
        var column: Int
    }

    /// The `{{> partial}}` and `{{< parent}}` names in `text`, with their 1-based positions.
    static func references(in text: String) -> [Reference] {
        var found = [Reference]()
        var line = 1, column = 1
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "{", i + 2 < chars.count, chars[i + 1] == "{", chars[i + 2] == ">" || chars[i + 2] == "<" {
                var j = i + 3
                while j < chars.count, chars[j] == " " { j += 1 }
                var name = ""
                while j < chars.count, chars[j] != "}", chars[j] != " " {
                    name.unicodeScalars.append(chars[j])
                    j += 1
                }
                if !name.isEmpty, !name.hasPrefix("*") { found.append(Reference(name: name, line: line, column: column)) }
            }
            if chars[i] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return found
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case MustacheTemplate.Error.unfinishedName: return "a tag is not closed with }}"
        case MustacheTemplate.Error.expectedSectionEnd: return "a section is never closed"
        default: return "\(error)"
        }
    }
}

/// The last theme a build compiled, kept for the next build by a process that builds again and again (`quill
/// serve`): a rebuild whose templates are the same, text for text, reuses the compiled templates instead of
/// compiling them again (a fifth of a small site's rebuild). Each build still gets render caches of its own.
public final class TemplateCache: Sendable {
    private let last = Mutex<(texts: [String: SourceFile], caching: Bool, compiled: TemplateSet.Compiled)?>(nil)

    public init() {}

    /// The templates `texts` compiled: the last ones when they are the same, else compiled now (and kept when
    /// they compile).
    func templates(_ texts: [String: SourceFile], caching: Bool) throws(BuildFailure) -> TemplateSet {
        let kept = last.withLock { last in
            last.flatMap { $0.caching == caching && $0.texts == texts ? $0.compiled : nil }
        }
        if let kept { return TemplateSet(kept) }
        let compiled = try TemplateSet.compile(texts, caching: caching)
        last.withLock { $0 = (texts, caching, compiled) }
        return TemplateSet(compiled)
    }
}
