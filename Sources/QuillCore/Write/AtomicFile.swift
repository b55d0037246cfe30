import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing files with plain POSIX calls: much cheaper than Foundation's atomic `Data.write` when a build writes
/// thousands of small files.
enum AtomicFile {
    /// A failed write: the path and the system's reason.
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason = String(cString: strerror(errno))
        var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes to a temporary file beside `path` and renames it over `path`: readers see the old or the new
    /// file, never half of one. A file that does not exist yet is written in place (one metadata operation
    /// fewer, which counts on disks where creating files is slow).
    /// `path` is relative to the open folder `folder` (or the working directory); returns the written file's stat
    /// data, taken from the open file (no second path lookup).
    @discardableResult
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, isNew: Bool = false,
                      relativeTo folder: Int32 = AT_FDCWD, temporary: String? = nil) throws -> FileSnapshot.Stat {
        try write(to: path, isNew: isNew, relativeTo: folder, temporary: temporary) { writeAll($0, bytes) }
    }

    /// The file at `path`, its contents written to the open file by `contents` (false: a write failed).
    @discardableResult
    private static func write(to path: String, isNew: Bool = false, relativeTo folder: Int32 = AT_FDCWD,
                              temporary: String? = nil, contents: (Int32) -> Bool) throws -> FileSnapshot.Stat {
        if isNew {
            let fd = openat(folder, path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let complete = contents(fd)
                let stat = FileSnapshot.stat(open: fd)
                close(fd)
                if complete, let stat { return stat }
                unlinkat(folder, path, 0)
                throw WriteError(path: path)
            }
        }
        let temporary = temporary ?? path + ".quill-tmp-\(getpid())"  // one writer per path at a time
        let fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: temporary) }
        let complete = contents(fd)
        let stat = FileSnapshot.stat(open: fd)  // a rename keeps the file's times
        close(fd)
        guard complete, let stat, renameat(folder, temporary, folder, path) == 0 else {
            let error = WriteError(path: path)
            unlinkat(folder, temporary, 0)
            throw error
        }
        return stat
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n <= 0 { return false }
            written += n
        }
        return true
    }

    @discardableResult
    static func write(_ data: Data, to path: String, isNew: Bool = false, relativeTo folder: Int32 = AT_FDCWD,
                      temporary: String? = nil) throws -> FileSnapshot.Stat
    {
        try data.withUnsafeBytes { try write($0, to: path, isNew: isNew, relativeTo: folder, temporary: temporary) }
    }
}

/// Makes folders (like `mkdir -p`), remembering those made or found, safe to use from many threads.
final class FolderMaker: @unchecked Sendable {
    private let lock = NSLock()
    private var known = Set<String>()
    /// Paths are relative to this open folder (or the working directory).
    let base: Int32

    init(relativeTo base: Int32 = AT_FDCWD) {
        self.base = base
    }

    func ensure(_ path: String) throws {
        if path.isEmpty || path == "." { return }  // the base folder itself
        lock.lock()
        let done = known.contains(path)
        lock.unlock()
        if done { return }
        if mkdirat(base, path, 0o755) != 0 {
            switch errno {
            case EEXIST: break
            case ENOENT:
                let parent = (path as NSString).deletingLastPathComponent
                guard parent != path else { throw AtomicFile.WriteError(path: path) }
                try ensure(parent)
                if mkdirat(base, path, 0o755) != 0 && errno != EEXIST { throw AtomicFile.WriteError(path: path) }
            default: throw AtomicFile.WriteError(path: path)
            }
        }
        lock.lock()
        known.insert(path)
        lock.unlock()
    }
}
