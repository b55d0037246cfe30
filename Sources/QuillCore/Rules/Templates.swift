import Foundation
import QuillGraph

// Templates: each template's text, and the closure of templates a page's template includes, which a page reads so
// that it is rendered again when any template it uses changes (the compiled set itself is checked and built once
// per build by the builder, see `TemplateBox`).

extension Node {
    /// The text of the template `name` (the site's own, else the theme's); empty when there is none.
    struct TemplateText: SiteNode {
        typealias Value = String
        static let kind = "template"
        var id: String

        init(_ name: String) { id = name }
        init?(id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> String {
            guard let path = try c.read(SourceFiles()).templates[id] else { return "" }
            return String(decoding: try c.read(Input.File(path)), as: UTF8.self)
        }
    }

    /// The names and text fingerprints of the template `name` and every template it includes, transitively.
    struct TemplateClosure: SiteNode {
        typealias Value = [String]
        static let kind = "template.closure"
        var id: String

        init(_ name: String) { id = name }
        init?(id: String) { self.id = id }

        func compute(_ c: SiteContext) throws -> [String] {
            var seen: Set<String> = [id]
            var queue = [id]
            var closure = [String]()
            while let next = queue.popLast() {
                let text = try c.read(TemplateText(next))
                closure.append("\(next) \(Fingerprint.of(Array(text.utf8)))")  // names and texts: a change to either shows
                for reference in TemplateSet.references(in: text) where seen.insert(reference.name).inserted {
                    queue.append(reference.name)
                }
            }
            return closure.sorted()
        }
    }
}
