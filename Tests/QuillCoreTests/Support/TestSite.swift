import Foundation
import QuillCore

/// A small site written to a fresh temporary folder, declared inline like Hugo's integration tests:
///
/// ```swift
/// let site = try TestSite([
///     "site.toml": #"title = "T""#,
///     "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nHello",
/// ])
/// let outputs = try site.render()
/// ```
///
/// Templates come from the built-in default theme unless the files name others.
struct TestSite {
    let root: URL

    /// A `site.toml` with a fixed base URL and time zone, for tests that don't care about settings.
    static let basicConfig = """
        title = "Test Blog"
        base_url = "https://blog.example.org/"
        author = "Ann Author"
        time_zone = "UTC"
        posts_per_page = 3
        """

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("quill-test-\(UUID().uuidString)", isDirectory: true)
        for (path, text) in files { try write(path, text) }
        if files["site.toml"] == nil { try write("site.toml", Self.basicConfig) }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    /// Options for building this site at a fixed "now" (2030-01-01 UTC) unless told otherwise.
    func options(now: Date = Date(timeIntervalSince1970: 1_893_456_000), output: URL? = nil) -> BuildOptions {
        BuildOptions(source: root, output: output, now: now)
    }

    /// Renders without writing: path → text.
    func render(_ configure: (inout BuildOptions) -> Void = { _ in }) throws(BuildFailure) -> [String: String] {
        var options = self.options()
        configure(&options)
        let (outputs, _) = try SiteBuilder(options: options).render()
        var files = [String: String]()
        for output in outputs { files[output.path.value] = String(decoding: output.bytes, as: UTF8.self) }
        return files
    }

    /// Builds into `public/` and returns the report.
    @discardableResult
    func build(_ configure: (inout BuildOptions) -> Void = { _ in }) throws(BuildFailure) -> BuildReport {
        var options = self.options()
        configure(&options)
        return try SiteBuilder(options: options).build()
    }

    /// The build's error text, or nil when it succeeded.
    func errors(_ configure: (inout BuildOptions) -> Void = { _ in }) -> String? {
        do {
            _ = try render(configure)
            return nil
        } catch {
            return error.description
        }
    }

    /// Every file under `folder` (relative to the site), path → bytes; the mark a build leaves at the top of its
    /// output folder (`.quill-output`, see `OutputMark`) only when `mark`.
    func files(under folder: String = "public", mark: Bool = false) -> [String: Data] {
        let base = root.appendingPathComponent(folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [:] }
        var files = [String: Data]()
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            if let data = FileManager.default.contents(atPath: path),
               (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true {
                files[String(path.dropFirst(base.path.count + 1))] = data
            }
        }
        if !mark { files[".quill-output"] = nil }
        return files
    }
}

/// A post file's text with YAML front matter.
func post(_ title: String, date: String = "2024-01-02 10:00", tags: [String] = [], extra: String = "",
          body: String = "Body text.") -> String {
    let tagList = tags.map { "\"\($0)\"" }.joined(separator: ", ")
    return "---\ntitle: \"\(title)\"\ndate: \(date)\ntags: [\(tagList)]\n\(extra)---\n\n\(body)\n"
}
