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
        let output = options.output.standardizedFileURL
        var files = Set<String>()
        if let walker = FileManager.default.enumerator(at: output, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let path = String(url.standardizedFileURL.path.dropFirst(output.path.count + 1))
                if path != OutputMark.fileName { files.insert(path) }
            }
        }
        let html = files.filter { $0.hasSuffix(".html") }.sorted()
        let prefix = output.path + "/"
        let scanned = (try? Parallel.map(html.count) { i in  // read and scanned on every core
            FileManager.default.contents(atPath: prefix + html[i]).map { LinkCheck.scan(String(decoding: $0, as: UTF8.self)) }
                ?? LinkCheck.Page()
        }) ?? []
        let pages = Dictionary(uniqueKeysWithValues: zip(html, scanned))
        let config = (try? ConfigParser.parse(String(contentsOf: options.source.appendingPathComponent(ConfigParser.file),
                                                    encoding: .utf8)).0) ?? nil
        var rootPath = config?.rootPath ?? "/"
        if let base = options.baseURL, let url = URL(string: base) { rootPath = url.path.hasSuffix("/") ? url.path : url.path + "/" }
        let origins = self.origins()
        // A broken link in a post shows on its page and again in its summary on list pages: it is reported once,
        // where the author wrote it.
        var findings = LinkCheck.check(pages, files: files, rootPath: rootPath)
        let authored = Set(findings.filter { origins[$0.page] != nil }.map(\.target))
        findings.removeAll { origins[$0.page] == nil && authored.contains($0.target) }
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

    /// Output path → the post or page it was made from, read from the state the build saved.
    private func origins() -> [String: String] {
        let (stored, _) = StateStore(siteState: options.state, engine: SiteBuilder.engine).loadBuild()
        var origins = [String: String]()
        for (path, stamp) in stored.site.outputs {
            guard Int(stamp.key) < stored.graph.keys.count, let id = OutputID(stored.graph.keys[Int(stamp.key)].id)
            else { continue }
            switch id {
            case .post(let source), .page(let source): origins[path] = source
            default: break
            }
        }
        return origins
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
