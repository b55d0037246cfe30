import Foundation

/// `quill explain PATH`: what an output read in the last build, and why it was (or was not) rebuilt.
public enum BuildExplainer {
    /// The explanation for `target` (an output path, a URL path or a full URL) of the site at `site`.
    public static func explain(_ target: String, site: URL, output: URL) -> String {
        let store = StateStore(site: site, engine: SiteBuilder.engine)
        let (state, notice) = store.load()
        if let notice { return notice.replacingOccurrences(of: "building everything", with: "build the site first") }
        guard !state.outputs.isEmpty else { return "no build state in \(site.path)/.quill: run `quill build` first" }
        let path = outputPath(for: target, outputFolder: output.lastPathComponent)
        guard let stamp = state.outputs[path] else {
            let near = state.outputs.keys.filter { $0.contains(path.replacingOccurrences(of: "index.html", with: "")) }
            return "\(path) is not an output of the last build" + (near.isEmpty ? "" : "; did you mean "
                + near.sorted().prefix(3).joined(separator: ", ") + "?")
        }
        let key = state.keys[Int(stamp.key)]
        var lines = ["\(path) is made by node `\(key)`"]
        lines.append(why(stamp.key, state: state))
        if let record = state.records[Int(stamp.key)] {
            lines.append("it read \(record.deps.count) nodes:")
            for dep in record.deps { lines.append("  \(state.keys[Int(dep.key)])") }
        }
        return lines.joined(separator: "\n")
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
