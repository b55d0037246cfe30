import Foundation
import QuillGraph
import QuillMarkdown

/// One file the build produces.
public struct RenderedOutput: Sendable, Equatable {
    public var path: OutputPath
    public var bytes: Data
    /// The output node that produced it (`post:content/posts/a.md`, `tag:c-plus-plus:1`, `static:css/style.css`).
    public var origin: String
}

/// Builds a site through its incremental build graph: load → parse → index → render → write. Only outputs whose
/// reads changed are rendered again, only changed bytes are written, and nothing is written unless every stage
/// succeeds. The graph's state lives in `.quill/state` in the site folder.
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

    /// A finished graph run: every output node is up to date.
    struct Run {
        let graph: BuildGraph
        let inputs: SiteInputs
        let outputs: OutputList
        /// The graph's ids of the output nodes, in the order of `outputs.entries`.
        let outputIDs: [Int32]
        var report: BuildReport
        /// Stat data of the previous build's outputs, taken at the start of this one (nil when not taken).
        var outputStats: [String: FileSnapshot.Stat]? = nil
        /// True when the output folder holds what the last build wrote, unchecked (`BuildOptions.checksOutputs`).
        var trustsOutputs = false
        /// Outputs already written as they were rendered (see `Streaming`).
        var streamed: WrittenFiles? = nil
        /// The record of published URLs the build leaves (nil: it keeps none).
        var urlRecord: URLStability.Record? = nil
    }

    /// Builds the site into `options.output`, incrementally unless `options.clean`; throws every error found,
    /// leaving the output folder as it was (see `Streaming` for a build into an empty one).
    public func build() throws(BuildFailure) -> BuildReport {
        let start = ContinuousClock.now
        try checkOutputFolder()
        let state = StatePrefetch(store: StateStore(siteState: options.state, engine: Self.engine), options: options)
        let snapshot = Self.snapshot(of: options.source)
        Trace.mark("snapshot", start)
        try checkOutputFolderIsQuills(stateFolder: state.lastOutputFolder)
        let outputStats = state.outputStats()
        // An output folder that is trusted without a look must at least still be there.
        let outputGone = !options.checksOutputs && !FileManager.default.fileExists(atPath: options.output.path)
        if !outputGone, var report = unchangedSite(snapshot, state, outputStats) {
            report.duration = ContinuousClock.now - start
            return report
        }
        Trace.mark("unchanged-site check done", start)
        let (previous, stateNotice) = state.previous(forgettingOutputs: outputGone)
        Trace.mark("state loaded", start)
        let (publisher, publishNotice) = self.publisher()
        Trace.mark("publisher", start)
        let writer = OutputWriter(directory: options.output)
        let streaming = previous.site.outputs.isEmpty && writer.isEmpty ? Streaming(writer: writer, publisher: publisher) : nil
        // A preview's pages shown in browsers, written in place before the rest (see `FirstPages`).
        let first = streaming == nil && publisher == nil
            ? options.firstPages.map { FirstWrites($0, directory: options.output) } : nil
        var run: Run
        do {
            run = try self.run(previous: previous, snapshot: snapshot, stateWrittenAt: state.store.writtenAt,
                               streaming: streaming, first: first)
        } catch {
            streaming?.undo()
            first?.undo()
            throw error
        }
        if state.quick?.site.outputFolder == previous.site.outputFolder { run.outputStats = outputStats }
        run.trustsOutputs = !options.checksOutputs
        run.report.notices += [stateNotice, publishNotice].compactMap { $0 }
        Trace.mark("graph run", start)
        do {
            try write(&run, previous: previous, store: state.store,
                      publisher: streaming == nil || streaming?.publisher != nil ? publisher : nil, first: first)
        } catch {
            first?.undo()
            throw error
        }
        if let record = run.urlRecord { URLStability.save(record, in: options.source, report: &run.report) }
        run.report.duration = ContinuousClock.now - start - (first?.held ?? .zero)  // the build's own time
        Trace.mark("written", start)
        KindClock.report(groups: ["search.", "post", "out"])
        release(run.graph, previous, state.quick as Any, snapshot)
        return run.report
    }

    /// The publisher of a build (see `Publisher`), with a note when the file system cannot swap folders and the
    /// site is written in place instead; nil for a preview, which builds in place by design.
    private func publisher() -> (Publisher?, notice: String?) {
        guard options.publishesAtomically else { return (nil, nil) }
        let candidate = Publisher(live: options.output, stateFolder: options.state.deletingLastPathComponent())
        candidate.restoreCarried()
        if candidate.canSwap() { return (candidate, nil) }
        return (nil, "note: this file system cannot swap two folders in one step (renameat2 with RENAME_EXCHANGE), "
            + "so the site is written in place: a build killed midway may leave \(options.output.lastPathComponent)/ "
            + "half written until the next build")
    }

    /// Puts the run's outputs on disk (see `OutputWriter.apply`), saves the state, and puts the counts into the
    /// report.
    private func write(_ run: inout Run, previous: StoredBuild, store: StateStore, publisher: Publisher?,
                       first: FirstWrites? = nil) throws(BuildFailure)
    {
        do {
            let outcome = try OutputWriter(directory: options.output).apply(
                run, previous: previous.site, publisher: publisher, failsAfter: options.failsAfterWrites)
            // The files written first are found as they should be now, and are not written again.
            let wroteFirst = first?.written.map(\.value) ?? []
            let wrote = Set(outcome.written.wrote + wroteFirst).sorted().map(OutputPath.init)
            run.report.written = wrote
            run.report.unchanged = outcome.plan.entries.count - wrote.count
            run.report.removed = outcome.removed
            if let problem = saveState(run, outcome, previous: previous, store: store) {
                run.report.warnings.append(Diagnostic(
                    SourceLocation(file: options.state.path), "the build state could not be saved: \(problem)",
                    hint: "the site in \(options.output.lastPathComponent)/ is complete; free some disk space, and the "
                        + "next build will check every page again", severity: .warning))
            }
        } catch {
            throw writeFailure(error) ?? BuildFailure([Diagnostic(SourceLocation(file: options.output.path),
                                                                  "cannot write the site: \(error)")])
        }
    }

    /// What becomes of a finished build's memory (`BuildOptions.memory`).
    private func release(_ leftovers: Any...) {
        switch options.memory {
        case .freed: break
        case .keptToExit: MemoryKeptToExit.keep(leftovers)
        case .freedInBackground:
            nonisolated(unsafe) let leftovers = leftovers
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(200)) { _ = leftovers }
        }
    }

    /// Every output of a clean build, in path order, without touching the disk's output folder or the state.
    public func render() throws(BuildFailure) -> ([RenderedOutput], BuildReport) {
        let run = try self.run(previous: StoredBuild(engine: Self.engine), snapshot: Self.snapshot(of: options.source),
                               stateWrittenAt: nil)
        do {
            let outputs = try run.outputs.entries.map { entry -> RenderedOutput in
                let file = try run.graph.value(Node.Output(entry))
                return RenderedOutput(path: OutputPath(file.path), bytes: file.bytes, origin: entry.name)
            }
            return (outputs, run.report)
        } catch let failure as BuildFailure {
            throw failure
        } catch {
            throw BuildFailure([Diagnostic(SourceLocation(file: options.source.path), "internal error: \(error)")])
        }
    }

    /// Builds incrementally, then cleanly in memory, and names every output file that differs between the two
    /// (an empty list means the incremental build is exactly a clean one).
    public func verify() throws(BuildFailure) -> (BuildReport, differences: [String]) {
        let report = try build()
        let (clean, _) = try render()
        var differences = [String]()
        // What the build made: files under the names its mark lists (others at the top were put there by hand).
        let mark = OutputMark.read(in: options.output.standardizedFileURL.path)
        let onDisk = OutputWriter(directory: options.output).existingFiles().filter { path in
            mark.map { $0.names.contains(OutputMark.topName(path)) } ?? (path != OutputMark.fileName)
        }
        let expected = Dictionary(uniqueKeysWithValues: clean.map { ($0.path.value, $0.bytes) })
        for path in Set(onDisk).union(expected.keys).sorted() {
            guard let bytes = expected[path] else {
                differences.append("\(path): not produced by a clean build")
                continue
            }
            let actual = FileManager.default.contents(atPath: options.output.appendingPathComponent(path).path)
            if actual == nil {
                differences.append("\(path): missing")
            } else if actual != bytes {
                differences.append("\(path): differs from a clean build")
            }
        }
        return (report, differences)
    }

    // MARK: The graph run

    static func snapshot(of source: URL) -> FileSnapshot {
        FileSnapshot(root: source.standardizedFileURL, folders: ["content", "templates", "static", "themes"],
                     singles: [ConfigParser.file, URLRecord.file])
    }

    func inputs(_ snapshot: FileSnapshot, previous: [String: SiteRecord.FileStamp], stateWrittenAt: Int64?)
        throws(BuildFailure) -> SiteInputs
    {
        SiteInputs(
            root: options.source.standardizedFileURL, snapshot: snapshot,
            options: ["drafts": options.includeDrafts ? "true" : "false",
                      "future": options.includeFuture ? "true" : "false", "baseURL": try checkedBaseURL(),
                      "sourceDateEpoch": options.sourceDateEpoch.map { String($0.timeIntervalSince1970) } ?? "",
                      "highlighter": MarkdownRenderer.highlighterVersion],
            now: options.now, previous: previous, stateWrittenAt: stateWrittenAt)
    }

    /// An output that could not be written (a full disk, a file size limit, permissions), named by its place in
    /// the output folder.
    private func writeFailure(_ error: Error) -> BuildFailure? {
        guard let failure = error as? AtomicFile.WriteError else { return nil }
        let path = failure.path.hasPrefix("/") ? failure.path : options.output.appendingPathComponent(failure.path).path
        return BuildFailure([Diagnostic(
            SourceLocation(file: path), "cannot write the file: \(failure.reason)",
            hint: "free some disk space (or fix the folder's permissions), then build again; the last good site "
                + "is unchanged")])
    }

    private func run(previous: StoredBuild, snapshot: FileSnapshot, stateWrittenAt: Int64?,
                     streaming: Streaming? = nil, first: FirstWrites? = nil) throws(BuildFailure) -> Run {
        try checkOutputFolder()
        do {
            return try runGraph(previous: previous, snapshot: snapshot, stateWrittenAt: stateWrittenAt,
                                streaming: streaming, first: first)
        } catch let failure as BuildFailure {
            throw failure
        } catch let error as AtomicFile.WriteError {
            throw writeFailure(error)!
        } catch {
            throw BuildFailure([Diagnostic(SourceLocation(file: options.source.path), "internal error: \(error)")])
        }
    }

    private func runGraph(previous: StoredBuild, snapshot: FileSnapshot, stateWrittenAt: Int64?,
                          streaming: Streaming?, first: FirstWrites?) throws -> Run {
        let loader = SiteLoader(root: options.source)
        let inputs = try self.inputs(snapshot, previous: previous.site.files, stateWrittenAt: stateWrittenAt)
        var rules = SiteRules(loader: loader, now: options.now)
        rules.renderObserver = options.renderObserver
        rules.progress = options.progress
        rules.templateCache = options.templateCache
        let traceStart = ContinuousClock.now
        let graph = try BuildGraph(rules: rules, inputs: inputs, previous: previous.graph)
        Trace.mark("  graph opened, dirty marked", traceStart)
        var report = BuildReport()

        let config = try graph.value(Node.Settings())
        report.warnings = config.diagnostics.filter { $0.severity == .warning } + snapshot.warnings
        guard config.config != nil else { throw BuildFailure(config.diagnostics.filter { $0.severity == .error }) }

        // Parse every post and page in parallel; they read nothing of each other.
        let sources = try graph.value(Node.SourceFiles())
        options.progress?.start("posts", total: sources.posts.count + sources.pages.count)
        try graph.ensureAll(sources.posts.flatMap {
            [Node.PostMeta($0).key, Node.PostFacts($0).key, Node.PostCard($0).key]
        }, groupSize: 3)
        try graph.ensureAll(sources.pages.map { Node.PageCard($0).key })
        Trace.mark("  posts parsed", traceStart)
        // Image headers on both cores (each reads its whole file), before the output list asks for them one by one.
        let images = (Array(sources.bundles.keys) + Array(sources.statics.values)).filter(ImageFiles.isImage).sorted()
        if !images.isEmpty {
            options.progress?.start("images", total: images.count)
            try graph.ensureAll(images.map { Node.Image($0).key })
            Trace.mark("  \(images.count) image headers read", traceStart)
        }

        var bag = DiagnosticBag()
        let index = try graph.value(Node.Index())
        bag.add(contentsOf: index.diagnostics)
        bag.add(contentsOf: try graph.value(Node.Templates()).diagnostics)
        try bag.throwIfErrors()
        Trace.mark("  index and templates", traceStart)
        if config.config!.search.enabled {
            // The search index's groups, then its partitions, on both cores, before the output list asks for them
            // one by one.
            let parts = SearchPartitions.count
            let groups = SearchGroups.ids(index)
            let partIDs = try graph.ensureAll(groups.flatMap { g in
                (0..<parts).map { Node.SearchGroupPart(group: g, partition: $0).key } + [Node.SearchGroupDocs(g).key]
            }, groupSize: parts + 1)
            try graph.ensureAll([Node.SearchNumbering().key])  // read by every partition: made once, first
            try graph.ensureAll((0..<parts).map { Node.SearchPartitionWords($0).key } + [Node.SearchDocLists().key])
            // What the partitions were made of is not needed again in this build (the parts stay in the state).
            for id in partIDs { graph.forgetValue(of: id) }
            for g in groups { graph.forgetValue(of: graph.id(for: Node.SearchGroupWords(g).key)) }
            Trace.mark("  search index groups and partitions", traceStart)
        }
        let early = streaming == nil ? nil : EarlyPostPages(graph: graph, posts: index.posts)
        let outputs: OutputList
        do {
            defer { early?.stop() }
            outputs = try graph.value(Node.Outputs())
        }
        Trace.mark("  output list (\(early?.rendered ?? 0) post pages rendered meanwhile)", traceStart)
        if !outputs.diagnostics.isEmpty { throw BuildFailure(outputs.diagnostics) }
        // What moved or went, said by the build that finds it: when the match with the URL record was not made
        // again, nothing did, and the record on disk is the one it left (its value, 1.4 MB at 10,000 posts, is
        // not even read).
        var urls = URLStability()
        try graph.ensure(Node.URLHistory().key)
        switch graph.reason(Node.URLHistory().key) {
        case .new?, .changed?:
            urls = try URLStability(try graph.value(Node.URLHistory()), outputs: outputs, options: options)
        default: break
        }
        options.progress?.start("files", total: outputs.entries.count,
                                images: outputs.entries.count { $0.name.hasPrefix("variant:") })

        let outputIDs: [Int32]
        let order = Self.renderingOrder(outputs.entries)
        if let streaming {
            let failsAfter = options.failsAfterStreamedWrites
            outputIDs = outputs.entries.map { graph.id(for: Node.Output($0)) }
            let disk = StreamedWrites(streaming, failsAfter: failsAfter)
            do {
                try Parallel.forEach(order.count) { n in
                    let i = order[n]
                    try disk.check()
                    let fingerprint = try graph.ensure(outputIDs[i])
                    let file = try graph.value(of: outputIDs[i], as: Node.Output.self)
                    graph.forgetValue(of: outputIDs[i])  // handed to the writer; the state keeps only its fingerprint
                    disk.write(file, id: outputIDs[i], fingerprint: fingerprint)
                }
            } catch {
                disk.finishIgnoringErrors()
                throw error
            }
            try disk.finish()
        } else {
            if let first {
                try writeFirst(first, graph: graph, outputs: outputs, previous: previous.site)
                Trace.mark("  first pages written (\(first.written.count))", traceStart)
            }
            let ordered = try graph.ensureAll(order.map { Node.Output(outputs.entries[$0]).key })
            var ids = [Int32](repeating: 0, count: ordered.count)
            for (n, i) in order.enumerated() { ids[i] = ordered[n] }
            outputIDs = ids
        }
        Trace.mark("  outputs rendered", traceStart)

        for (path, time) in zip(index.skipped, index.scheduled) {
            let goesLive = time.isFinite ? DateParts(Date(timeIntervalSince1970: time), in: try configZone(graph)) : nil
            report.skipped.append(.init(source: path, goesLive: goesLive))
        }
        report.posts = index.posts.count
        report.pages = index.pages.count
        report.tags = index.tags.count
        report.feeds = 3 + 2 * index.tags.count
        report.htmlFiles = outputs.entries.filter { $0.path.hasSuffix(".html") }.count
        report.outputs = outputs.entries.count
        report.rendered = outputIDs.filter {
            switch graph.reason(ofID: $0) {
            case .new?, .changed?: return true
            default: return false
            }
        }.count
        report.checked = graph.statistics.checked
        if Trace.enabled {
            let kinds = graph.checkedByKind.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            Trace.mark("  checked: " + kinds.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", "), traceStart)
        }
        report.warnings += rules.warnings.items
        report.notices += urls.notices
        return Run(graph: graph, inputs: inputs, outputs: outputs, outputIDs: outputIDs, report: report,
                   streamed: streaming?.written, urlRecord: urls.record)
    }

    /// The order in which outputs are rendered (indexes into `entries`): as listed, but resized copies last, the
    /// copies of two images taken turn about. The copies of one image are cut from one decoded picture; were they
    /// rendered one after the other, the second core would wait while the first decodes it, for every image.
    static func renderingOrder(_ entries: [OutputList.Entry]) -> [Int] {
        var order = [Int]()
        order.reserveCapacity(entries.count)
        var images = [[Int]]()
        var imageOf = [Substring: Int]()  // source → its place in `images`
        for (i, entry) in entries.enumerated() {
            guard entry.name.hasPrefix("variant:") else {
                order.append(i)
                continue
            }
            let source = entry.name.split(separator: ":", maxSplits: 3).last ?? ""  // variant:<w>:<format>:<source>
            if let n = imageOf[source] {
                images[n].append(i)
            } else {
                imageOf[source] = images.count
                images.append([i])
            }
        }
        var pair = 0
        while pair < images.count {
            let a = images[pair], b = pair + 1 < images.count ? images[pair + 1] : []
            for k in 0..<max(a.count, b.count) {
                if k < a.count { order.append(a[k]) }
                if k < b.count { order.append(b[k]) }
            }
            pair += 2
        }
        return order
    }

    private func configZone(_ graph: BuildGraph) throws -> TimeZone {
        (try graph.value(Node.Settings())).config?.timeZone ?? TimeZone(identifier: "UTC")!
    }

    private func checkedBaseURL() throws(BuildFailure) -> String {
        guard let baseURL = options.baseURL else { return "" }
        guard let url = URL(string: baseURL), url.scheme != nil, url.host != nil else {
            throw BuildFailure([Diagnostic(SourceLocation(file: "--base-url"), "not an absolute URL: \(baseURL)",
                                           hint: "for example --base-url http://localhost:8000/")])
        }
        return baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
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

    /// Refuses an output folder that holds files and no sign of a Quill build (`OutputMark`, a publisher's spare
    /// folder beside it), unless `options.force`: `--output ~/Documents` must not take a folder of the user's over.
    /// A folder the state was saved for (`stateFolder`) is Quill's too.
    func checkOutputFolderIsQuills(stateFolder: String?) throws(BuildFailure) {
        let output = options.output.standardizedFileURL
        guard !options.force, stateFolder != output.path, !OutputWriter(directory: output).isEmpty, !OutputMark.isMarked(output.path),
              !FileManager.default.fileExists(atPath: Publisher.spareFolder(of: output).path) else { return }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).sorted().map { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: output.path + "/" + name, isDirectory: &isFolder)
                && isFolder.boolValue ? name + "/" : name
        }
        let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        throw BuildFailure([Diagnostic(
            SourceLocation(file: output.path),
            "the output folder is not empty and no Quill build made it (it holds \(shown))",
            hint: "build into a new or empty folder (--output), or move those files away; `--force` builds into it "
                + "anyway: a build replaces what is there under the names the site produces (index.html, tags/ …) "
                + "and keeps any other name at the top")])
    }

    /// Identifies the quill binary, so that a state made by another one is not trusted.
    static let engine: Fingerprint = {
        var hasher = StableHasher()
        hasher.combine(GraphState.formatVersion)
        if let stat = FileSnapshot.stat(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path) {
            hasher.combine(stat.size)
            hasher.combine(UInt64(bitPattern: stat.mtimeSeconds))
            hasher.combine(UInt64(bitPattern: stat.mtimeNanoseconds))
        }
        return hasher.finalize()
    }()
}
