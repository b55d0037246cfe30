import Foundation

/// Writes an imported site into its folder.
public enum ImportWriter {
    /// Writes `files` under `destination`, which must be empty or absent unless `force` (then files of the import
    /// replace those of the same path, and nothing else is touched).
    public static func write(_ files: [String: Data], to destination: URL, force: Bool) throws {
        let fm = FileManager.default
        if !force, let existing = try? fm.contentsOfDirectory(atPath: destination.path), !existing.isEmpty {
            throw JekyllSiteReader.Failure(description: "error: \(destination.path) is not empty\n"
                + "  hint: import into a new folder, or pass --force to write over the files of an earlier import")
        }
        for path in files.keys.sorted() {
            let url = destination.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files[path]!.write(to: url, options: .atomic)
        }
    }
}
