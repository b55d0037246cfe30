import Foundation
import QuillGraph

/// For a preview server: the pages its browsers show, to be written before the rest of a rebuild so that they can
/// reload sooner (`BuildOptions.firstPages`).
///
/// Once the output list is known, a build renders those pages and every output a page may load (static files,
/// bundle files, resized images, the search index), writes the ones that changed, and calls `written` with their
/// paths; only then does it render the other pages, the feeds, the sitemap and the redirects, none of which a page
/// loads. A browser that reloads a page named in `written` therefore gets it with everything it loads as this
/// build leaves it. The rest of the build goes on as usual: the files written first are found written, and are
/// in the report's `written` too. Should the build fail after all, the files written first are put back as
/// they were.
///
/// Honoured only by an incremental build written in place (`publishesAtomically` false) into a folder holding
/// the last build's site: a preview's. `quill build` never asks for it.
public struct FirstPages: Sendable {
    /// The pages, by URL path as served (`/`, `/2024/01/02/a/`, `/404.html`).
    public var urls: Set<String>
    /// Called on the build's thread with the files written first, when any were; the build goes on when it
    /// returns (a server may hold it until its browsers have loaded those pages again, so that they do not share
    /// the processor with the rest of the build). The time it holds the build is not in the report's duration.
    public var written: @Sendable ([OutputPath]) -> Void

    public init(urls: Set<String>, written: @escaping @Sendable ([OutputPath]) -> Void) {
        (self.urls, self.written) = (urls, written)
    }

    /// The kinds of output (`OutputID`'s text form up to its first colon) that no page loads: pages, feeds, the
    /// sitemap, robots.txt and redirects. Any other kind, known or new, is written first.
    static let notLoadedByPages: Set<Substring> = [
        "post", "page", "home", "tag", "author", "alias", "moved", "pagealias", "rss", "atom", "json", "tagrss",
        "tagatom", "feedalias", "tags", "archive", "404", "sitemap", "robots", "search",
    ]

    /// Whether `entry` is written first: a page shown (by output path), or an output a page may load.
    static func isFirst(_ entry: OutputList.Entry, shown: Set<String>) -> Bool {
        if shown.contains(entry.path) { return true }
        let kind = entry.name.firstIndex(of: ":").map { entry.name[..<$0] } ?? entry.name[...]
        return !notLoadedByPages.contains(kind)
    }
}

extension SiteBuilder {
    /// Renders the outputs `first` asks for, and writes those that changed since the last build (see
    /// `FirstPages`). Nothing is written unless one of the pages shown is an output of this build.
    func writeFirst(_ first: FirstWrites, graph: BuildGraph, outputs: OutputList, previous: SiteRecord) throws {
        let shown = Set(first.pages.urls.map { URLPath($0).outputPath.value })
        guard outputs.entries.contains(where: { shown.contains($0.path) }) else { return }
        let chosen = outputs.entries.filter { FirstPages.isFirst($0, shown: shown) }
        let ids = try graph.ensureAll(chosen.map { Node.Output($0).key })
        var files = [OutputFile]()
        for (entry, id) in zip(chosen, ids) {
            guard let fingerprint = graph.fingerprint(ofID: id),
                  previous.outputs[entry.path]?.fingerprint != fingerprint else { continue }
            files.append(try graph.value(of: id, as: Node.Output.self))
        }
        try first.write(files)
    }
}
