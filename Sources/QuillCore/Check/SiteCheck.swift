import Foundation
import QuillGraph

/// `quill check`: the site built (incrementally, as `quill build` does), then every internal link of every page
/// checked (`LinkCheck`), each broken one reported where it was written: the post's or page's file, line and column
/// when its text holds the URL, else the template that does, else the page itself. `run(external:)` asks off-site
/// links too (`quill check --external`); `checkPages` checks a rebuild's pages alone (`quill serve`).
public struct SiteCheck: Sendable {
    public struct Report: Sendable {
        public var build: BuildReport
        /// One error per broken link, in file order.
        public var problems: [Diagnostic]
        /// Links that work but are worth a look: an off-site page that moved for good (`--external`).
        public var warnings: [Diagnostic] = []
        public var pages = 0
        public var links = 0
        /// The distinct off-site URLs checked, and how many of them were answered from the cache; nil without
        /// `--external`.
        public var external: (urls: Int, cached: Int)?

        public var summary: String {
            var checked = "checked \(links) links on \(pages) pages"
            if let external {
                checked += " and \(external.urls) external URLs"
                if external.cached > 0 { checked += " (\(external.cached) answered from the cache)" }
            }
            var outcome = problems.isEmpty ? "all good" : "\(problems.count) broken"
            if !warnings.isEmpty { outcome += ", \(warnings.count) moved" }
            return checked + ": " + outcome
        }
    }

    /// A built site with every page scanned: what a report is made from.
    struct ScannedBuild {
        var build: BuildReport
        var files: Set<String>
        var pages: [String: LinkCheck.Page]
        var settings: Settings
        var origins: [String: String]
    }

    /// What the check needs of site.toml.
    struct Settings {
        /// The site's address (`https://example.org/blog/`), and where on its host it is served from (`/blog/`).
        var baseURL = ""
        var rootPath = "/"
        var theme = "default"
    }

    let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    /// The site built, and its internal links checked.
    public func run() throws(BuildFailure) -> Report {
        let site = try buildAndScan()
        return report(site, findings: LinkCheck.check(site.pages, files: site.files, rootPath: site.settings.rootPath))
    }

    /// The broken links on some pages of the site already built into the output folder (output paths, as
    /// `BuildReport.written` lists them), checked against everything published there, as warnings: `quill serve`
    /// calls this after each rebuild. Only these pages are read; another file is only `stat`ed, and another page is
    /// read only when a fragment link needs its ids, so a one-post edit costs milliseconds at any size of site.
    ///
    /// A link on a list page (a page of unknown origin) that is written in no template and no changed file is in
    /// the summary of a post: it is left to the check of that post's page, so that each rebuild of the home page
    /// does not repeat the broken links of its posts.
    /// - Parameters:
    ///   - origins: output path → the post or page it was made from (see `origins()`), as far as known.
    ///   - changed: site files the rebuild was for (`content/posts/a.md`); a link on a page of unknown origin is
    ///     looked for in them before the templates.
    ///   - outputs: every published file, when known (see `outputs()`): the hint of a link to no page is found
    ///     among them; without them the folder is listed, which takes a second at 4,000 posts.
    public func checkPages(_ paths: [String], origins: [String: String] = [:], changed: [String] = [],
                           outputs: Set<String>? = nil) -> [Diagnostic] {
        let start = ContinuousClock.now
        let pages = scan(paths.filter { $0.hasSuffix(".html") })
        let settings = settings()
        Trace.mark("check: \(pages.count) pages scanned", start)
        let folder = PublishedFolder(options.output, scanned: pages, files: outputs)
        let findings = LinkCheck.check(pages, in: folder, rootPath: settings.rootPath)
        Trace.mark("check: \(findings.count) broken links found", start)
        defer { Trace.mark("check: placed", start) }
        return diagnostics(findings, origins: origins, changed: changed, theme: settings.theme, placedOnly: true).map {
            var warning = $0
            warning.severity = .warning
            return warning
        }
    }

    /// Every HTML page in the output folder (output paths): for a check of the whole site already built.
    public func publishedPages() -> [String] {
        PublishedFolder.files(in: options.output).filter { $0.hasSuffix(".html") }.sorted()
    }

    /// Builds the site, then lists its files and scans its pages.
    func buildAndScan() throws(BuildFailure) -> ScannedBuild {
        let build = try SiteBuilder(options: options).build()
        let start = ContinuousClock.now
        let (built, origins) = outputs()
        let files = built.union(handPlaced(besides: built))
        Trace.mark("check: \(files.count) files listed", start)
        let pages = scan(files.filter { $0.hasSuffix(".html") }.sorted())
        Trace.mark("check: \(pages.count) pages read and scanned", start)
        return ScannedBuild(build: build, files: files, pages: pages, settings: settings(), origins: origins)
    }

