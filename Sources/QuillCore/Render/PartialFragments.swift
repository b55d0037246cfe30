import Foundation
import Mustache

/// Renders a list item's partial once per post and reuses it on every list page that shows the post.
///
/// A post appears on the home page, on a page of each of its tags and on its author's page: 10,000 posts make
/// about 45,000 summaries, each a dozen lookups through the template engine. The HTML of
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

    /// The partials that may be cached, by the index used in their synthetic name.
    let partials: [String]
    let cache = Cache()

    /// A post view's place in the cache: the post's source and which of its values it shows (a card, its metadata).
    struct Scope {
        let fragments: PartialFragments
        let key: String
        let render: @Sendable (String, Any) -> String
    }

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: MustacheLambda?] = [:]

        func entry(_ key: String, make: () -> MustacheLambda?) -> MustacheLambda? {
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
            // Only ever asked of the innermost object (`.__quillMemo0`), which in place is the post too.
            if name.hasPrefix(PartialMemo.prefix) { return nil }
            escaped = true
            return nil
        }
    }

    /// The lambda for synthetic name `name` on `view`, or nil when the view has no scope or the fragment depends
    /// on more than the post.
    static func lambda(_ name: String, view: MustacheParent, _ scope: Scope?) -> MustacheLambda? {
        guard let scope, let index = Int(name.dropFirst(prefix.count)), scope.fragments.partials.indices.contains(index)
        else { return nil }
        let partial = scope.fragments.partials[index]
        return scope.fragments.cache.entry("\(index)\u{0}\(scope.key)") {
            let probe = Probe(view)
            let html = scope.render(partial, probe)
            if probe.escaped { return nil }
            let raw = RawHTML(description: html)
            return MustacheLambda { raw }
        }
    }

    // MARK: Compile time

    /// `templates` with every eligible partial line rewritten as above, and the partials that may be cached.
    /// Nothing is rewritten when a partial or block is indented anywhere (its lines would be indented token by
    /// token, which a fragment cannot repeat) or a template changes delimiters.
    static func rewrite(_ templates: [String: String]) -> (templates: [String: String], partials: [String]) {
        guard mayRewrite(templates) else { return (templates, []) }
        return wrapPartialLines(templates, prefix: prefix) { lines, i in
            guard i >= 1, i + 1 < lines.count, let partial = tagName(lines[i], ">"), let open = tagName(lines[i - 1], "#"),
                  tagName(lines[i + 1], "/") == open, isSelfContained(partial, in: templates) else { return nil }
            return partial
        }
    }

    /// `templates` with each line for which `eligible(lines, i)` names a partial wrapped as above, in a section and
    /// an inverted section over `.<prefix><n>`, n being the partial's place in the list returned with them.
    static func wrapPartialLines(_ templates: [String: String], prefix: String,
                                 eligible: ([String], Int) -> String?) -> (templates: [String: String], partials: [String])
    {
        var partials = [String]()
        var result = templates
        for name in templates.keys.sorted() {
            var lines = templates[name]!.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var i = 0
            var changed = false
            while i < lines.count {
                guard let partial = eligible(lines, i) else {
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
