import Foundation
#if canImport(Glibc)
import Glibc
import QuillGraph
#endif

/// How a build's changed files become the site. Three ways, one per situation:
/// - `StagedWrites`: into the spare folder beside the output folder, which then trades places with it in one
///   step (see `Publisher`); what `quill build` does, so a failed or killed build leaves the last good site.
/// - `InPlaceWrites`: file by file into the output folder; what a preview does (the server serves files as they
///   land), and the fallback where the file system cannot swap folders.
/// - `StreamedSite`: the build began with no site to keep, so each output was written as soon as it was rendered
///   (see `Streaming`); this only finishes the folder.
protocol WriteStrategy {
    /// The open folder the changed files are written into.
    var target: Int32 { get }
    /// True when that folder is the spare one: every file is new there (never written through a link to the live
    /// one), under a temporary name the next build knows should this one be killed.
    var intoSpare: Bool { get }
    /// Makes the written files the site: removes what is stale, writes the mark, and swaps folders if need be.
    /// Returns the paths removed from the site.
    func publish(_ plan: WritePlan, written: WrittenFiles, folders: FolderMaker) throws -> [OutputPath]
}

/// Writes into the output folder itself.
struct InPlaceWrites: WriteStrategy {
    let directory: URL
    /// The open output folder.
    let target: Int32
    var intoSpare: Bool { false }

    func publish(_ plan: WritePlan, written: WrittenFiles, folders: FolderMaker) throws -> [OutputPath] {
        var removed = [OutputPath]()
        for path in plan.stale.sorted() {
            let url = directory.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            try FileManager.default.removeItem(at: url)
            removed.append(OutputPath(path))
            OutputWriter.removeEmptyFolders(above: url, in: directory)
        }
        try plan.mark.write(into: target)
        return removed
    }
}

/// Writes into the publisher's spare folder, brings the rest of it in step with the live site through hard
/// links, and swaps the two (see `Publisher`).
struct StagedWrites: WriteStrategy {
    let publisher: Publisher
    let directory: URL
    /// The open output folder, whose unchanged files are linked into the spare one.
    let live: Int32
    let target: Int32
    /// The paths in which the spare folder may differ from the live one; nil for a spare folder made afresh.
    let pending: Set<String>?
    var intoSpare: Bool { true }

    /// The spare folder kept in step (its pending paths recorded before it changes at all), or made afresh; nil
    /// when neither can be opened.
    init?(_ publisher: Publisher, plan: WritePlan, directory: URL, live: Int32) throws {
        (self.publisher, self.directory, self.live) = (publisher, directory, live)
        if let recorded = publisher.recorded {
            let fd = open(publisher.spare.path, O_RDONLY | O_DIRECTORY)
            if fd >= 0 {
                let touched = recorded.union(plan.toWrite.map { plan.entries[$0].path }).union(plan.stale)
                try publisher.savePending(touched)  // before the spare folder changes at all
                (target, pending) = (fd, touched)
                return
            }
        }
        guard let fd = publisher.freshSpare() else { return nil }
        (target, pending) = (fd, nil)
    }

    func close() { Glibc.close(target) }

    func publish(_ plan: WritePlan, written: WrittenFiles, folders: FolderMaker) throws -> [OutputPath] {
        let applyStart = ContinuousClock.now
        // The spare folder gets the live file of every path it may lack that was not written just now.
        let outputPaths = plan.outputPaths
        let wroteNow = Set(written.wrote)
        let sync = (pending ?? outputPaths).filter { !wroteNow.contains($0) }.sorted()
        let fresh = pending == nil
        let (spare, live) = (target, live)
        try Parallel.forEach(sync.count) { n in
            let path = sync[n]
            if !fresh {
                unlinkat(spare, path, 0)
                unlinkat(spare, Publisher.temporary(path), 0)  // left by a build that was killed
            }
            if outputPaths.contains(path), faccessat(live, path, F_OK, 0) == 0 {
                try folders.ensure((path as NSString).deletingLastPathComponent)
                guard linkat(live, path, spare, path, 0) == 0 else { throw AtomicFile.WriteError(path: path) }
            }
        }
        if !fresh {
            for path in wroteNow { unlinkat(spare, Publisher.temporary(path), 0) }
        }
        for path in sync where !outputPaths.contains(path) {
            OutputWriter.removeEmptyFolders(above: publisher.spare.appendingPathComponent(path), in: publisher.spare)
        }
        let removed = plan.stale.sorted().filter { FileManager.default.fileExists(atPath: directory.path + "/" + $0) }
        try plan.mark.write(into: spare)
        Trace.mark("  written and synced", applyStart)
        let handPlaced = OutputMark.handPlaced(in: directory.path, quill: plan.quillNames)
        try publisher.carryOver(handPlaced, spareFolder: spare)
        try publisher.swap()
        publisher.carriedOver(handPlaced)
        Trace.mark("  swapped", applyStart)
        try publisher.savePending(wroteNow.union(plan.stale))
        Trace.mark("  published", applyStart)
        return removed.map(OutputPath.init)
    }
}

/// Finishes a build whose outputs were written as they were rendered (see `Streaming`): into the output folder,
/// or into a fresh spare folder that now takes its place.
struct StreamedSite: WriteStrategy {
    let publisher: Publisher?
    /// The open output folder (nothing is left to write: every output was streamed).
    let target: Int32
    var intoSpare: Bool { false }

    func publish(_ plan: WritePlan, written: WrittenFiles, folders: FolderMaker) throws -> [OutputPath] {
        guard let publisher else {
            try plan.mark.write(into: target)
            return []
        }
        // The empty folder the spare one trades places with is removed, so the next build that writes makes a
        // fresh spare.
        let fd = open(publisher.spare.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw AtomicFile.WriteError(path: publisher.spare.path) }
        defer { close(fd) }
        try plan.mark.write(into: fd)
        try publisher.swap()
        rmdir(publisher.spare.path)
        publisher.forgetSpare()
        return []
    }
}
