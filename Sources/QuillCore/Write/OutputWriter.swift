import Foundation
import Synchronization
import QuillGraph

/// Puts a build's outputs on disk: writes only files whose bytes changed (others keep their mtime), each one
/// atomically, and removes files the site no longer produces. With `WriteStrategy`, the only code that writes a
/// build's site to disk.
struct OutputWriter: Sendable {
    let directory: URL

    init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// What writing did: the plan it followed, the files it wrote (with their stamps), and what it removed.
    struct Outcome {
        var plan: WritePlan
        var written: WrittenFiles
        var removed: [OutputPath]
    }

    /// Writes what changed and removes what the site no longer produces, through the strategy that fits (see
    /// `WriteStrategy`): with a `publisher`, into its spare folder, which then trades places with the output
    /// folder; without one, into the output folder itself, file by file.
    func apply(_ run: SiteBuilder.Run, previous: SiteRecord, publisher: Publisher? = nil,
               failsAfter: Int? = nil) throws -> Outcome
    {
        let fm = FileManager.default
        let applyStart = ContinuousClock.now
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        defer { if folder >= 0 { close(folder) } }
        let plan = try WritePlan(run, previous: previous, directory: directory, folder: folder)
        let written = WrittenFiles()
        for (path, stamp) in plan.streamed { written.add(path, wrote: true, stamp: stamp) }

        let strategy: any WriteStrategy
        var staged: StagedWrites?
        if run.streamed != nil {
            strategy = StreamedSite(publisher: publisher, target: folder)
        } else if let publisher,
                  let spare = try StagedWrites(publisher, plan: plan, directory: directory, live: folder) {
            staged = spare
            strategy = spare
        } else {
            strategy = InPlaceWrites(directory: directory, target: folder)
        }
        defer { staged?.close() }
        Trace.mark("  compared, spare ready", applyStart)

        let target = strategy.target
        let intoSpare = strategy.intoSpare
        let folders = FolderMaker(relativeTo: target)
        let (nodes, writeList) = (plan.nodes, plan.toWrite)
        try Parallel.forEach(writeList.count) { n in
            let file = try run.graph.value(of: nodes[writeList[n]].id, as: Node.Output.self)
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
                key: nodes[writeList[n]].id, fingerprint: nodes[writeList[n]].fingerprint,
                size: stat?.size ?? 0, mtimeSeconds: stat?.mtimeSeconds ?? 0,
                mtimeNanoseconds: stat?.mtimeNanoseconds ?? 0))
        }
        let removed = try strategy.publish(plan, written: written, folders: folders)
        return Outcome(plan: plan, written: written, removed: removed)
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

    /// Every file under the output folder, relative, sorted.
    func existingFiles() -> [String] {
        FileSnapshot(root: directory, folders: ["."], singles: []).files.keys
            .map { String($0.dropFirst(2)) }.sorted()
    }

    static func removeEmptyFolders(above file: URL, in top: URL) {
        var folder = file.deletingLastPathComponent().standardizedFileURL
        while folder.path.count > top.standardizedFileURL.path.count,
              (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
            folder = folder.deletingLastPathComponent().standardizedFileURL
        }
    }
}

/// What parallel writers did.
final class WrittenFiles: Sendable {
    private let state = Mutex<(wrote: [String], stamps: [String: SiteRecord.OutputStamp])>(([], [:]))

    /// The files written (others were found as they should be), in order of writing.
    var wrote: [String] { state.withLock { $0.wrote } }
    var stamps: [String: SiteRecord.OutputStamp] { state.withLock { $0.stamps } }
    var count: Int { state.withLock { $0.stamps.count } }

    func add(_ path: String, wrote didWrite: Bool, stamp: SiteRecord.OutputStamp) {
        state.withLock { state in
            if didWrite { state.wrote.append(path) }
            state.stamps[path] = stamp
        }
    }
}
