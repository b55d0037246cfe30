import Foundation
import QuillMarkdown

/// Creates new sites and posts on disk (`quill new site`, `quill new post`).
public enum SiteScaffold {
    /// A problem creating files: the path, and what went wrong.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `content/posts/<slug>.md` with front matter from `site.toml` and `now`; returns its path.
    public static func newPost(title: String, tags: [String], site: URL, now: Date) throws -> URL {
        let config: SiteConfig
        do { config = try SiteLoader(root: site).loadConfig() } catch { throw Failure(description: "\(error)") }
        let slug = Slug.make(title)
        guard !slug.isEmpty else { throw Failure(description: "error: the title \"\(title)\" has no letters or digits") }
        let file = site.appendingPathComponent("content/posts/\(slug).md")
        let date = DateParts(now, in: config.timeZone)
        var text = "---\ntitle: \(yamlString(title))\ndate: \(date.isoDay) \(date.hour):\(date.minute):\(date.second)\n"
        if !config.author.isEmpty { text += "author: \(yamlString(config.author))\n" }
        text += "tags: [\(tags.map(yamlString).joined(separator: ", "))]\ndraft: false\n---\n\n"
        text += "Write the first paragraph here: it is the summary on the home page.\n\n<!--more-->\n\nThe rest of the post.\n"
        try create(file, text)
        return file
    }

    /// Writes a working site into `directory` (which must be empty or absent); the theme is the built-in one.
    public static func newSite(at directory: URL, now: Date) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw Failure(description: "error: \(directory.path) is not empty\n  hint: choose a new folder name")
        }
        let name = directory.lastPathComponent
        let day = DateParts(now, in: TimeZone(identifier: "UTC")!)
        try create(directory.appendingPathComponent("site.toml"), """
            title = \(yamlString(name))
            description = "A new blog made with Quill."
            base_url = "https://example.org/"
            language = "en"
            author = "Your Name"
            time_zone = "UTC"
            theme = "default"          # built in; copy it to themes/default/ to change it wholesale
            posts_per_page = 10
            permalink = "/:year/:month/:day/:slug/"

            [feeds]
            limit = 20
            full_content = true

            [params]

            """)
        try create(directory.appendingPathComponent("content/posts/\(day.isoDay)-hello-world.md"), """
            ---
            title: "Hello, world"
            date: \(day.isoDay) \(day.hour):\(day.minute):00
            tags: [welcome]
            ---

            This is the first post of a new blog. Edit it in `content/posts/`, then run `quill build`.

            <!--more-->

            ## What goes where

            - `content/posts/` holds posts, `content/` other pages (like `about.md`).
            - `templates/` and `static/` override the theme's files of the same name.

            """)
        try create(directory.appendingPathComponent("content/about.md"), """
            ---
            title: About
            weight: 1
            ---

            Tell your readers who you are.

            """)
        try create(directory.appendingPathComponent(".gitignore"), "public/\n.quill/\n")
    }

    private static func create(_ file: URL, _ text: String) throws {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: file.path) else {
            throw Failure(description: "error: \(file.path) already exists\n  hint: pick another title or remove it")
        }
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file, options: .atomic)
    }

    static func yamlString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
