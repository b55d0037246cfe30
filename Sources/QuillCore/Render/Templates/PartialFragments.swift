import Foundation
import Mustache

/// Renders a list item's partial once per post and reuses it on every list page that shows the post.
///
/// A post appears on the home page, on a page of each of its tags and on its author's page, so a site renders
/// several summaries per post, each a dozen lookups through the template engine. The HTML of
/// `{{#posts}}{{> partials/post-summary}}{{/posts}}` depends only on the post, unless the partial reaches past the
/// post to the page around it (`{{page.title}}`, `{{site.root}}`). Which of the two holds is found by rendering
/// the partial for the post alone, behind a `Probe` that notes any name the post does not answer: if none, that
/// HTML is the fragment; if any, the post's item is rendered in place as before.
///
/// The template is changed at compile time so that either path gives the same bytes. A standalone partial line
/// that is the whole body of a section,
///
/// ```
/// {{#posts}}
/// {{> partials/post-summary}}
/// {{/posts}}
/// ```
///
/// becomes, between the same two lines,
///
/// ```
/// {{#.__quillPartial0}}
/// {{/.__quillPartial0}}
/// {{^.__quillPartial0}}
/// {{> partials/post-summary}}
/// {{/.__quillPartial0}}
/// ```
///
/// The leading dot asks only the innermost object: a post view with a cached fragment answers with a lambda that
/// gives the HTML unescaped; anything else answers nothing, and the inverted section renders the partial exactly
/// as the original line did.
struct PartialFragments: Sendable {
    static let prefix = "__quillPartial"
    /// The synthetic name a page answers with a whole list of fragments.
    static let listPrefix = "__quillList"

    /// The partials that may be cached, by the index used in their synthetic name.
    let partials: [String]
    let cache = Cache()

    /// A post view's place in the cache: the post's source and which of its values it shows (a card, its metadata).
    struct Scope {
        let fragments: PartialFragments
        let key: String
        let render: @Sendable (String, Any) -> String
    }

    /// A fragment: its HTML, and the lambda that prints it.
    struct Made {
        let html: String
        let lambda: MustacheLambda

