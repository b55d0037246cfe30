import Foundation

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
    }

    /// A build into an output folder that is missing or empty has no last good site to keep intact, so each
    /// output is written as soon as it is rendered: the disk works while the cores render. Should the build fail
    /// after all, what it wrote is removed again.
    final class Streaming: Sendable {
        let writer: OutputWriter
        let folderExisted: Bool
        let written = WrittenFiles()
        /// Makes folders (and the outputs are written) relative to the open output folder, or the publisher's
        /// spare folder when there is a publisher.
        let folders: FolderMaker
        let publisher: Publisher?

        /// Nil when the output folder cannot be made or opened (the build then writes at the end, as usual).
        init?(writer: OutputWriter, publisher: Publisher?) {
            self.writer = writer
            self.publisher = publisher
            folderExisted = FileManager.default.fileExists(atPath: writer.directory.path)
            if let publisher {
                guard let fd = publisher.freshSpare() else { return nil }
                folders = FolderMaker(relativeTo: fd)
                return
            }
            try? FileManager.default.createDirectory(at: writer.directory, withIntermediateDirectories: true)
            let fd = open(writer.directory.path, O_RDONLY | O_DIRECTORY)
            guard fd >= 0 else { return nil }
            folders = FolderMaker(relativeTo: fd)
        }

        deinit { close(folders.base) }

        /// Removes what was written, leaving the folder as it was found.
        func undo() {
            let fm = FileManager.default
            if let publisher {
                publisher.removeSpare()
            } else if folderExisted {
                for name in (try? fm.contentsOfDirectory(atPath: writer.directory.path)) ?? [] {
                    try? fm.removeItem(at: writer.directory.appendingPathComponent(name))
                }
            } else {
                try? fm.removeItem(at: writer.directory)
            }
        }
    }

    /// Renders post pages on another core while this one lists the outputs, which it does alone (a tenth of a
    /// second at 10,000 posts, two thirds of one at 100,000). Every published post has a page, so none of this
    /// work is wasted; the pages wait in the graph for the writing loop, which finds them done. A page that fails
    /// is left for that loop, which reports it.
    final class EarlyPostPages: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private var count = 0
        private let finished = DispatchSemaphore(value: 0)

        init(graph: BuildGraph, posts: [String]) {
            DispatchQueue.global().async { [self] in
                defer { finished.signal() }
                for path in posts {
                    if lock.withLock({ stopped }) { return }
                    guard (try? graph.ensure(NodeKey("out", "post:" + path))) != nil else { continue }
                    lock.withLock { count += 1 }
                }
            }
        }

        /// Stops after the page in hand, and waits for it.
        func stop() {
            lock.withLock { stopped = true }
            finished.wait()
        }

        var rendered: Int { lock.withLock { count } }
    }

    /// The files of a streamed build, written in order of completion by one thread of their own while the
    /// others render. Creating files and folders serialises in the kernel (on ext4, two threads writing a site's
    /// files took as long as one and twice its system time); from one thread that work costs its floor and
    /// overlaps the rendering. At most `limit` rendered files wait for the writer, so memory stays bounded.
    /// The writer is woken once `batch` files wait, not for each one: waking a thread per file cost more than
    /// writing a small file (13,892 wake-ups for a 10,000-post site).
    final class StreamedWrites: @unchecked Sendable {
        private let streaming: Streaming
        private let failsAfter: Int?
        private let queue = DispatchQueue(label: "quill.writes")
        private let room: DispatchSemaphore
        private let batch: Int
        private let lock = NSLock()
        private var failure: Error?
        private var started = 0
        private var pending: [(file: OutputFile, id: Int32, fingerprint: Fingerprint)] = []
        private var writing = false

        init(_ streaming: Streaming, failsAfter: Int?, limit: Int = 256, batch: Int = 32) {
            self.streaming = streaming
            self.failsAfter = failsAfter
            room = DispatchSemaphore(value: limit)
            self.batch = min(batch, limit)
        }

        /// Throws the first write error, so that rendering stops soon after one.
        func check() throws {
            lock.lock()
            defer { lock.unlock() }
            if let failure { throw failure }
        }

        func write(_ file: OutputFile, id: Int32, fingerprint: Fingerprint) {
            room.wait()
            lock.lock()
            pending.append((file, id, fingerprint))
            let wake = !writing && pending.count >= batch
            if wake { writing = true }
            lock.unlock()
            if wake { queue.async { self.drain() } }
        }

        /// Writes what waits until nothing does.
        private func drain() {
            while true {
                lock.lock()
                if pending.isEmpty {
                    writing = false
                    lock.unlock()
                    return
                }
                let files = pending
                pending.removeAll(keepingCapacity: true)
                lock.unlock()
                for (file, id, fingerprint) in files {
                    defer { room.signal() }
                    lock.lock()
                    let skip = failure != nil
                    let injected = failsAfter.map { started >= $0 } ?? false
                    started += 1
                    if injected, failure == nil { failure = AtomicFile.WriteError(path: file.path, reason: "injected failure") }
                    lock.unlock()
                    if skip || injected { continue }
                    do {
                        try streaming.writer.writeNew(file, id: id, fingerprint: fingerprint, folders: streaming.folders,
                                                      into: streaming.written)
                    } catch {
                        lock.lock()
                        failure = failure ?? error
                        lock.unlock()
                    }
                }
            }
        }

        /// Writes what still waits, and waits for every file handed over.
        private func flush() {
            lock.lock()
            let wake = !writing && !pending.isEmpty
            if wake { writing = true }
            lock.unlock()
            if wake { queue.async { self.drain() } }
            queue.sync {}
        }

        /// Waits for every file handed over; throws the first write error.
        func finish() throws {
            flush()
            try check()
        }

        func finishIgnoringErrors() { flush() }
    }

    /// Builds the site into `options.output`, incrementally unless `options.clean`; throws every error found,
    /// leaving the output folder as it was (see `Streaming` for a build into an empty one).
    public func build() throws(BuildFailure) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        let store = StateStore(url: options.state, engine: Self.engine)
        try checkOutputFolder()
        // The state is read on another core while this one walks the site: its quick part first (enough for a
        // build that changes nothing), then the rest, which such a build never waits for.
        let clean = options.clean
        // A quarter of the outputs on disk are looked at on the other core before it reads the rest of the state
        // (which takes longer than walking the site), the rest on this one once the site is walked: a build that
        // changes nothing needs only the stat data, one that changes something waits for the state as little.
        let checks = options.checksOutputs
        let quickPart = Promise<GraphState?>()
        let otherHalf = Promise<[String: FileSnapshot.Stat]>()
        let graphSection = Promise<Data?>()  // its seal is checked on this core while the other decodes it
        let fullState = Background { () -> (GraphState, notice: String?) in
            let quick = clean ? nil : store.loadQuick()
            quickPart.fulfill(quick)
            otherHalf.fulfill(checks ? quick.map { self.statOutputs($0, quarter: true) } ?? [:] : [:])
            var handedOver = false
            defer { if !handedOver { graphSection.fulfill(nil) } }
            if clean { return (GraphState(engine: Self.engine), nil) }
            guard let quick else { return store.load() }
            return store.load(continuing: quick, checkSealElsewhere: {
                handedOver = true
                graphSection.fulfill($0)
            })
        }
        let snapshot = Self.snapshot(of: options.source)
        Self.trace("snapshot", start)
        let quick = quickPart.value
        // (Under --clean the quick state was not read for the build, but it still says where the last build went.)
        try checkOutputFolderIsQuills(stateFolder: quick?.outputFolder ?? (clean ? store.loadQuick()?.outputFolder : nil))
        let outputStats = checks
            ? quick.map { statOutputs($0, quarter: false).merging(otherHalf.value) { a, _ in a } } : nil
        // An output folder that is trusted without a look must at least still be there.
        let outputGone = !options.checksOutputs && !FileManager.default.fileExists(atPath: options.output.path)
        if let quick, !outputGone, let report = unchangedSite(snapshot, store, quick, outputStats) {
            var report = report
            report.duration = clock.now - start
            return report
        }
        Self.trace("unchanged-site check done", start)
        let sealIntact = graphSection.value.map(GraphState.sealIsIntact) ?? true
        var (previous, notice) = fullState.value
        if !sealIntact {
            (previous, notice) = (GraphState(engine: Self.engine), "note: \(GraphState.LoadProblem.corrupt); building everything")
        }
        if options.clean || outputGone || previous.outputFolder != options.output.standardizedFileURL.path {
            previous.outputs = [:]
            previous.stored = nil  // the next state is written in full
        }
        Self.trace("state loaded", start)
        let writer = OutputWriter(directory: options.output)
        var publisher: Publisher?
        if options.publishesAtomically {
            let candidate = Publisher(live: options.output, stateFolder: options.state.deletingLastPathComponent())
            candidate.restoreCarried()
            publisher = candidate.canSwap() ? candidate : nil
            if publisher == nil {
                notice = (notice.map { $0 + "\n" } ?? "") + "note: this file system cannot swap two folders in one step "
                    + "(renameat2 with RENAME_EXCHANGE), so the site is written in place: a build killed midway may "
                    + "leave \(options.output.lastPathComponent)/ half written until the next build"
            }
        }
        Self.trace("publisher", start)
        let streaming = previous.outputs.isEmpty && writer.isEmpty
            ? Streaming(writer: writer, publisher: publisher) : nil
        var run: Run
        do {
            run = try self.run(previous: previous, snapshot: snapshot, stateWrittenAt: store.writtenAt,
                               streaming: streaming)
        } catch {
            streaming?.undo()
            throw error
        }
        if quick?.outputFolder == previous.outputFolder { run.outputStats = outputStats }
        run.trustsOutputs = !options.checksOutputs
        Self.trace("graph run", start)
        if let notice { run.report.notices.append(notice) }
        do {
            let summary = try writer.apply(run, previous: previous, store: store,
                                           publisher: streaming == nil || streaming?.publisher != nil ? publisher : nil,
                                           failsAfter: options.failsAfterWrites)
            run.report.written = summary.written
            run.report.unchanged = summary.unchanged
            run.report.removed = summary.removed
            if let problem = summary.stateProblem {
                run.report.warnings.append(Diagnostic(
                    SourceLocation(file: options.state.path), "the build state could not be saved: \(problem)",
                    hint: "the site in \(options.output.lastPathComponent)/ is complete; free some disk space, and the "
                        + "next build will check every page again", severity: .warning))
            }
        } catch {
            throw writeFailure(error) ?? BuildFailure([Diagnostic(SourceLocation(file: options.output.path),
                                                                  "cannot write the site: \(error)")])
        }
        run.report.duration = clock.now - start
        Self.trace("written", start)
        switch options.memory {
        case .freed: break
        case .keptToExit: MemoryKeptToExit.keep(run.graph, previous, quick as Any, snapshot)
        case .freedInBackground:
            nonisolated(unsafe) let leftovers: [Any] = [run.graph, previous, quick as Any, snapshot]
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(200)) { _ = leftovers }
        }
        return run.report
    }

    /// Every output of a clean build, in path order, without touching the disk's output folder or the state.
    public func render() throws(BuildFailure) -> ([RenderedOutput], BuildReport) {
        let run = try self.run(previous: GraphState(engine: Self.engine), snapshot: Self.snapshot(of: options.source),
                               stateWrittenAt: nil)
        do {
            let outputs = try run.outputs.entries.map { entry -> RenderedOutput in
                let file = try run.graph.value(NodeKey("out", entry[0])) as! OutputFile
                return RenderedOutput(path: OutputPath(file.path), bytes: file.bytes, origin: entry[0])
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
                     singles: [ConfigParser.file])
    }

    private func inputs(_ snapshot: FileSnapshot, previous: [String: GraphState.FileStamp], stateWrittenAt: Int64?)
        throws(BuildFailure) -> SiteInputs
    {
        SiteInputs(
            root: options.source.standardizedFileURL, snapshot: snapshot,
            options: ["drafts": options.includeDrafts ? "true" : "false",
                      "future": options.includeFuture ? "true" : "false", "baseURL": try checkedBaseURL(),
                      "sourceDateEpoch": options.sourceDateEpoch.map { String($0.timeIntervalSince1970) } ?? ""],
            now: options.now, previous: previous, stateWrittenAt: stateWrittenAt)
    }

    /// The report of a build that has nothing to do: no input changed since the stored state and every output is
    /// on disk as written. Reads only the quick part of the state; nil when there is something to do.
    /// Stat data of every output of the state's last build that is on disk as a regular file.
    /// Stat data of the outputs of the state's last build that are on disk as regular files: every fourth one
    /// (`quarter`), or the others.
    private func statOutputs(_ quick: GraphState, quarter: Bool) -> [String: FileSnapshot.Stat] {
        guard quick.outputFolder == options.output.standardizedFileURL.path else { return [:] }
        let folder = open(quick.outputFolder, O_RDONLY | O_DIRECTORY)
        guard folder >= 0 else { return [:] }
        defer { close(folder) }
        var stats = [String: FileSnapshot.Stat](minimumCapacity: quick.outputs.count / (quarter ? 4 : 1) + 1)
        for (n, path) in quick.outputs.keys.enumerated() where (n % 4 == 0) == quarter {
            if let stat = FileSnapshot.stat(path, relativeTo: folder) { stats[path] = stat }
        }
        return stats
    }

    private func unchangedSite(_ snapshot: FileSnapshot, _ store: StateStore, _ quick: GraphState,
                               _ outputStats: [String: FileSnapshot.Stat]?) -> BuildReport? {
        let start = ContinuousClock.now
        defer { Self.trace("  unchanged-site check", start) }
        guard !quick.inputFingerprints.isEmpty, quick.counts.count == 6,
              quick.outputFolder == options.output.standardizedFileURL.path,
              let inputs = try? inputs(snapshot, previous: quick.files, stateWrittenAt: store.writtenAt)
        else { return nil }
        for (key, fingerprint) in quick.inputFingerprints where (try? inputs.fingerprint(of: key)) != fingerprint {
            return nil
        }
        Self.trace("  quick state read, inputs compared", start)
        for (path, stamp) in quick.outputs where outputStats != nil {
            guard let stat = outputStats?[path], stat.size == stamp.size,
                  stat.mtimeSeconds == stamp.mtimeSeconds, stat.mtimeNanoseconds == stamp.mtimeNanoseconds
            else { return nil }
        }
        var report = BuildReport()
        (report.posts, report.pages, report.tags, report.feeds, report.htmlFiles, report.outputs) =
            (quick.counts[0], quick.counts[1], quick.counts[2], quick.counts[3], quick.counts[4], quick.counts[5])
        report.unchanged = report.outputs
        report.skipped = quick.notes.compactMap(BuildReport.Skipped.init(encoded:))
        report.warnings = snapshot.warnings
        return report
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

    private func run(previous: GraphState, snapshot: FileSnapshot, stateWrittenAt: Int64?,
                     streaming: Streaming? = nil) throws(BuildFailure) -> Run {
        try checkOutputFolder()
        do {
            return try runGraph(previous: previous, snapshot: snapshot, stateWrittenAt: stateWrittenAt,
                                streaming: streaming)
        } catch let failure as BuildFailure {
            throw failure
        } catch let error as AtomicFile.WriteError {
            throw writeFailure(error)!
        } catch {
            throw BuildFailure([Diagnostic(SourceLocation(file: options.source.path), "internal error: \(error)")])
        }
    }

    private func runGraph(previous: GraphState, snapshot: FileSnapshot, stateWrittenAt: Int64?,
                          streaming: Streaming?) throws -> Run {
        let loader = SiteLoader(root: options.source)
        let inputs = try self.inputs(snapshot, previous: previous.files, stateWrittenAt: stateWrittenAt)
        let rules = SiteRules(loader: loader, now: options.now)
        let traceStart = ContinuousClock.now
        let graph = try BuildGraph(rules: rules, inputs: inputs, previous: previous)
        Self.trace("  graph opened, dirty marked", traceStart)
        var report = BuildReport()

        let config = try graph.value(NodeKey("config")) as! ConfigValue
        report.warnings = config.diagnostics.filter { $0.severity == .warning } + snapshot.warnings
        guard config.config != nil else { throw BuildFailure(config.diagnostics.filter { $0.severity == .error }) }

        // Parse every post and page in parallel; they read nothing of each other.
        let sources = try graph.value(NodeKey("sources")) as! SourceList
        try graph.ensureAll(sources.posts.flatMap {
            [NodeKey("post.meta", $0), NodeKey("post.facts", $0), NodeKey("post.card", $0)]
        }, groupSize: 3)
        try graph.ensureAll(sources.pages.map { NodeKey("page.card", $0) })
        Self.trace("  posts parsed", traceStart)

        var bag = DiagnosticBag()
        let index = try graph.value(NodeKey("index")) as! SiteIndex
        bag.add(contentsOf: index.diagnostics)
        var templates = [String: SourceFile]()
        for (name, path) in sources.templates {
            let text = try graph.value(NodeKey("template", name)) as! String
            templates[name] = SourceFile(path: path, text: text)
        }
        if sources.problems.isEmpty {  // a theme that is missing is one error, not one per template it lacks
            do { rules.templates.value = try TemplateSet(templates) } catch { bag.add(contentsOf: error.diagnostics) }
        }
        try bag.throwIfErrors()
        Self.trace("  index and templates", traceStart)
        let early = streaming == nil ? nil : EarlyPostPages(graph: graph, posts: index.posts)
        let outputs: OutputList
        do {
            defer { early?.stop() }
            outputs = try graph.value(NodeKey("outputs")) as! OutputList
        }
        Self.trace("  output list (\(early?.rendered ?? 0) post pages rendered meanwhile)", traceStart)
        if !outputs.diagnostics.isEmpty { throw BuildFailure(outputs.diagnostics) }

        let outputIDs: [Int32]
        if let streaming {
            let failsAfter = options.failsAfterStreamedWrites
            outputIDs = outputs.entries.map { graph.id(for: NodeKey("out", $0[0])) }
            let disk = StreamedWrites(streaming, failsAfter: failsAfter)
            do {
                try Self.parallel(outputIDs.count) { i in
                    try disk.check()
                    let fingerprint = try graph.ensure(outputIDs[i])
                    let file = try graph.value(of: outputIDs[i]) as! OutputFile
                    graph.forgetValue(of: outputIDs[i])  // handed to the writer; the state keeps only its fingerprint
                    disk.write(file, id: outputIDs[i], fingerprint: fingerprint)
                }
            } catch {
                disk.finishIgnoringErrors()
                throw error
            }
            try disk.finish()
        } else {
            outputIDs = try graph.ensureAll(outputs.entries.map { NodeKey("out", $0[0]) })
        }
        Self.trace("  outputs rendered", traceStart)

        for (path, time) in zip(index.skipped, index.scheduled) {
            let goesLive = time.isFinite ? DateParts(Date(timeIntervalSince1970: time), in: try configZone(graph)) : nil
            report.skipped.append(.init(source: path, goesLive: goesLive))
        }
        report.posts = index.posts.count
        report.pages = index.pages.count
        report.tags = index.tags.count
        report.feeds = 3 + 2 * index.tags.count
        report.htmlFiles = outputs.entries.filter { $0[1].hasSuffix(".html") }.count
        report.outputs = outputs.entries.count
        report.rendered = outputIDs.filter {
            switch graph.reason(ofID: $0) {
            case .new?, .changed?: return true
            default: return false
            }
        }.count
        report.checked = graph.statistics.checked
        return Run(graph: graph, inputs: inputs, outputs: outputs, outputIDs: outputIDs, report: report,
                   streamed: streaming?.written)
    }

    private func configZone(_ graph: BuildGraph) throws -> TimeZone {
        (try graph.value(NodeKey("config")) as! ConfigValue).config?.timeZone ?? TimeZone(identifier: "UTC")!
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

    /// A value computed on another thread; `value` waits for it.
    final class Background<T: Sendable>: Promise<T>, @unchecked Sendable {
        init(_ work: @escaping @Sendable () -> T) {
            super.init()
            DispatchQueue.global().async { self.fulfill(work()) }
        }
    }

    /// A value another thread provides once; `value` waits for it.
    class Promise<T: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var result: T?

        func fulfill(_ value: T) {
            lock.lock()
            result = value
            lock.unlock()
            done.signal()
        }

        var value: T {
            lock.lock()
            if let result {
                lock.unlock()
                return result
            }
            lock.unlock()
            done.wait()
            done.signal()  // for the next reader
            lock.lock()
            defer { lock.unlock() }
            return result!
        }
    }

    /// Holds what a build leaves behind when the process ends right after it (clang's `-disable-free`): freeing
    /// a hundred thousand graph records one by one costs a process more time than the edit it just built.
    enum MemoryKeptToExit {
        nonisolated(unsafe) private static var kept: [Any] = []
        private static let lock = NSLock()

        static func keep(_ objects: Any...) {
            lock.lock()
            kept.append(objects)
            lock.unlock()
        }
    }

    /// `body` of 0..<count, computed on all cores; rethrows the first error.
    static func parallelMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let shared = results
        try parallel(count) { i in shared[i] = try body(i) }
        return results.map { $0! }
    }

    /// Runs `body` for 0..<count on all cores; rethrows the first error.
    static func parallel(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do { try body(i) } catch { failure.record(error) }
        }
        if let error = failure.error { throw error }
    }

    /// With `QUILL_TRACE` set, prints how long the build took to reach `stage` (for profiling, on stderr).
    static let tracing = getenv("QUILL_TRACE") != nil

    static func trace(_ stage: String, _ start: ContinuousClock.Instant) {
        guard tracing else { return }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = (Int(usage.ru_utime.tv_sec) + Int(usage.ru_stime.tv_sec)) * 1000
            + (Int(usage.ru_utime.tv_usec) + Int(usage.ru_stime.tv_usec)) / 1000
        FileHandle.standardError.write(Data("trace: \(stage) at \(Int(ms)) ms (process CPU \(cpu) ms)\n".utf8))
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

final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?

    func record(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }
}
