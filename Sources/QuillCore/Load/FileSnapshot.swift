import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stat data of every source file of a site, read in one walk without opening any file: what a build uses to
/// tell which files it must hash again.
public struct FileSnapshot: Sendable {
    public struct Stat: Sendable, Hashable {
        public var size: UInt64
        public var mtimeSeconds: Int64
        public var mtimeNanoseconds: Int64
        public var inode: UInt64
    }

    /// Site-relative path → stat, for regular files under the walked folders (hidden names skipped).
    public private(set) var files: [String: Stat] = [:]
    /// Symlinks that were not followed, each with why (pointing outside the site, nowhere, or in a circle).
    public private(set) var warnings: [Diagnostic] = []
    /// Site-relative folder → its files (recursive), sorted.
    private var sortedPaths: [String] = []

    /// Walks `folders` (site-relative) and stats `singles` under `root`.
    public init(root: URL, folders: [String], singles: [String]) {
        let base = root.standardizedFileURL.path
        for single in singles {
            if let stat = Self.stat(base + "/" + single) { files[single] = stat }
        }
        if let real = realpath(base, nil) {
            rootReal = String(cString: real)
            free(real)
        } else {
            rootReal = base
        }
        for folder in folders { walk(base: base, relative: folder) }
        sortedPaths = files.keys.sorted()
    }

    static func stat(_ path: String) -> Stat? { stat(path, relativeTo: AT_FDCWD) }

    /// Stat of a regular file at `path`, relative to the open directory `directory` (fewer path lookups than an
    /// absolute path, which is most of the cost of stat'ing thousands of files).
    static func stat(_ path: String, relativeTo directory: Int32, follow: Bool = false) -> Stat? {
        var st = Glibc.stat()
        guard fstatat(directory, path, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Stat(size: UInt64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                    mtimeNanoseconds: Int64(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
    }

    /// Stat data of an open file.
    static func stat(open fd: Int32) -> Stat? {
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Stat(size: UInt64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                    mtimeNanoseconds: Int64(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
    }

    /// The site folder with symlinks resolved; a symlink whose target lies outside it is not followed.
    private var rootReal = ""
    /// Folders walked (device, inode), so that a symlink back to one of them is not walked again forever.
    private var walked = Set<[UInt64]>()

    private mutating func walk(base: String, relative: String) {
        guard let dir = opendir(base + "/" + relative) else { return }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var here = Glibc.stat()
        guard fstat(fd, &here) == 0, walked.insert([UInt64(here.st_dev), UInt64(here.st_ino)]).inserted else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            let path = relative + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {  // a file system that does not say: ask without following a link
                var st = Glibc.stat()
                guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFREG: type = UInt8(DT_REG)
                case S_IFLNK: type = UInt8(DT_LNK)
                default: continue
                }
            }
            if type == UInt8(DT_DIR) {
                walk(base: base, relative: path)
            } else if type == UInt8(DT_REG) {
                if let stat = Self.stat(name, relativeTo: fd) { files[path] = stat }
            } else if type == UInt8(DT_LNK) {
                followLink(name, in: fd, base: base, path: path)
            }
        }
    }

    /// Follows the symlink `name` of the open folder `fd` (site path `path`) to a file or folder inside the site;
    /// one that points outside it, nowhere, or round in a circle is skipped with a warning saying why.
    private mutating func followLink(_ name: String, in fd: Int32, base: String, path: String) {
        func skip(_ why: String, _ hint: String) {
            warnings.append(Diagnostic(SourceLocation(file: path), "symlink skipped: \(why)", hint: hint,
                                       severity: .warning))
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlinkat(fd, name, &buffer, buffer.count - 1)
        let target = length >= 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        var st = Glibc.stat()
        guard fstatat(fd, name, &st, 0) == 0 else {
            switch errno {
            case ELOOP: skip("it leads round in a circle of symlinks (→ \(target))", "point it at a real file or folder")
            case ENOENT, ENOTDIR: skip("what it points to does not exist (→ \(target))", "fix the link, or remove it")
            default: skip("\(String(cString: strerror(errno))) (→ \(target))", "fix the link, or remove it")
            }
            return
        }
        guard let real = realpath(base + "/" + path, nil) else { return }
        let resolved = String(cString: real)
        free(real)
        guard resolved.hasPrefix(rootReal + "/") else {  // /etc/passwd is no post
            skip("it points outside the site (→ \(resolved))",
                 "Quill reads only files inside the site folder: copy the file in, or move the link's target inside")
            return
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            guard !walked.contains([UInt64(st.st_dev), UInt64(st.st_ino)]) else {
                skip("it leads back to a folder already read (→ \(target))",
                     "a link to a folder that contains it, or to a folder read elsewhere, would read files twice")
                return
            }
            walk(base: base, relative: path)
        } else if let stat = Self.stat(name, relativeTo: fd, follow: true) {
            files[path] = stat
        }
    }

    /// The files under `folder`, sorted.
    public func files(under folder: String) -> [String] {
        let prefix = folder + "/"
        var lower = 0, upper = sortedPaths.count
        while lower < upper {  // first path ≥ prefix
            let mid = (lower + upper) / 2
            if sortedPaths[mid] < prefix { lower = mid + 1 } else { upper = mid }
        }
        var result = [String]()
        var i = lower
        while i < sortedPaths.count, sortedPaths[i].hasPrefix(prefix) {
            result.append(sortedPaths[i])
            i += 1
        }
        return result
    }
}
