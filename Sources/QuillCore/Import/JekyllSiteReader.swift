import Foundation

/// Reads a Jekyll site's folder into memory for `JekyllImporter`; the folder is only read, never changed.
public enum JekyllSiteReader {
    /// A folder that cannot be imported.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Every file under `root` except `_site/` and `.git/` (the built site and history), with modification times.
    public static func read(_ root: URL) throws -> JekyllSource {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "error: \(root.path) is not a folder\n  hint: pass the folder holding _config.yml")
        }
        let base = root.standardizedFileURL.resolvingSymlinksInPath()
        var source = JekyllSource(files: [:])
        guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .contentModificationDateKey])
        else { return source }
        for case let url as URL in walker {
            let path = String(url.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(base.path.count + 1))
            if path == "_site" || path == ".git" || path == ".jekyll-cache" || path == ".sass-cache" {
                walker.skipDescendants()
                continue
            }
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey])
            guard values.isRegularFile == true else { continue }
            source.files[path] = try Data(contentsOf: url)
            source.modified[path] = values.contentModificationDate
        }
        return source
    }
}