        init(_ html: String) {
            let raw = RawHTML(description: html)
            self.html = html
            self.lambda = MustacheLambda { raw }
        }
    }

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: Made?] = [:]

        func entry(_ key: String, make: () -> Made?) -> Made? {
            lock.lock()
            if let found = entries[key] {
                lock.unlock()
                return found
            }
            lock.unlock()
            let made = make()
            lock.lock()
            defer { lock.unlock() }
            if let found = entries[key] { return found }
            entries[key] = .some(made)
            return made
        }
    }

    /// The HTML of a fragment, printed unescaped by the lambda path of the template engine.
    struct RawHTML: CustomStringConvertible {
        let description: String
    }

    /// Stands in for the page around a post while its fragment is rendered: answers what the post answers and
    /// notes every other name.
    final class Probe: MustacheParent {
        let view: MustacheParent
        private(set) var escaped = false

        init(_ view: MustacheParent) { self.view = view }

        func child(named name: String) -> Any? {
            if let value = view.child(named: name) { return value }
            escaped = true
            return nil
        }
    }

    /// The lambda for synthetic name `name` on `view`, or nil when the view has no scope or the fragment depends
    /// on more than the post.
    static func lambda(_ name: String, view: MustacheParent, _ scope: Scope?) -> MustacheLambda? {
        guard let index = Int(name.dropFirst(prefix.count)) else { return nil }
        return fragment(index, view: view, scope)?.lambda
    }

    /// The fragment of partial `index` for `view`, made on first use.
    static func fragment(_ index: Int, view: MustacheParent, _ scope: Scope?) -> Made? {
        guard let scope, scope.fragments.partials.indices.contains(index) else { return nil }
        let partial = scope.fragments.partials[index]
        return scope.fragments.cache.entry("\(index)\u{0}\(scope.key)") {
            let probe = Probe(view)
            let html = scope.render(partial, probe)
            return probe.escaped ? nil : Made(html)
        }
    }

    /// The answer to `.__quillList<n>` on a page whose `posts` are `posts`: the fragments of partial n for every
    /// post, one after another, which is what the list section gives in place; nil when `posts` is not a list of
    /// post views or one of them has no fragment.
    static func list(_ name: String, posts: Any?) -> MustacheLambda? {
        guard let index = Int(name.dropFirst(listPrefix.count)), let views = posts as? [Views.PostView] else { return nil }
        var html = ""
        for view in views {
            guard let made = fragment(index, view: view, view.fragments) else { return nil }
            html += made.html
        }
        let raw = RawHTML(description: html)
        return MustacheLambda { raw }
    }

    // MARK: Compile time

    /// `templates` with every eligible partial line rewritten as above, and the partials that may be cached.
    /// Nothing is rewritten when a partial or block is indented anywhere (its lines would be indented token by
    /// token, which a fragment cannot repeat) or a template changes delimiters.
    static func rewrite(_ templates: [String: String]) -> (templates: [String: String], partials: [String]) {
        guard mayRewrite(templates) else { return (templates, []) }
        let (items, partials) = wrapPartialLines(templates, prefix: prefix) { _, lines, i, _ in
            // Only the lists of a page (`posts`) hold post views that keep fragments; any other section (a post
            // page's `newer`) would ask for a fragment on every page and get none.
            guard i >= 1, i + 1 < lines.count, let partial = tagName(lines[i], ">"), tagName(lines[i - 1], "#") == "posts",
                  tagName(lines[i + 1], "/") == "posts", isSelfContained(partial, in: templates) else { return nil }
            return partial
        }
        return (wrapLists(items, nested: nestedTemplates(templates)), partials)
    }

    /// `templates` (with list items rewritten) with each such list that is outside every section, in a template
    /// never included inside one, wrapped once more, so that the page answers the whole list at once:
    ///
    /// ```
    /// {{#.__quillList0}}
    /// {{/.__quillList0}}
    /// {{^.__quillList0}}
    /// {{#posts}}
    /// … the item's five lines …
    /// {{/posts}}
    /// {{/.__quillList0}}
    /// ```
    ///
    /// Only the page (`PartialMemo.Page`) answers `__quillList0`, with the fragments of its `posts` one after
    /// another; where it does not (a post without a fragment, or the page is not the innermost object), the
    /// inverted section renders the list as before.
    static func wrapLists(_ templates: [String: String], nested: Set<String>) -> [String: String] {
        var result = templates
        for (name, text) in templates where !nested.contains(name) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let depths = sectionDepths(text)  // of the lines before any list is wrapped: each wrapping is balanced
            var i = 0
            var changed = false
            while i + 6 < lines.count {
                guard tagName(lines[i], "#") == "posts", let item = tagName(lines[i + 1], "#"), item.hasPrefix("." + prefix),
                      tagName(lines[i + 6], "/") == "posts", depths[i - (lines.count - depths.count)] == 0 else {
                    i += 1
                    continue
                }
                let synthetic = "." + listPrefix + item.dropFirst(1 + prefix.count)
                lines.insert("{{/\(synthetic)}}", at: i + 7)
                lines.insert(contentsOf: ["{{#\(synthetic)}}", "{{/\(synthetic)}}", "{{^\(synthetic)}}"], at: i)
                changed = true
                i += 11
            }
            if changed { result[name] = lines.joined(separator: "\n") }
        }
        return result
    }

    /// `templates` with each line for which `eligible(template, lines, i, depth)` names a partial wrapped as above,
    /// in a section and an inverted section over `.<prefix><n>`, n being the partial's place in the list returned
    /// with them; `depth` is how many sections are open at line `i` (`sectionDepths`).
    static func wrapPartialLines(_ templates: [String: String], prefix: String,
                                 eligible: (String, [String], Int, Int) -> String?)
        -> (templates: [String: String], partials: [String])
    {
        var partials = [String]()
        var result = templates
        for name in templates.keys.sorted() {
            var lines = templates[name]!.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let depths = sectionDepths(templates[name]!)  // of the lines as written: each wrapping is balanced
            var i = 0
            var changed = false
            while i < lines.count {
                guard let partial = eligible(name, lines, i, depths[i - (lines.count - depths.count)]) else {
                    i += 1
                    continue
                }
                let index = partials.firstIndex(of: partial) ?? {
                    partials.append(partial)
                    return partials.count - 1
                }()
                let synthetic = ".\(prefix)\(index)"
                lines.replaceSubrange(i...i, with: [
                    "{{#\(synthetic)}}", "{{/\(synthetic)}}", "{{^\(synthetic)}}", lines[i], "{{/\(synthetic)}}",
                ])
                changed = true
                i += 5
            }
            if changed { result[name] = lines.joined(separator: "\n") }
        }
        return (result, partials)
    }

    /// Whether partial lines of `templates` may be rewritten at all: not when a partial or block is indented
    /// anywhere (its lines would be indented token by token, which a fragment cannot repeat) or a template changes
    /// delimiters.
    static func mayRewrite(_ templates: [String: String]) -> Bool {
        for text in templates.values {
            if text.contains("{{=") { return false }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.count != line.count, trimmed.hasPrefix("{{>") || trimmed.hasPrefix("{{$")
                    || trimmed.hasPrefix("{{<") { return false }
            }
        }
        return true
    }

    /// The name in `line` when the line is exactly one `{{<sigil> name}}` tag starting at column 0.
    static func tagName(_ line: String, _ sigil: Character) -> String? {
        var rest = Substring(line)
        while rest.last == " " || rest.last == "\t" { rest = rest.dropLast() }
        guard rest.hasPrefix("{{\(sigil)"), rest.hasSuffix("}}") else { return nil }
        let name = rest.dropFirst(3).dropLast(2).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains("{"), !name.contains("}"), !name.contains(" "), !name.hasPrefix("*")
        else { return nil }
        return name
    }

    /// Whether `partial` and every partial it includes, however deep, render the same wherever the innermost
    /// object is the same: no blocks or parents, no dynamic partials, no `.` names (the probe is not the post),
    /// no delimiter changes, and no inclusion of itself.
    static func isSelfContained(_ partial: String, in templates: [String: String]) -> Bool {
        guard let texts = closure(of: partial, in: templates) else { return false }
        for text in texts {
            for marker in ["{{$", "{{<", "{{>*", "{{> *", "{{="] where text.contains(marker) { return false }
            if text.range(of: #"\{\{\{?[#^/&]?\s*\."#, options: .regularExpression) != nil { return false }
        }
        return true
    }

    /// How many sections (`{{#…}}`, `{{^…}}`) are open at the start of each line of `text`, and after its last.
    /// Blocks and parents (`{{$…}}`, `{{<…}}`) are closed by the same `{{/…}}` but put nothing on the stack.
    static func sectionDepths(_ text: String) -> [Int] {
        var depths = [0]
        var open = [Bool]()  // for each open tag: whether it is a section
        var depth = 0
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                depths.append(depth)
            } else if bytes[i] == UInt8(ascii: "{"), i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") {
                var j = i + 2
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") { j += 1 }
                if j < bytes.count {
                    switch bytes[j] {
                    case UInt8(ascii: "#"), UInt8(ascii: "^"):
                        open.append(true)
                        depth += 1
                    case UInt8(ascii: "$"), UInt8(ascii: "<"):
                        open.append(false)
                    case UInt8(ascii: "/"):
                        if let section = open.popLast(), section { depth -= 1 }
                    default:
                        break
                    }
                }
                i = j
                continue
            }
            i += 1
        }
        return depths
    }

    /// The templates that may be rendered inside a section: included (`{{> name}}`, `{{< name}}`) inside a
    /// section of some template, or anywhere in such a template.
    static func nestedTemplates(_ templates: [String: String]) -> Set<String> {
        // Each template's references, and whether each is made inside a section: one open on an earlier line,
        // or earlier on its own line (`<li>{{#x}}{{> item}}`).
        let references: [String: [(name: String, inSection: Bool)]] = templates.mapValues { text in
            let depths = sectionDepths(text)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return TemplateSet.references(in: text).map { reference in
                let head = String(lines[reference.line - 1].unicodeScalars.prefix(reference.column - 1))
                return (reference.name, depths[reference.line - 1] > 0 || sectionDepths(head + "\n").last! > 0)
            }
        }
        var nested = Set<String>()
        var changed = true
        while changed {
            changed = false
            for (name, made) in references {
                let within = nested.contains(name)
                for reference in made where (within || reference.inSection) && nested.insert(reference.name).inserted {
                    changed = true
                }
            }
        }
        return nested
    }

    /// The texts of `partial` and of every partial it includes, however deep; nil when one of them is missing or
    /// `partial` includes itself.
    static func closure(of partial: String, in templates: [String: String]) -> [String]? {
        var seen: Set<String> = [partial]
        var queue = [partial]
        var texts = [String]()
        while let name = queue.popLast() {
            guard let text = templates[name] else { return nil }
            texts.append(text)
            for reference in TemplateSet.references(in: text) {
                if reference.name == partial { return nil }
                if seen.insert(reference.name).inserted { queue.append(reference.name) }
            }
        }
        return texts
    }
}
