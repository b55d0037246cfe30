import Foundation
#if canImport(Glibc)
import Glibc

/// Watches a site with Linux inotify: the site folder itself (for `site.toml` and the source folders appearing),
/// and every folder under content/, templates/, themes/ and static/. A folder created or moved in gets watches at
/// once, and the files already in it are reported, so files created in new folders are seen.
final class InotifyWatcher: FileWatcher, @unchecked Sendable {
    // Only the reading thread touches `folders` after `init`.
    private let site: String
    private let inotify: Int32
    private let stopPipe: [Int32]
    private var folders: [Int32: String] = [:]
    private var continuation: AsyncStream<FileChange>.Continuation?

    private static let folderMask = UInt32(IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO
        | IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR)

    /// Sets up the watches; throws when inotify is unavailable or out of watches.
    init(site: URL) throws {
        self.site = site.standardizedFileURL.path
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw WatcherError.unavailable(errno: errno) }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw WatcherError.unavailable(errno: errno)
        }
        stopPipe = ends
        try watch("")
        for folder in WatchScope.folders { try watchTree(folder) }
    }

    deinit {
        close(inotify)
        close(stopPipe[0])
        close(stopPipe[1])
    }

    func changes() -> AsyncStream<FileChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: FileChange.self)
        self.continuation = continuation
        let thread = Thread { [self] in readEvents() }
        thread.name = "quill-watch"
        continuation.onTermination = { [self] _ in stop() }
        thread.start()
        return stream
    }

    /// Ends the reading thread.
    func stop() {
        var byte: UInt8 = 0
        _ = write(stopPipe[1], &byte, 1)
    }

    private func readEvents() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer {
            buffer.deallocate()
            continuation?.finish()
        }
        while true {
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stopPipe[0], events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, fds[1].revents == 0 else { return }
            let count = read(inotify, buffer.baseAddress, buffer.count)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count > 0 else { return }
            var offset = 0
            while offset + 16 <= count {
                let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<(offset + 16 + length)])
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                handle(wd: wd, mask: mask, name: name)
                offset += 16 + length
            }
        }
    }

    private func handle(wd: Int32, mask: UInt32, name: String) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            continuation?.yield(.unknown)
            return
        }
        guard let folder = folders[wd] else { return }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[wd] = nil
            return
        }
        guard !name.isEmpty else { return }
        let path = folder.isEmpty ? name : folder + "/" + name
        if folder.isEmpty && !WatchScope.isRelevant(path) { return }
        if mask & UInt32(IN_ISDIR) != 0 {
            if mask & UInt32(IN_MOVED_FROM) != 0 { unwatchTree(path) }
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { try? watchTree(path, reporting: true) }
        }
        continuation?.yield(.path(path))
    }

    /// Watches `relative` and every folder under it; with `reporting`, tells of each file found (they may have
    /// been written before the watch was in place).
    private func watchTree(_ relative: String, reporting: Bool = false) throws {
        var visited = Set<[UInt64]>()
        try walk(relative, reporting: reporting, visited: &visited)
    }

    private func walk(_ relative: String, reporting: Bool, visited: inout Set<[UInt64]>) throws {
        var info = stat()
        let absolute = site + "/" + relative
        guard stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
              visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
        try watch(relative)
        guard let directory = opendir(absolute) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || WatchScope.isIgnoredName(name[...]) { continue }
            let child = relative + "/" + name
            var childInfo = stat()
            guard stat(site + "/" + child, &childInfo) == 0 else { continue }
            if (childInfo.st_mode & S_IFMT) == S_IFDIR {
                try walk(child, reporting: reporting, visited: &visited)
            } else if reporting {
                continuation?.yield(.path(child))
            }
        }
    }

    private func watch(_ relative: String) throws {
        let path = relative.isEmpty ? site : site + "/" + relative
        let wd = inotify_add_watch(inotify, path, Self.folderMask)
        guard wd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return }  // gone already, or not a folder: nothing to watch
            throw WatcherError.cannotWatch(path: path, errno: errno)
        }
        folders[wd] = relative
    }

    private func unwatchTree(_ relative: String) {
        for (wd, folder) in folders where folder == relative || folder.hasPrefix(relative + "/") {
            inotify_rm_watch(inotify, wd)
            folders[wd] = nil
        }
    }
}
#endif

/// Why a watcher could not start.
enum WatcherError: Error, CustomStringConvertible {
    case unavailable(errno: Int32)
    case cannotWatch(path: String, errno: Int32)

    var description: String {
        switch self {
        case .unavailable(let code): "cannot start inotify: \(String(cString: strerror(code)))"
        case .cannotWatch(let path, let code): "cannot watch \(path): \(String(cString: strerror(code)))"
        }
    }
}
