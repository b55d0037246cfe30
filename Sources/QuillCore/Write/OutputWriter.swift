import Foundation

/// Puts a build's outputs on disk: writes only files whose bytes changed (others keep their mtime), each one
/// atomically, removes files the site no longer produces, then saves the graph's state. The only code that
/// writes a build to disk.
struct OutputWriter: Sendable {
    let directory: URL

    init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    func apply(_ run: SiteBuilder.Run, previous: GraphState, store: StateStore) throws -> Summary {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let entries = run.outputs.entries
        // Which outputs to write: new or changed fingerprint, or the file on disk is not the one written.
        var toWrite = [Int]()
        var stamps = [String: GraphState.OutputStamp]()
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        defer { if folder >= 0 { close(folder) } }
        for (i, entry) in entries.enumerated() {
            let path = entry[1]
            let fingerprint = run.graph.fingerprint(of: NodeKey("out", entry[0])) ?? .absent
            if let old = previous.outputs[path], old.fingerprint == fingerprint,
               let stat = FileSnapshot.stat(path, relativeTo: folder), stat.size == old.size,
               stat.mtimeSeconds == old.mtimeSeconds, stat.mtimeNanoseconds == old.mtimeNanoseconds {
                stamps[path] = old
            } else {
                toWrite.append(i)
            }
        }
        let written = WrittenFiles()
        let folders = FolderMaker()
        let writeList = toWrite
        try SiteBuilder.parallel(writeList.count) { n in
            let entry = entries[writeList[n]]
            let file = try run.graph.value(NodeKey("out", entry[0])) as! OutputFile
            let path = directory.path + "/" + file.path
            var wrote = false
            let existing = FileSnapshot.stat(path)
            if existing == nil || existing!.size != UInt64(file.bytes.count) || fm.contents(atPath: path) != file.bytes {
                try folders.ensure((path as NSString).deletingLastPathComponent)
                try AtomicFile.write(file.bytes, to: path, isNew: existing == nil)
                wrote = true
            }
            let stat = wrote ? FileSnapshot.stat(path) : existing
            written.add(file.path, wrote: wrote, stamp: .init(
                key: 0, fingerprint: run.graph.fingerprint(of: NodeKey("out", entry[0])) ?? .absent,
                size: stat?.size ?? 0, mtimeSeconds: stat?.mtimeSeconds ?? 0,
                mtimeNanoseconds: stat?.mtimeNanoseconds ?? 0))
        }
        for (path, stamp) in written.stamps { stamps[path] = stamp }
        let keep = Set(entries.map { $0[1] })
        var removed = [OutputPath]()
        let stale = previous.outputs.isEmpty ? existingFiles().filter { !keep.contains($0) }
            : previous.outputs.keys.filter { !keep.contains($0) }
        for path in stale.sorted() {
            let url = directory.appendingPathComponent(path)
            guard fm.fileExists(atPath: url.path) else { continue }
            try fm.removeItem(at: url)
            removed.append(OutputPath(path))
            removeEmptyFolders(above: url)
        }

        let traceStart = ContinuousClock.now
        var state = run.graph.nextState(engine: previous.engine)
        SiteBuilder.trace("next state", traceStart)
        let r = run.report
        state.counts = [r.posts, r.pages, r.tags, r.feeds, r.htmlFiles, r.outputs]
        state.outputFolder = directory.path
        let keyIDs = Dictionary(uniqueKeysWithValues: state.keys.enumerated().map { ($1, Int32($0)) })
        state.files = run.inputs.stamps(for: state.keys.filter { $0.kind == "file" }.map(\.id))
        SiteBuilder.trace("file stamps", traceStart)
        let nodeOfPath = Dictionary(entries.map { ($0[1], $0[0]) }, uniquingKeysWith: { a, _ in a })
        for (path, stamp) in stamps {
            guard let node = nodeOfPath[path], let id = keyIDs[NodeKey("out", node)] else { continue }
            var stamp = stamp
            stamp.key = id
            state.outputs[path] = stamp
        }
        try store.save(state)
        SiteBuilder.trace("state saved", traceStart)

        let wrote = written.wrote.sorted().map(OutputPath.init)
        return Summary(written: wrote, unchanged: entries.count - wrote.count, removed: removed)
    }

    /// What writing did.
    struct Summary {
        var written: [OutputPath]
        var unchanged: Int
        var removed: [OutputPath]
    }

    /// Every file under the output folder, relative, sorted.
    func existingFiles() -> [String] {
        FileSnapshot(root: directory, folders: ["."], singles: []).files.keys
            .map { String($0.dropFirst(2)) }.sorted()
    }

    private func removeEmptyFolders(above file: URL) {
        var folder = file.deletingLastPathComponent().standardizedFileURL
        while folder.path.count > directory.path.count,
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

    func add(_ path: String, wrote didWrite: Bool, stamp: GraphState.OutputStamp) {
        lock.lock()
        if didWrite { wrote.append(path) }
        stamps[path] = stamp
        lock.unlock()
    }
}
