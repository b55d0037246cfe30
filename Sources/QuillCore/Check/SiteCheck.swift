import Foundation
import QuillGraph

/// `quill check`: the site built (incrementally, as `quill build` does), then every internal link of every page
/// checked (`LinkCheck`), each broken one reported where it was written: the post's or page's file, line and column
/// when its text holds the URL, else the template that does, else the page itself.
public struct SiteCheck {
    public struct Report: Sendable {
        public var build: BuildReport
        /// One error per broken link, in file order.
        public var problems: [Diagnostic]
        public var pages = 0
        public var links = 0

        public var summary: String {
            "checked \(links) links on \(pages) pages: "
                + (problems.isEmpty ? "all good" : "\(problems.count) broken")
        }
    }

    let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    public func run() throws(BuildFailure) -> Report {
        let build = try SiteBuilder(options: options).build()
        let start = ContinuousClock.now
        let output = options.output.standardizedFileURL
        let (origins, built) = self.origins()
        // What the build published, and what was put at the top of the output folder by hand (CNAME, .well-known/).
        var files = built
        let topNames = Set(built.map { OutputMark.topName($0) })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        where !topNames.contains(name) && name != OutputMark.fileName {
            let url = output.appendingPathComponent(name)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            else { continue }
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.insert(name) }
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                files.insert(String(url.standardizedFileURL.path.dropFirst(output.path.count + 1)))
            }
        }
        Trace.mark("check: \(files.count) files listed", start)
        let html = files.filter { $0.hasSuffix(".html") }.sorted()
        let prefix = output.path + "/"
        let scanned = (try? Parallel.map(html.count) { i -> LinkCheck.Page in  // read and scanned on every core
            guard let data = FileManager.default.contents(atPath: prefix + html[i]) else { return LinkCheck.Page() }
            return data.withUnsafeBytes { LinkCheck.scan($0.bindMemory(to: UInt8.self)) }
        }) ?? []
        let pages = Dictionary(uniqueKeysWithValues: zip(html, scanned))
        Trace.mark("check: pages read and scanned", start)
        let config = (try? ConfigParser.parse(String(contentsOf: options.source.appendingPathComponent(ConfigParser.file),
                                                    encoding: .utf8)).0) ?? nil
        var rootPath = config?.rootPath ?? "/"
        if let base = options.baseURL, let url = URL(string: base) { rootPath = url.path.hasSuffix("/") ? url.path : url.path + "/" }
        // A broken link in a post shows on its page and again in its summary on list pages: it is reported once,
        // where the author wrote it.
        var findings = LinkCheck.check(pages, files: files, rootPath: rootPath)
        let authored = Set(findings.filter { origins[$0.page] != nil }.map(\.target))
        findings.removeAll { origins[$0.page] == nil && authored.contains($0.target) }
        Trace.mark("check: links checked", start)
        let theme = config?.theme ?? "default"
        var report = Report(build: build, problems: [])
        report.pages = pages.count
        report.links = pages.values.reduce(0) { $0 + $1.links.count }
        // One report per place the link is written: a template's broken link is on every page it makes.
        var byPlace = [String: (SourceLocation, LinkCheck.Finding, pages: [String])]()
        for finding in findings {
            let location = locate(finding.url, source: origins[finding.page], theme: theme)
                ?? SourceLocation(file: output.lastPathComponent + "/" + finding.page)
            let place = "\(location)\u{0}\(finding.url)\u{0}\(finding.problem)"
            byPlace[place, default: (location, finding, [])].pages.append(finding.page)
        }
        report.problems = byPlace.values.map { location, finding, pages in
            // A template's link is on many pages: say which.
            var on = ""
            if location.file != origins[finding.page] {
                let first = OutputPath(pages.min()!).urlPath.value
                on = pages.count == 1 ? " (on \(first))" : " (on \(first) and \(pages.count - 1) more pages)"
            }
            return Diagnostic(location, "link to \(finding.url): \(finding.problem)" + on, hint: finding.hint)
        }.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
        return report
    }

    /// Output path → the post or page it was made from, and every output path, read from the state the build
    /// saved: its site record, and the graph's keys only when the record of published URLs does not name them all
    /// (a build with drafts or future posts).
    private func origins() -> ([String: String], Set<String>) {
        let store = StateStore(siteState: options.state, engine: SiteBuilder.engine)
        if !options.includeDrafts, !options.includeFuture,
           let quick = store.loadQuick().flatMap({ StoredBuild($0, checkingNodes: false) }),
           let text = try? String(contentsOf: options.source.appendingPathComponent(URLRecord.file), encoding: .utf8) {
            var origins = [String: String]()
            for entry in URLRecord.parse(text).0.entries where !entry.gone { origins[entry.url.outputPath.value] = entry.source }
            let files = Set(quick.site.outputs.keys)
            if origins.keys.allSatisfy(files.contains) { return (origins, files) }
        }
        let (stored, _) = store.loadBuild()
        var origins = [String: String]()
        for (path, stamp) in stored.site.outputs {
            guard Int(stamp.key) < stored.graph.keys.count, let id = OutputID(stored.graph.keys[Int(stamp.key)].id)
            else { continue }
            switch id {
            case .post(let source), .page(let source): origins[path] = source
            default: break
            }
        }
        return (origins, Set(stored.site.outputs.keys))
    }

    /// Where `url` is written: in `source` (a post or page), else in a template of the site or its theme.
    private func locate(_ url: String, source: String?, theme: String) -> SourceLocation? {
        let root = options.source.standardizedFileURL
        func find(in file: String) -> SourceLocation? {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { return nil }
            return Self.position(of: url, in: text).map { SourceLocation(file: file, line: $0.line, column: $0.column) }
        }
        if let source, let found = find(in: source) { return found }
        for folder in ["templates", "themes/\(theme)/templates"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let file as String in walker where file.hasSuffix(".mustache") {
                if let found = find(in: folder + "/" + file) { return found }
            }
        }
        for name in EmbeddedTheme.files.keys.sorted() where name.hasSuffix(".mustache") {
            if let text = EmbeddedTheme.files[name], let at = Self.position(of: url, in: text) {
                return SourceLocation(file: "(built-in theme)/" + name, line: at.line, column: at.column)
            }
        }
        return source.map { SourceLocation(file: $0) }
    }

    /// Line and column (from 1) of `url` in `text`, looked for between `(` and `)`, `<` and `>` or quotes first (so
    /// that `/a/#x` is not found inside `/a/#xy`).
    static func position(of url: String, in text: String) -> (line: Int, column: Int)? {
        let needles = Set([url, url.replacingOccurrences(of: "&", with: "&amp;"), url.removingPercentEncoding ?? url])
        let pairs = [("(", ")"), ("(", " "), ("\"", "\""), ("'", "'"), ("<", ">"), ("", "")]
        for (opening, closing) in pairs {
            for needle in needles {
                guard let range = text.range(of: opening + needle + closing) else { continue }
                let start = text.index(range.lowerBound, offsetBy: opening.count)
                let before = text[..<start]
                let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
                return (line, before.distance(from: lineStart, to: start) + 1)
            }
        }
        return nil
    }
}
