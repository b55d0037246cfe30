/// A change the watcher saw in the site folder.
enum FileChange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A file or folder, site-relative (`content/posts/a.md`).
    case path(String)
    /// Events were lost (the kernel's queue overflowed): anything may have changed.
    case unknown

    var description: String {
        switch self {
        case .path(let path): path
        case .unknown: "(events lost)"
        }
    }
}

/// What the watcher watches: the folders and file a build reads, less editors' temporary files.
enum WatchScope {
    /// Watched recursively.
    static let folders = ["content", "templates", "themes", "static"]
    /// Watched in the site folder itself.
    static let settings = "site.toml"

    /// Whether a change at `path` (site-relative) can affect the build.
    static func isRelevant(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let first = parts.first else { return false }
        if parts.count == 1 { return first == settings || folders.contains(String(first)) }
        return folders.contains(String(first)) && !parts.dropFirst().contains(where: isIgnoredName)
    }

    /// Hidden files (the build skips them too) and editors' swap, backup and lock files: `.x.swp`, `x~`,
    /// `.#x`, and vim's `4913` probe.
    static func isIgnoredName(_ name: Substring) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name == "4913"
            || [".swp", ".swx", ".swo"].contains { name.hasSuffix($0) }
    }
}

/// Tells of changes to a site's sources until the stream is dropped.
protocol FileWatcher: Sendable {
    /// The changes, as they happen. Call once.
    func changes() -> AsyncStream<FileChange>
}
