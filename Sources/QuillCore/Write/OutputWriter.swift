import Foundation

/// Puts a build's outputs on disk: writes only files whose bytes changed (others keep their mtime), each one
/// atomically, removes files the site no longer produces, then saves the graph's state. The only code that
/// writes a build to disk.
struct OutputWriter: Sendable {
    let directory: URL

    init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// Writes what changed, removes what the site no longer produces, and saves the state. With a `publisher`,
    /// the changes go into its spare folder, which then trades places with the output folder (see `Publisher`);
    /// without one, into the output folder itself, file by file.
    func apply(_ run: SiteBuilder.Run, previous: GraphState, store: StateStore, publisher: Publisher? = nil,
               failsAfter: Int? = nil) throws -> Summary
    {
        let fm = FileManager.default
        let applyStart = ContinuousClock.now
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let entries = run.outputs.entries
        // Which outputs to write: new or changed fingerprint, or the file on disk is not the one written.
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        defer { if folder >= 0 { close(folder) } }
        let nodes = run.outputIDs.map { ($0, run.graph.fingerprint(ofID: $0) ?? .absent) }
        let known = run.outputStats
        let trusted = run.trustsOutputs
        let unchanged = try Parallel.map(entries.count) { i -> Bool in
            guard let old = previous.outputs[entries[i].path], old.fingerprint == nodes[i].1 else { return false }
            if trusted { return true }
            guard let stat = known.map({ $0[entries[i].path] }) ?? FileSnapshot.stat(entries[i].path, relativeTo: folder)
            else { return false }
            return stat.size == old.size && stat.mtimeSeconds == old.mtimeSeconds
                && stat.mtimeNanoseconds == old.mtimeNanoseconds
        }
        let written = WrittenFiles()
        let streamed = run.streamed?.stamps ?? [:]
        for (path, stamp) in streamed { written.add(path, wrote: true, stamp: stamp) }
        let toWrite = entries.indices.filter { !unchanged[$0] && streamed[entries[$0].path] == nil }
        // The names at the top that are Quill's: this build's, and those of the builds before it (by the folder's
        // mark, and by the state when it was made for this folder). Any other name there was put there by hand.
        let mark = OutputMark(outputs: entries.lazy.map { $0.path })
        let lastMark = OutputMark.read(in: directory.path)
        var quillNames = Set(mark.names).union(lastMark?.names ?? [])
        if lastMark == nil { quillNames.formUnion(OutputMark(outputs: previous.outputs.keys).names) }
        // Outputs of the previous build that this one does not produce. Entries are distinct paths, so when as
        // many as before all had a stamp, there are none.
        let stale: [String]
        if run.streamed != nil {
            stale = []  // streamed into an empty folder: it holds only what this build wrote
        } else if !previous.outputs.isEmpty, previous.outputs.count == entries.count,
           entries.allSatisfy({ previous.outputs[$0.path] != nil }) {
            stale = []
        } else if previous.outputs.isEmpty {
            // No record of the last build here: what lies under Quill's names and is not produced now. Names no
            // build made (a `CNAME`, a `.git` folder put there by hand) are left alone.
            let keep = Set(entries.map { $0.path })
            stale = existingFiles().filter { !keep.contains($0) && quillNames.contains(OutputMark.topName($0)) }
        } else {
            let keep = Set(entries.map { $0.path })
            stale = previous.outputs.keys.filter { !keep.contains($0) }
        }

        // Where the changes go: the publisher's spare folder (kept in step, or made afresh) or the output folder.
        var spare: (fd: Int32, pending: Set<String>?)?
        if let publisher, run.streamed == nil {
            if let pending = publisher.recorded {
                let fd = open(publisher.spare.path, O_RDONLY | O_DIRECTORY)
                if fd >= 0 {
                    let touched = pending.union(toWrite.map { entries[$0].path }).union(stale)
                    try publisher.savePending(touched)  // before the spare folder changes at all
                    spare = (fd, touched)
                }
            }
            if spare == nil, let fd = publisher.freshSpare() { spare = (fd, nil) }
        }
        defer { if let spare { close(spare.fd) } }
        Trace.mark("  compared, spare ready", applyStart)
        let target = spare?.fd ?? folder
        let intoSpare = spare != nil
        let folders = FolderMaker(relativeTo: target)
        let writeList = toWrite
        try Parallel.forEach(writeList.count) { n in
            let entry = entries[writeList[n]]
            let file = try run.graph.value(of: nodes[writeList[n]].0, as: Node.Output.self)
            var wrote = false
            var stat = FileSnapshot.stat(file.path, relativeTo: folder)
            if stat == nil || stat!.size != UInt64(file.bytes.count)
                || fm.contents(atPath: directory.path + "/" + file.path) != file.bytes {
                if let failsAfter, written.wrote.count >= failsAfter {
                    throw AtomicFile.WriteError(path: file.path, reason: "injected failure")
                }
                try folders.ensure((file.path as NSString).deletingLastPathComponent)
                // Into the spare folder, never through an existing file: it may be a link to the live one.
                // There, a temporary file has a name the next build knows, should this one be killed.
                stat = try AtomicFile.write(file.bytes, to: file.path, isNew: intoSpare || stat == nil,
                                            relativeTo: target, temporary: intoSpare ? Publisher.temporary(file.path) : nil)
                wrote = true
            }
            written.add(file.path, wrote: wrote, stamp: .init(
                key: nodes[writeList[n]].0, fingerprint: nodes[writeList[n]].1,
                size: stat?.size ?? 0, mtimeSeconds: stat?.mtimeSeconds ?? 0,
                mtimeNanoseconds: stat?.mtimeNanoseconds ?? 0))
        }
        var removed = [OutputPath]()
        if let publisher, let spare = spare {
            // The spare folder gets the live file of every path it may lack that was not written just now.
            let outputPaths = Set(entries.map { $0.path })
            let wroteNow = Set(written.wrote)
            let sync = (spare.pending ?? outputPaths).filter { !wroteNow.contains($0) }.sorted()
            let fresh = spare.pending == nil
            try Parallel.forEach(sync.count) { n in
                let path = sync[n]
                if !fresh {
                    unlinkat(spare.fd, path, 0)
                    unlinkat(spare.fd, Publisher.temporary(path), 0)  // left by a build that was killed
                }
                if outputPaths.contains(path), faccessat(folder, path, F_OK, 0) == 0 {
                    try folders.ensure((path as NSString).deletingLastPathComponent)
                    guard linkat(folder, path, spare.fd, path, 0) == 0 else { throw AtomicFile.WriteError(path: path) }
                }
            }
            if !fresh {
                for path in wroteNow { unlinkat(spare.fd, Publisher.temporary(path), 0) }
            }
            for path in sync where !outputPaths.contains(path) {
                removeEmptyFolders(above: publisher.spare.appendingPathComponent(path), in: publisher.spare)
            }
            removed = stale.sorted().filter { fm.fileExists(atPath: directory.path + "/" + $0) }.map(OutputPath.init)
            try mark.write(into: spare.fd)
            Trace.mark("  written and synced", applyStart)
            try publisher.carryOver(OutputMark.handPlaced(in: directory.path, quill: quillNames), spareFolder: spare.fd)
            try publisher.swap()
            publisher.carriedOver()
            Trace.mark("  swapped", applyStart)
            try publisher.savePending(wroteNow.union(stale))
            Trace.mark("  published", applyStart)
        } else if let publisher, run.streamed != nil {
            // A build into an empty output folder streamed into the spare one, which now takes its place; the
            // empty folder it trades places with is removed, so the next build that writes makes a fresh spare.
            let fd = open(publisher.spare.path, O_RDONLY | O_DIRECTORY)
            guard fd >= 0 else { throw AtomicFile.WriteError(path: publisher.spare.path) }
            defer { close(fd) }
            try mark.write(into: fd)
            try publisher.swap()
            rmdir(publisher.spare.path)
            publisher.forgetSpare()
        } else {
            for path in stale.sorted() {
                let url = directory.appendingPathComponent(path)
                guard fm.fileExists(atPath: url.path) else { continue }
                try fm.removeItem(at: url)
                removed.append(OutputPath(path))
                removeEmptyFolders(above: url, in: directory)
            }
            try mark.write(into: folder)
        }

        let traceStart = ContinuousClock.now
        let r = run.report
        let counts = [r.posts, r.pages, r.tags, r.feeds, r.htmlFiles, r.outputs]
        let notes = r.skipped.map(\.encoded)
        // A change to a stored state goes into its journal: records computed, stamps that moved.
        func delta() -> GraphState.Delta {
            var delta = run.graph.delta()
            delta.counts = counts
            delta.notes = notes
            delta.outputFolder = directory.path
            delta.files = run.inputs.stampChanges(since: previous.files)
            for (path, stamp) in written.stamps where previous.outputs[path] != stamp { delta.outputs[path] = stamp }
            for (i, entry) in entries.enumerated() where unchanged[i] && previous.outputs[entry.path]?.key != nodes[i].0 {
                delta.outputs[entry.path] = previous.outputs[entry.path].map { old in
                    var stamp = old
                    stamp.key = nodes[i].0
                    return stamp
                }
            }
            for path in stale { delta.outputs[path] = .some(nil) }
            Trace.mark("delta", traceStart)
            return delta
        }
        // The site is out now: a state that cannot be saved costs the next build time, not correctness.
        var stateProblem: String?
        do {
            if previous.stored != nil, previous.outputFolder == directory.path,
               try store.append(delta(), to: previous) {
                Trace.mark("state saved", traceStart)
            } else {
                var state = run.graph.nextState(engine: previous.engine)
                Trace.mark("next state", traceStart)
                state.counts = counts
                state.notes = notes
                state.outputFolder = directory.path
                var keyIDs = [String: Int32]()  // output node ids, by the id of their key
                var files = [String]()
                for (n, key) in state.keys.enumerated() {
                    if key.kind == Node.Output.kind {
                        keyIDs[key.id] = Int32(n)
                    } else if key.kind == Input.File.kind {
                        files.append(key.id)
                    }
                }
                state.files = run.inputs.stamps(for: files)
                Trace.mark("file stamps", traceStart)
                state.outputs.reserveCapacity(entries.count)
                for (i, entry) in entries.enumerated() {
                    let stamp = unchanged[i] ? previous.outputs[entry.path] : written.stamps[entry.path]
                    guard var stamp, let id = keyIDs[entry.id.description] else { continue }
                    stamp.key = id
                    state.outputs[entry.path] = stamp
                }
                try store.save(state)
                Trace.mark("state saved", traceStart)
            }
        } catch {
            stateProblem = "\(error)"
        }

        let wrote = written.wrote.sorted().map(OutputPath.init)
        return Summary(written: wrote, unchanged: entries.count - wrote.count, removed: removed,
                       stateProblem: stateProblem)
    }

