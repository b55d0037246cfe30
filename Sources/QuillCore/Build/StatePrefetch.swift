import Foundation
import QuillGraph

/// The build state, read on another core while this one walks the site: its quick part first (enough for a build
/// that changes nothing), then the rest, which such a build never waits for. Meanwhile a quarter of the last
/// build's outputs are looked at on disk on that core, the rest on this one once the site is walked: a build that
/// changes nothing needs only the stat data, one that changes something waits for the state as little.
final class StatePrefetch: Sendable {
    let store: StateStore
    private let clean: Bool
    private let output: String
    private let checksOutputs: Bool
    private let quickPart = Promise<StoredBuild?>()
    private let otherQuarter = Promise<[String: FileSnapshot.Stat]>()
    /// The graph section's bytes, whose seal this core checks while the other decodes them.
    private let graphSection = Promise<Data?>()
    private let fullState: Promise<(StoredBuild, notice: String?)>

    init(store: StateStore, options: BuildOptions) {
        self.store = store
        clean = options.clean
        output = options.output.standardizedFileURL.path
        checksOutputs = options.checksOutputs
        let (clean, output, checks) = (clean, output, checksOutputs)
        let (quickPart, otherQuarter, graphSection) = (quickPart, otherQuarter, graphSection)
        fullState = Promise.computing { () -> (StoredBuild, notice: String?) in
            let quick = clean ? nil : store.loadQuick().flatMap { StoredBuild($0, checkingNodes: false) }
            quickPart.fulfill(quick)
            otherQuarter.fulfill(checks ? quick.map { Self.statOutputs($0, in: output, quarter: true) } ?? [:] : [:])
            var handedOver = false
            defer { if !handedOver { graphSection.fulfill(nil) } }
            if clean { return (StoredBuild(engine: SiteBuilder.engine), nil) }
            guard let quick else { return store.loadBuild() }
            let (graph, notice) = store.load(continuing: quick.graph, checkSealElsewhere: {
                handedOver = true
                graphSection.fulfill($0)
            })
            if let notice { return (StoredBuild(engine: SiteBuilder.engine), notice) }
            // The record is the quick part's (the graph section does not change it), checked against the graph.
            guard quick.site.namesNodes(of: graph) else {
                return (StoredBuild(engine: SiteBuilder.engine), "note: \(GraphState.LoadProblem.corrupt); building everything")
            }
            return (StoredBuild(graph: graph, site: quick.site), nil)
        }
    }

    /// The quick part of the stored state; nil when there is none or the build is clean.
    var quick: StoredBuild? { quickPart.value }

    /// The output folder the stored state was made for (under `--clean` too, which does not use it otherwise).
    var lastOutputFolder: String? {
        quick?.site.outputFolder
            ?? (clean ? store.loadQuick().flatMap { StoredBuild($0, checkingNodes: false) }?.site.outputFolder : nil)
    }

    /// Stat data of the last build's outputs that are on disk as regular files; nil when outputs are not checked
    /// or there is no state.
    func outputStats() -> [String: FileSnapshot.Stat]? {
        guard checksOutputs, let quick else { return nil }
        return Self.statOutputs(quick, in: output, quarter: false).merging(otherQuarter.value) { a, _ in a }
    }

    /// The whole stored state for a build that has something to do, with a one-line notice when it cannot be
    /// used; its output stamps dropped when they say nothing of this output folder.
    func previous(forgettingOutputs outputGone: Bool) -> (StoredBuild, notice: String?) {
        let sealIntact = graphSection.value.map(GraphState.sealIsIntact) ?? true
        var (previous, notice) = fullState.value
        if !sealIntact {
            (previous, notice) = (StoredBuild(engine: SiteBuilder.engine),
                                  "note: \(GraphState.LoadProblem.corrupt); building everything")
        }
        if clean || outputGone || previous.site.outputFolder != output {
            previous.site.outputs = [:]
            previous.graph.stored = nil  // the next state is written in full
        }
        return (previous, notice)
    }

    /// Stat data of the outputs of the state's last build that are on disk as regular files: every fourth one
    /// (`quarter`), or the others.
    private static func statOutputs(_ quick: StoredBuild, in output: String, quarter: Bool) -> [String: FileSnapshot.Stat] {
        guard quick.site.outputFolder == output else { return [:] }
        let folder = open(output, O_RDONLY | O_DIRECTORY)
        guard folder >= 0 else { return [:] }
        defer { close(folder) }
        var stats = [String: FileSnapshot.Stat](minimumCapacity: quick.site.outputs.count / (quarter ? 4 : 1) + 1)
        for (n, path) in quick.site.outputs.keys.enumerated() where (n % 4 == 0) == quarter {
            if let stat = FileSnapshot.stat(path, relativeTo: folder) { stats[path] = stat }
        }
        return stats
    }
}

extension SiteBuilder {
    /// The report of a build that has nothing to do: no input changed since the stored state and every output is
    /// on disk as written. Reads only the quick part of the state; nil when there is something to do.
    func unchangedSite(_ snapshot: FileSnapshot, _ state: StatePrefetch,
                       _ outputStats: [String: FileSnapshot.Stat]?) -> BuildReport? {
        let start = ContinuousClock.now
        defer { Trace.mark("  unchanged-site check", start) }
        guard let quick = state.quick, !quick.graph.inputFingerprints.isEmpty, quick.site.counts.count == 6,
              quick.site.outputFolder == options.output.standardizedFileURL.path,
              let inputs = try? inputs(snapshot, previous: quick.site.files, stateWrittenAt: state.store.writtenAt)
        else { return nil }
        let leftRecord = URLStability.recordLeft(by: quick.site.notes)
        for (key, fingerprint) in quick.graph.inputFingerprints {
            let now = try? inputs.fingerprint(of: key)
            // The record of URLs the last build wrote after reading the one before changes nothing it made.
            if now != fingerprint, !(key == NodeKey(Input.File.kind, URLRecord.file) && now == leftRecord) { return nil }
        }
        Trace.mark("  quick state read, inputs compared", start)
        for (path, stamp) in quick.site.outputs where outputStats != nil {
            guard let stat = outputStats?[path], stat.size == stamp.size,
                  stat.mtimeSeconds == stamp.mtimeSeconds, stat.mtimeNanoseconds == stamp.mtimeNanoseconds
            else { return nil }
        }
        var report = BuildReport()
        (report.posts, report.pages, report.tags, report.feeds, report.htmlFiles, report.outputs) =
            (quick.site.counts[0], quick.site.counts[1], quick.site.counts[2], quick.site.counts[3], quick.site.counts[4],
             quick.site.counts[5])
        report.unchanged = report.outputs
        report.skipped = quick.site.notes.compactMap(BuildReport.Skipped.init(encoded:))
        report.warnings = snapshot.warnings
        return report
    }
}
