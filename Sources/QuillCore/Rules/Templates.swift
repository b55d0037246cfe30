import Foundation
import QuillGraph
import QuillTemplates

// Templates: each template's text; the closure of templates a page's template includes, which a page records so
// that it is rendered again when any template it uses changes; and the compiled set, which pages use without
// recording it (their closure says which of its parts they depend on).

extension Node {
    /// The text of the template `name` (the site's own, else the theme's); empty when there is none.
    struct TemplateText: NamedNode {
        typealias Value = String
        static let kind = "template"
        var id: String

        init(_ name: String) { id = name }

        func compute(_ c: SiteContext) throws -> String {
            guard let path = try c.read(SourceFiles()).templates[id] else { return "" }
            return String(decoding: try c.read(Input.File(path)), as: UTF8.self)
        }
    }

    /// The names and text fingerprints of the template `name` and every template it includes, transitively.
    struct TemplateClosure: NamedNode {
        typealias Value = [String]
        static let kind = "template.closure"
        var id: String

        init(_ name: String) { id = name }

        func compute(_ c: SiteContext) throws -> [String] {
            var seen: Set<String> = [id]
            var queue = [id]
            var closure = [String]()
            while let next = queue.popLast() {
                let text = try c.read(TemplateText(next))
                closure.append("\(next) \(Fingerprint.of(Array(text.utf8)))")  // names and texts: a change to either shows
                for name in TemplateSource.references(in: text) where seen.insert(name).inserted {
                    queue.append(name)
                }
            }
            return closure.sorted()
        }
    }

    /// The site's templates, checked and compiled: the theme's and the site's own, the latter overriding.
    struct Templates: SingleNode {
        typealias Value = CompiledTemplates
        static let kind = "templates"
        static var keepsValue: Bool { false }  // compiled code: made again in each build that renders (or reused
        // from the last build of the same texts: `BuildOptions.templateCache`)

        func compute(_ c: SiteContext) throws -> CompiledTemplates {
            let sources = try c.read(SourceFiles())
            var texts = [String: SourceFile]()
            for (name, path) in sources.templates.sorted(by: { $0.key < $1.key }) {
                texts[name] = SourceFile(path: path, text: try c.read(TemplateText(name)))
            }
            // A theme that is missing is one error (in the sources' problems), not one per template it lacks.
            guard sources.problems.isEmpty else { return CompiledTemplates(texts: texts, set: nil) }
            do {
                let set: TemplateSet
                if let cache = c.rules.templateCache {
                    set = try cache.templates(texts)
                } else {
                    set = try TemplateSet(texts)
                }
                c.rules.warnings.add(set.warnings)
                return CompiledTemplates(texts: texts, set: set)
            } catch {
                return CompiledTemplates(texts: texts, set: nil, diagnostics: error.diagnostics)
            }
        }
    }
}

/// The compiled templates of a site, or why they cannot be compiled. Its fingerprint is that of the templates'
/// names and texts; it is never stored (compiled code is made again).
struct CompiledTemplates: GraphValue {
    var texts: [String: SourceFile]
    /// Nil when the templates do not compile (see `diagnostics`) or the theme is missing.
    var set: TemplateSet?
    var diagnostics: [Diagnostic] = []

    init(texts: [String: SourceFile], set: TemplateSet?, diagnostics: [Diagnostic] = []) {
        (self.texts, self.set, self.diagnostics) = (texts, set, diagnostics)
    }

    func encode(to w: inout BinaryWriter) {
        w.write(UInt64(texts.count))
        for (name, file) in texts.sorted(by: { $0.key < $1.key }) {
            w.write(name)
            w.write(file.path)
            w.write(file.text)
        }
    }

    init(from r: inout BinaryReader) throws { throw BinaryReader.Malformed() }  // never stored
}
