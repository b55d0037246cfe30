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
    /// Site-relative folder → its files (recursive), sorted.
    private var sortedPaths: [String] = []

    /// Walks `folders` (site-relative) and stats `singles` under `root`.
    public init(root: URL, folders: [String], singles: [String]) {
        let base = root.standardizedFileURL.path
        for single in singles {
            if let stat = Self.stat(base + "/" + single) { files[single] = stat }
        }
        for folder in folders { walk(base: base, relative: folder) }
        sortedPaths = files.keys.sorted()
    }

    static func stat(_ path: String) -> Stat? {
        var st = Glibc.stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Stat(size: UInt64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                    mtimeNanoseconds: Int64(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
    }

    private mutating func walk(base: String, relative: String) {
        guard let dir = opendir(base + "/" + relative) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            let path = relative + "/" + name
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                walk(base: base, relative: path)
            } else if type == UInt8(DT_REG) {
                if let stat = Self.stat(base + "/" + path) { files[path] = stat }
            } else if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var st = Glibc.stat()
                guard fstatat(AT_FDCWD, base + "/" + path, &st, 0) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    walk(base: base, relative: path)
                } else if (st.st_mode & S_IFMT) == S_IFREG {
                    files[path] = Stat(size: UInt64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                                       mtimeNanoseconds: Int64(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
                }
            }
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
