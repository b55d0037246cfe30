import Foundation
import QuillGraph

/// What a build changes on disk, worked out before anything is written: which outputs are unchanged, which must
/// be written, which files of the last build are no longer produced, and which names at the top are Quill's.
struct WritePlan {
    let entries: [OutputList.Entry]
    /// The graph's id and fingerprint of each entry's output node.
    let nodes: [(id: Int32, fingerprint: Fingerprint)]
    /// Per entry: the file on disk is the one the last build wrote, with the same fingerprint.
    let unchanged: [Bool]
    /// Entries to write (indices into `entries`).
    let toWrite: [Int]
    /// Outputs of the previous build that this one does not produce.
    let stale: [String]
    /// This build's mark (see `OutputMark`), and every name at the top that a Quill build made.
    let mark: OutputMark
    let quillNames: Set<String>
    /// Stamps of the files written while rendering (see `Streaming`), by path.
    let streamed: [String: SiteRecord.OutputStamp]

    var outputPaths: Set<String> { Set(entries.map(\.path)) }

    init(_ run: SiteBuilder.Run, previous: SiteRecord, directory: URL, folder: Int32) throws {
        entries = run.outputs.entries
        let entries = entries
        let nodes = run.outputIDs.map { ($0, run.graph.fingerprint(ofID: $0) ?? .absent) }
        self.nodes = nodes
        // Which outputs to write: new or changed fingerprint, or the file on disk is not the one written.
        let known = run.outputStats
        let trusted = run.trustsOutputs
        unchanged = try Parallel.map(entries.count) { i -> Bool in
            guard let old = previous.outputs[entries[i].path], old.fingerprint == nodes[i].1 else { return false }
            if trusted { return true }
            guard let stat = known.map({ $0[entries[i].path] }) ?? FileSnapshot.stat(entries[i].path, relativeTo: folder)
            else { return false }
            return stat.size == old.size && stat.mtimeSeconds == old.mtimeSeconds
                && stat.mtimeNanoseconds == old.mtimeNanoseconds
        }
        streamed = run.streamed?.stamps ?? [:]
        let unchanged = unchanged, streamed = streamed
        toWrite = entries.indices.filter { !unchanged[$0] && streamed[entries[$0].path] == nil }
        // The names at the top that are Quill's: this build's, and those of the builds before it (by the folder's
        // mark, and by the state when it was made for this folder). Any other name there was put there by hand.
        mark = OutputMark(outputs: entries.lazy.map(\.path))
        let lastMark = OutputMark.read(in: directory.path)
        var quillNames = Set(mark.names).union(lastMark?.names ?? [])
        if lastMark == nil { quillNames.formUnion(OutputMark(outputs: previous.outputs.keys).names) }
        self.quillNames = quillNames
        // Entries are distinct paths, so when as many as before all had a stamp, none is stale.
        if run.streamed != nil {
            stale = []  // streamed into an empty folder: it holds only what this build wrote
        } else if !previous.outputs.isEmpty, previous.outputs.count == entries.count,
                  entries.allSatisfy({ previous.outputs[$0.path] != nil }) {
            stale = []
        } else if previous.outputs.isEmpty {
            // No record of the last build here: what lies under Quill's names and is not produced now. Names no
            // build made (a `CNAME`, a `.git` folder put there by hand) are left alone.
            let keep = Set(entries.map(\.path))
            stale = OutputWriter(directory: directory).existingFiles().filter {
                !keep.contains($0) && quillNames.contains(OutputMark.topName($0))
            }
        } else {
            let keep = Set(entries.map(\.path))
            stale = previous.outputs.keys.filter { !keep.contains($0) }
        }
    }
}
