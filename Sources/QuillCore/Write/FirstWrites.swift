import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files a preview's build writes before the others (see `FirstPages`): in place, each one atomically, and
/// only when its bytes changed. What each replaced is kept until the build ends, and put back by `undo()` when
/// the build fails after all, so that the output folder holds what the state says the last build wrote.
final class FirstWrites {
    let pages: FirstPages
    let directory: URL
    /// The files written, in order.
    private(set) var written: [OutputPath] = []
    /// What each written file replaced (nil: there was none).
    private var replaced: [(path: String, bytes: Data?)] = []
    /// How long `pages.written` held the build.
    private(set) var held: Duration = .zero

    init(_ pages: FirstPages, directory: URL) {
        self.pages = pages
        self.directory = directory.standardizedFileURL
    }

    /// Writes the files whose bytes differ from those on disk, then tells `pages.written` which they were.
    func write(_ files: [OutputFile]) throws {
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        guard folder >= 0 else { throw AtomicFile.WriteError(path: directory.path) }
        defer { close(folder) }
        let folders = FolderMaker(relativeTo: folder)
        let start = written.count
        for file in files {
            let old = FileManager.default.contents(atPath: directory.path + "/" + file.path)
            if old == file.bytes { continue }
            try folders.ensure((file.path as NSString).deletingLastPathComponent)
            replaced.append((file.path, old))
            try AtomicFile.write(file.bytes, to: file.path, isNew: old == nil, relativeTo: folder)
            written.append(OutputPath(file.path))
        }
        guard written.count > start else { return }
        let told = ContinuousClock.now
        pages.written(Array(written[start...]))
        held += ContinuousClock.now - told
    }

    /// Puts back what the files written first replaced (a build that failed after writing them).
    func undo() {
        for (path, bytes) in replaced.reversed() {
            let url = directory.appendingPathComponent(path)
            if let bytes {
                try? AtomicFile.write(bytes, to: url.path)
            } else {
                unlink(url.path)
                OutputWriter.removeEmptyFolders(above: url, in: directory)
            }
        }
        replaced = []
        written = []
    }
}
