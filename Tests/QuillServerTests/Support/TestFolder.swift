import Foundation

/// A fresh temporary folder with files declared inline, removed when the test is done with it.
final class TestFolder: Sendable {
    let url: URL

    init(_ files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quill-serve-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var path: String { url.path }

    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
    }

    func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(path), withIntermediateDirectories: true)
    }

    /// A symbolic link at `path` pointing at `destination` (absolute, or relative to the link's folder).
    func link(_ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(path).path,
                                                   withDestinationPath: destination)
    }

    /// Replaces the first occurrence of `old` in the file at `path`, the way an editor saves: a temporary file
    /// written next to it, then renamed over it.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let text = try read(path)
        guard let range = text.range(of: old) else { throw EditError.notFound(old, path) }
        let temporary = url.appendingPathComponent(path + ".quill-test-tmp")
        try Data(text.replacingCharacters(in: range, with: new).utf8).write(to: temporary)
        guard rename(temporary.path, url.appendingPathComponent(path).path) == 0 else { throw EditError.rename(path) }
    }

    enum EditError: Error { case notFound(String, String), rename(String) }
}
