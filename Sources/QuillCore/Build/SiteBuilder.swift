import Foundation

/// Builds a site: load → parse → assemble → render → write. Nothing is written unless every stage succeeds.
///
/// ```swift
/// let options = BuildOptions(source: URL(fileURLWithPath: "."), now: Date())
/// let report = try SiteBuilder(options: options).build()
/// print(report.summary)
/// ```
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Builds the site into `options.output`; throws every error found, having written nothing.
    public func build() throws(BuildFailure) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        var (result, report) = try render()
        do {
            let summary = try OutputWriter(directory: options.output).write(result)
            report.written = summary.written
            report.unchanged = summary.unchanged
            report.removed = summary.removed
        } catch {
            throw BuildFailure([Diagnostic(SourceLocation(file: options.output.path), "cannot write the site: \(error)")])
        }
        report.duration = clock.now - start
        return report
    }

    /// Every output of the site, in path order, without touching the disk's output folder.
    public func render() throws(BuildFailure) -> ([RenderedOutput], BuildReport) {
        try checkOutputFolder()
        var report = BuildReport()
        var (sources, problems) = try SiteLoader(root: options.source).load()
        report.warnings = problems.filter { $0.severity == .warning }
        if let baseURL = options.baseURL {
            guard let url = URL(string: baseURL), url.scheme != nil, url.host != nil else {
                throw BuildFailure([Diagnostic(SourceLocation(file: "--base-url"), "not an absolute URL: \(baseURL)",
                                               hint: "for example --base-url http://localhost:8000/")])
            }
            sources.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        }
        let config = sources.config

        // Parse every post and page (in parallel), and compile the templates; report all their errors together.
        let parser = ContentParser(config: config)
        let posts = Self.parallelMap(sources.posts) { parser.parsePost($0) }
        let pages = Self.parallelMap(sources.pages) { parser.parsePage($0) }
        var bag = DiagnosticBag()
        bag.add(contentsOf: problems.filter { $0.severity == .error })
        var templates: TemplateSet?
        do { templates = try TemplateSet(sources.templates) } catch { bag.add(contentsOf: error.diagnostics) }
        var published = [Post]()
        for result in posts {
            switch result {
            case .failure(let failure): bag.add(contentsOf: failure.diagnostics)
            case .success(let post):
                if post.isDraft && !options.includeDrafts {
                    report.skipped.append(.init(source: post.source, goesLive: nil))
                } else if post.date.date > options.now && !options.includeFuture {
                    report.skipped.append(.init(source: post.source, goesLive: post.date))
                } else {
                    published.append(post)
                }
            }
        }
        var publishedPages = [Page]()
        for result in pages {
            switch result {
            case .failure(let failure): bag.add(contentsOf: failure.diagnostics)
            case .success(let page):
                if !page.isDraft || options.includeDrafts { publishedPages.append(page) }
            }
        }
        try bag.throwIfErrors()
        guard let templates else { throw BuildFailure(bag.errors) }

        let site = Site(config: config, posts: published, pages: publishedPages)
        let feeds = FeedWriter(config: config, emptyFeedDate: options.sourceDateEpoch ?? Date(timeIntervalSince1970: 0))
        let renderer = SiteRenderer(site: site, templates: templates, views: Views(site), feeds: feeds)
        var outputs = renderer.render()
        outputs += Self.staticOutputs(sources.staticFiles, replacing: &outputs)
        outputs.sort { $0.path < $1.path }
        try Self.checkUniquePaths(outputs)

        report.posts = site.posts.count
        report.pages = site.pages.count
        report.tags = site.tags.count
        report.feeds = 3 + 2 * site.tags.count
        report.htmlFiles = outputs.filter(\.path.isHTML).count
        report.outputs = outputs.count
        return (outputs, report)
    }

    /// Static files as outputs; a static `robots.txt` replaces the generated one.
    private static func staticOutputs(_ files: [OutputPath: StaticFile], replacing generated: inout [RenderedOutput])
        -> [RenderedOutput]
    {
        if files[OutputPath("robots.txt")] != nil { generated.removeAll { $0.path.value == "robots.txt" } }
        return files.map { RenderedOutput(path: $0.key, bytes: $0.value.bytes, origin: $0.value.source) }
    }

    /// Two sources producing one file is an error naming both.
    private static func checkUniquePaths(_ sorted: [RenderedOutput]) throws(BuildFailure) {
        var diagnostics = [Diagnostic]()
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.path == b.path {
            let (first, second) = a.origin <= b.origin ? (a.origin, b.origin) : (b.origin, a.origin)
            diagnostics.append(Diagnostic(
                SourceLocation(file: second, line: second.hasPrefix("content/") ? 1 : nil, column: 1),
                "writes \(a.path.urlPath), which \(first) writes too",
                hint: "give one of them a different `slug` (or date), or rename the file"))
        }
        if !diagnostics.isEmpty { throw BuildFailure(diagnostics) }
    }

    private func checkOutputFolder() throws(BuildFailure) {
        let source = options.source.standardizedFileURL.path
        let output = options.output.standardizedFileURL.path
        if source == output || (source + "/").hasPrefix(output + "/") {
            throw BuildFailure([Diagnostic(
                SourceLocation(file: output), "the output folder holds the site's sources",
                hint: "Quill removes files it did not produce from the output folder; choose another, e.g. public/")])
        }
    }

    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: items.count) { slots.buffer[$0] = transform(items[$0]) }
        }
        return results.map { $0! }
    }
}
