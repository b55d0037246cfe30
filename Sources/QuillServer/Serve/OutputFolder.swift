import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The preview's output folder, and the only way a request reaches a file in it. A path is checked as sent
/// (no encoded `/` or `\`, no backslash or control character), decoded once segment by segment (no `.` or `..`),
/// then resolved with realpath and kept only if it is still inside the folder, so neither a crafted path nor a
/// symlink in the output leads anywhere else. Folders are never listed.
struct OutputFolder: Sendable {
    /// What a request path names.
    enum Lookup: Equatable, Sendable {
        /// A regular file, by its resolved absolute path.
        case file(String)
        /// A folder asked for without its trailing slash: redirect here (always a single leading `/`).
        case redirect(String)
        case notFound
    }

    let url: URL

    init(_ url: URL) { self.url = url }

    /// What the raw (still percent-encoded) request path `rawPath` names.
    func lookup(_ rawPath: String) -> Lookup {
        guard let segments = Self.segments(of: rawPath), let root = Self.realPath(url.path) else { return .notFound }
        let wantsFolder = rawPath.hasSuffix("/")
        let candidate = ([root] + segments.map(\.decoded)).joined(separator: "/")
        guard let resolved = Self.realPath(candidate), Self.isInside(resolved, root: root) else { return .notFound }
        switch Self.kind(of: resolved) {
        case .folder where wantsFolder || segments.isEmpty:
            let index = resolved + "/index.html"
            guard let file = Self.realPath(index), Self.isInside(file, root: root), Self.kind(of: file) == .file
            else { return .notFound }
            return .file(file)
        case .folder:
            return .redirect("/" + segments.map(\.raw).joined(separator: "/") + "/")
        case .file where !wantsFolder:
            return .file(resolved)
        default:
            return .notFound
        }
    }

    /// The resolved path of the site's own 404 page, if it has one.
    func notFoundPage() -> String? {
        if case .file(let path) = lookup("/404.html") { return path }
        return nil
    }

    /// Reads a file that `lookup` returned; nil if it went away in between.
    func file(at path: String) -> ServedFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            done += count
        }
        bytes.removeLast(bytes.count - done)
        return ServedFile(
            path: path, bytes: bytes, size: UInt64(done), inode: UInt64(info.st_ino),
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// A path segment as sent and as decoded.
    struct Segment: Equatable {
        var raw: Substring
        var decoded: String
    }

    /// The non-empty segments of `rawPath`, or nil if any of them could reach outside the folder or is malformed.
    static func segments(of rawPath: String) -> [Segment]? {
        guard rawPath.hasPrefix("/"), !rawPath.contains("\\") else { return nil }
        var result: [Segment] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            let lowered = raw.lowercased()
            // Encoded separators and NUL would be decoded into the middle of a segment.
            guard !lowered.contains("%2f"), !lowered.contains("%5c"), !lowered.contains("%00"),
                  let decoded = raw.removingPercentEncoding, decoded != ".", decoded != "..",
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || "/\\".unicodeScalars.contains($0) })
            else { return nil }
            result.append(Segment(raw: raw, decoded: decoded))
        }
        return result
    }

    private enum Kind { case file, folder, other }

    private static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    private static func isInside(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A file read for a response, with the stat data its validators come from.
struct ServedFile: Sendable {
    var path: String
    var bytes: [UInt8]
    var size: UInt64
    var inode: UInt64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
}
