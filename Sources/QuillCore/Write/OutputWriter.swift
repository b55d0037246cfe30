import Foundation

/// Puts a build's outputs on disk: writes only files whose bytes changed (others keep their mtime), each one
/// atomically, and removes files the site no longer produces. The only code that writes a build to disk.
public struct OutputWriter: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// Counts of what writing did.
    public struct Summary: Sendable, Equatable {
        public var written: [OutputPath] = []
        public var unchanged = 0
        public var removed: [OutputPath] = []
    }

    public func write(_ outputs: [RenderedOutput]) throws -> Summary {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var summary = Summary()
        var madeDirectories = Set<String>()
        for output in outputs {
            let url = directory.appendingPathComponent(output.path.value)
            if let existing = fm.contents(atPath: url.path), existing == output.bytes {
                summary.unchanged += 1
                continue
            }
            let parent = url.deletingLastPathComponent().path
            if !madeDirectories.contains(parent) {
                try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                madeDirectories.insert(parent)
            }
            try output.bytes.write(to: url, options: .atomic)
            summary.written.append(output.path)
        }
        summary.removed = try removeFiles(notIn: Set(outputs.map(\.path.value)))
        return summary
    }

    /// Deletes files under the output folder that are not `keep`, then the folders left empty.
    private func removeFiles(notIn keep: Set<String>) throws -> [OutputPath] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: directory, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        let prefix = directory.path + "/"
        var removed = [OutputPath]()
        var folders = [URL]()
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                folders.append(url)
                continue
            }
            let relative = String(path.dropFirst(prefix.count))
            if !keep.contains(relative) {
                try fm.removeItem(at: url)
                removed.append(OutputPath(relative))
            }
        }
        for folder in folders.sorted(by: { $0.path.count > $1.path.count }) {
            if (try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty == true { try? fm.removeItem(at: folder) }
        }
        return removed.sorted()
    }
}