    /// Writes one output of a build into an output folder that held nothing when the build began (see
    /// `Streaming`), as soon as it is rendered.
    /// `folders` makes folders relative to the open output folder.
    func writeNew(_ file: OutputFile, id: Int32, fingerprint: Fingerprint, folders: FolderMaker,
                  into written: WrittenFiles) throws {
        try folders.ensure((file.path as NSString).deletingLastPathComponent)
        let stat = try AtomicFile.write(file.bytes, to: file.path, isNew: true, relativeTo: folders.base)
        written.add(file.path, wrote: true, stamp: .init(
            key: id, fingerprint: fingerprint, size: stat.size, mtimeSeconds: stat.mtimeSeconds,
            mtimeNanoseconds: stat.mtimeNanoseconds))
    }

    /// Whether the folder is missing or empty.
    var isEmpty: Bool {
        guard let dir = opendir(directory.path) else { return true }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { return false }
        }
        return true
    }

    /// What writing did.
    struct Summary {
        var written: [OutputPath]
        var unchanged: Int
        var removed: [OutputPath]
        /// Why the state was not saved, when it was not.
        var stateProblem: String?
    }

    /// Every file under the output folder, relative, sorted.
    func existingFiles() -> [String] {
        FileSnapshot(root: directory, folders: ["."], singles: []).files.keys
            .map { String($0.dropFirst(2)) }.sorted()
    }

    private func removeEmptyFolders(above file: URL, in top: URL) {
        var folder = file.deletingLastPathComponent().standardizedFileURL
        while folder.path.count > top.standardizedFileURL.path.count,
              (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
            folder = folder.deletingLastPathComponent().standardizedFileURL
        }
    }
}

/// What parallel writers did.
final class WrittenFiles: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var wrote: [String] = []
    private(set) var stamps: [String: GraphState.OutputStamp] = [:]

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return stamps.count
    }

    func add(_ path: String, wrote didWrite: Bool, stamp: GraphState.OutputStamp) {
        lock.lock()
        if didWrite { wrote.append(path) }
        stamps[path] = stamp
        lock.unlock()
    }
}
