import Foundation
import QuillGraph

extension SiteBuilder {
    /// Saves the graph's state after the site is out: into the journal when only a few records changed since a
    /// stored state for this output folder, else whole. The site is complete either way, so a state that cannot be
    /// saved costs the next build time, not correctness: the returned problem is reported as a warning.
    func saveState(_ run: Run, _ outcome: OutputWriter.Outcome, previous stored: StoredBuild, store: StateStore) -> String? {
        let traceStart = ContinuousClock.now
        let plan = outcome.plan
        let written = outcome.written.stamps  // taken once: each look copies it out of its lock
        let folder = options.output.standardizedFileURL.path
        let r = run.report
        let counts = [r.posts, r.pages, r.tags, r.feeds, r.htmlFiles, r.outputs]
        // With the record of published URLs this build leaves: a build that finds it and nothing else changed has
        // nothing to do (see `URLStability.recordNote`).
        let notes = r.skipped.map(\.encoded) + (run.urlRecord.map { [URLStability.recordNote($0)] } ?? [])
        let previous = stored.site
        // A change to a stored state goes into its journal: records computed, stamps that moved.
        func delta() -> GraphState.Delta {
            var change = SiteRecord.Change(counts: counts, notes: notes, outputFolder: folder)
            change.files = run.inputs.stampChanges(since: previous.files)
            for (path, stamp) in written where previous.outputs[path] != stamp { change.outputs[path] = stamp }
            for (i, entry) in plan.entries.enumerated()
            where plan.unchanged[i] && previous.outputs[entry.path]?.key != plan.nodes[i].id {
                change.outputs[entry.path] = previous.outputs[entry.path].map { old in
                    var stamp = old
                    stamp.key = plan.nodes[i].id
                    return stamp
                }
            }
            for path in plan.stale { change.outputs[path] = .some(nil) }
            var delta = run.graph.delta()
            delta.envelope = change.encoded()
            Trace.mark("delta", traceStart)
            return delta
        }
        do {
            if stored.graph.stored != nil, previous.outputFolder == folder, try store.append(delta(), to: stored.graph) {
                Trace.mark("state saved", traceStart)
                return nil
            }
            var state = run.graph.nextState(engine: stored.graph.engine)
            Trace.mark("next state", traceStart)
            var site = SiteRecord()
            site.counts = counts
            site.notes = notes
            site.outputFolder = folder
            var keyIDs = [String: Int32]()  // output node ids, by the id of their key
            var files = [String]()
            for (n, key) in state.keys.enumerated() {
                if key.kind == Node.Output.kind {
                    keyIDs[key.id] = Int32(n)
                } else if key.kind == Input.File.kind {
                    files.append(key.id)
                }
            }
            site.files = run.inputs.stamps(for: files)
            Trace.mark("file stamps", traceStart)
            site.outputs.reserveCapacity(plan.entries.count)
            for (i, entry) in plan.entries.enumerated() {
                let stamp = plan.unchanged[i] ? previous.outputs[entry.path] : written[entry.path]
                guard var stamp, let id = keyIDs[entry.name] else { continue }
                stamp.key = id
                site.outputs[entry.path] = stamp
            }
            state.envelope = site.encoded()
            try store.save(state)
            Trace.mark("state saved", traceStart)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