    /// The files put into the output folder by hand, beside the names `built` uses at its top (CNAME, keybase.txt,
    /// .well-known/): links may lead there too.
    private func handPlaced(besides built: Set<String>) -> Set<String> {
        let output = options.output.standardizedFileURL
        let topNames = Set(built.map { OutputMark.topName($0) })
        var files = Set<String>()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        where !topNames.contains(name) && name != OutputMark.fileName {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: output.path + "/" + name, isDirectory: &isFolder) else { continue }
            if !isFolder.boolValue {
                files.insert(name)
            } else {
                files.formUnion(PublishedFolder.files(in: output.appendingPathComponent(name)).map { name + "/" + $0 })
            }
        }
        return files
    }

    /// The report of a scanned build with these findings: errors, and warnings for findings that are warnings.
    func report(_ site: ScannedBuild, findings: [LinkCheck.Finding]) -> Report {
        let all = diagnostics(findings, origins: site.origins, theme: site.settings.theme)
        var report = Report(build: site.build, problems: all.filter { $0.severity == .error })
        report.warnings = all.filter { $0.severity == .warning }
        report.pages = site.pages.count
        report.links = site.pages.values.reduce(0) { $0 + $1.links.count }
        return report
    }

    /// Output paths of HTML pages → their pages, read and scanned on every core.
    private func scan(_ html: [String]) -> [String: LinkCheck.Page] {
        let prefix = options.output.standardizedFileURL.path + "/"
        let scanned = (try? Parallel.map(html.count) { i -> LinkCheck.Page in  // each page's bytes, where they are read
            guard let data = FileManager.default.contents(atPath: prefix + html[i]) else { return LinkCheck.Page() }
            return data.withUnsafeBytes { LinkCheck.scan($0.bindMemory(to: UInt8.self)) }
        }) ?? []
        return Dictionary(zip(html, scanned)) { first, _ in first }
    }

    /// The address, root path and theme of site.toml (the address of `options.baseURL` when it is set).
    private func settings() -> Settings {
        let config = (try? ConfigParser.parse(String(contentsOf: options.source.appendingPathComponent(ConfigParser.file),
                                                    encoding: .utf8)).0) ?? nil
        var settings = Settings(baseURL: config?.baseURL ?? "", rootPath: config?.rootPath ?? "/",
                                theme: config?.theme ?? "default")
        if let base = options.baseURL, let url = URL(string: base) {
            settings.baseURL = base
            settings.rootPath = url.path.hasSuffix("/") ? url.path : url.path + "/"
        }
        return settings
    }

    /// One diagnostic per place a broken link is written, in file order; with `placedOnly`, none for a link on a
    /// page of unknown origin that is written in no source looked at.
    private func diagnostics(_ findings: [LinkCheck.Finding], origins: [String: String], changed: [String] = [],
                             theme: String, placedOnly: Bool = false) -> [Diagnostic] {
        // A broken link in a post shows on its page and again in its summary on list pages: it is reported once,
        // where the author wrote it.
        var findings = findings
        let authored = Set(findings.filter { origins[$0.page] != nil }.map(\.target))
        findings.removeAll { origins[$0.page] == nil && authored.contains($0.target) }
        // One report per place the link is written: a template's broken link is on every page it makes.
        var byPlace = [String: (SourceLocation, LinkCheck.Finding, pages: [String])]()
        for finding in findings {
            let origin = origins[finding.page]
            guard let location = locate(finding.url, source: origin, changed: changed, theme: theme)
                ?? (placedOnly && origin == nil ? nil : SourceLocation(file: shown(options.output) + "/" + finding.page))
            else { continue }
            let place = "\(location)\u{0}\(finding.url)\u{0}\(finding.problem)"
            byPlace[place, default: (location, finding, [])].pages.append(finding.page)
        }
        return byPlace.values.map { location, finding, pages in
            // A template's link is on many pages: say which.
            var on = ""
            if location.file != origins[finding.page] {
                let first = OutputPath(pages.min()!).urlPath.value
                on = pages.count == 1 ? " (on \(first))" : " (on \(first) and \(pages.count - 1) more pages)"
            }
            return Diagnostic(location, "link to \(finding.url): \(finding.problem)" + on, hint: finding.hint,
                              severity: finding.severity)
        }.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    /// A file or folder as a report names it: from the site folder when it is inside (`public`,
    /// `.quill/serve/public`), else by its name.
    func shown(_ url: URL) -> String {
        let source = options.source.standardizedFileURL.path + "/", path = url.standardizedFileURL.path
        return path.hasPrefix(source) ? String(path.dropFirst(source.count)) : url.lastPathComponent
    }

    /// Output path → the post or page it was made from, read from the state the last build saved.
    public func origins() -> [String: String] { outputs().origins }

    /// Every output of the last build, and the origins of those made from a post or page, read from its state: from
    /// its site record and `published-urls.txt` when that names every post and page the build published, else
    /// (a build with drafts or future posts, a preview) from the whole graph, which takes longer on a large site.
    public func outputs() -> (all: Set<String>, origins: [String: String]) {
        let store = StateStore(siteState: options.state, engine: SiteBuilder.engine)
        if options.recordsURLs, !options.includeDrafts, !options.includeFuture,
           let quick = store.loadQuick().flatMap({ StoredBuild($0, checkingNodes: false) }),
           let text = try? String(contentsOf: options.source.appendingPathComponent(URLRecord.file), encoding: .utf8) {
            var origins = [String: String]()
            for entry in URLRecord.parse(text).0.entries where !entry.gone { origins[entry.url.outputPath.value] = entry.source }
            let all = Set(quick.site.outputs.keys)
            if origins.keys.allSatisfy(all.contains) { return (all, origins) }
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
        return (Set(stored.site.outputs.keys), origins)
    }

    /// Where `url` is written: in `source` (a post or page), else in one of the `changed` files, else in a template
    /// of the site or its theme.
    private func locate(_ url: String, source: String?, changed: [String] = [], theme: String) -> SourceLocation? {
        let root = options.source.standardizedFileURL
        func find(in file: String) -> SourceLocation? {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { return nil }
            return Self.position(of: url, in: text).map { SourceLocation(file: file, line: $0.line, column: $0.column) }
        }
        if let source, let found = find(in: source) { return found }
        for file in changed where file != source {
            if let found = find(in: file) { return found }
        }
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
