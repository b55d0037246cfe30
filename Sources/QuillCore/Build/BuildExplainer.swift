import Foundation
import QuillGraph

/// `quill explain PATH`: what an output read in the last build, and why it was (or was not) rebuilt.
public enum BuildExplainer {
    /// What `quill explain` prints, and whether `target` was an output of the last build at all.
    public struct Explanation: Sendable, CustomStringConvertible {
        public var text: String
        public var found: Bool

        public var description: String { text }

        public func contains(_ part: String) -> Bool { text.contains(part) }
    }

    /// The explanation for `target` (an output path, a URL path or a full URL) of the site at `site`: first a
    /// sentence ("rebuilt because content/posts/x.md changed"), then the nodes it went through and what it read.
    public static func explain(_ target: String, site: URL, output: URL) -> Explanation {
        let store = StateStore(site: site, engine: SiteBuilder.engine)
        let (stored, notice) = store.loadBuild()
        let state = stored.graph
        if let notice {
            return Explanation(text: notice.replacingOccurrences(of: "building everything", with: "build the site first"),
                               found: false)
        }
        guard !stored.site.outputs.isEmpty else {
            return Explanation(text: "no build state in \(site.path)/.quill: run `quill build` first", found: false)
        }
        let path = outputPath(for: target, outputFolder: output.lastPathComponent)
        guard let stamp = stored.site.outputs[path] else {
            let near = stored.site.outputs.keys.filter { $0.contains(path.replacingOccurrences(of: "index.html", with: "")) }
            return Explanation(text: "\(path) is not an output of the last build" + (near.isEmpty ? "" : "; did you mean "
                + near.sorted().prefix(3).joined(separator: ", ") + "?"), found: false)
        }
        let key = state.keys[Int(stamp.key)]
        var lines = [path + " " + summary(stamp.key, state: state), "", "In detail: made by node `\(key)`"]
        lines.append(why(stamp.key, state: state))
        if let record = state.records[Int(stamp.key)] {
            lines.append("it read \(record.deps.count) nodes:")
            for dep in record.deps { lines.append("  \(state.keys[Int(dep.key)])") }
        }
        return Explanation(text: lines.joined(separator: "\n"), found: true)
    }

    /// One sentence a blogger understands: what happened to the output in the last build, and which input made it.
    static func summary(_ id: Int32, state: GraphState) -> String {
        switch state.reasons[id] {
        case nil: return "was not rebuilt in the last build: nothing it uses changed."
        case .verified?: return "was not rebuilt in the last build: something it uses was redone but came out the same."
        case .new?: return "was built new in the last build (the first build, or a new page)."
        case .valueNeeded?: return "was not rebuilt in the last build: it was only read again for another page."
        case .changed(var current)?:
            var seen: Set<Int32> = [id]
            while case .changed(let next)? = state.reasons[current], seen.insert(current).inserted { current = next }
            let input = state.keys[Int(current)]
            switch input.kind {
            case Input.File.kind: return "was rebuilt because \(input.id.replacingOccurrences(of: SiteInputs.builtInPrefix, with: "the built-in theme's ")) changed."
            case Input.Listing.kind: return "was rebuilt because files were added to or removed from \(input.id)/."
            case Input.Option.kind: return "was rebuilt because the build was run with other options (\(input.id))."
            case Input.ClockBefore.kind: return "was rebuilt because the clock passed a scheduled post's date."
            default: return "was rebuilt because `\(input)` changed."
            }
        }
    }

    /// The chain of changes that led to node `id` being rebuilt, down to the input that changed.
    static func why(_ id: Int32, state: GraphState) -> String {
        switch state.reasons[id] {
        case nil: return "last build: not rebuilt; nothing it reads changed"
        case .verified?: return "last build: not rebuilt; something upstream changed, but everything it reads came out the same"
        case .new?: return "last build: built, as new (first build, or new output)"
        case .valueNeeded?: return "last build: computed again only to read its value"
        case .changed(let dep)?:
            var chain = ["last build: rebuilt because `\(state.keys[Int(dep)])` changed"]
            var current = dep
            var seen: Set<Int32> = [id]
            while case .changed(let next)? = state.reasons[current], seen.insert(current).inserted {
                chain.append("  which changed because `\(state.keys[Int(next)])` changed")
                current = next
            }
            return chain.joined(separator: "\n")
        }
    }

    static func outputPath(for target: String, outputFolder: String) -> String {
        var path = target
        if let url = URL(string: target), url.scheme != nil { path = url.path + (target.hasSuffix("/") ? "/" : "") }
        if path.hasPrefix(outputFolder + "/") { path = String(path.dropFirst(outputFolder.count + 1)) }
        if path.hasSuffix("/") || path.isEmpty { path += "index.html" }
        return OutputPath(path).value
    }
}
