import Foundation
import QuillMarkdown

/// Creates new sites, posts, pages and themes on disk (`quill new site|post|page|theme`).
public enum SiteScaffold {
    /// A problem creating files: the path, and what went wrong.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        init(description: String) {
            self.description = description
        }

        /// The problems of site.toml, without a build's closing line (nothing was being built).
        init(_ failure: BuildFailure) {
            description = failure.diagnostics.map(\.description).joined(separator: "\n")
        }
    }

    /// What `quill new post` writes.
    public struct PostRequest: Sendable {
        public var title: String
        public var tags: [String] = []
        /// Written into the front matter only when given: otherwise site.toml's `author` applies.
        public var author: String?
        public var draft = false
        /// The post's date as written by the user (`2024-05-01`, `2024-05-01 09:30`, …); nil: now.
        public var date: String?
        /// A folder post (`content/posts/<date>-<slug>/index.md`), with room for its images beside it.
        public var bundle = false

        public init(title: String) {
            self.title = title
        }
    }

    /// Writes `content/posts/YYYY-MM-DD-<slug>.md` (or `…/<slug>/index.md` for a bundle), dated in the site's
    /// time zone; returns its path.
    public static func newPost(_ request: PostRequest, site: URL, now: Date) throws -> URL {
        let config: SiteConfig
        do { config = try SiteLoader(root: site).loadConfig() } catch { throw Failure(error) }
        let slug = Slug.make(request.title)
        guard !slug.isEmpty else {
            throw Failure(description: "error: the title \"\(request.title)\" has no letters or digits\n"
                + "  hint: give the post a title with a word in it; the file name is made from it")
        }
        var date = now
        if let text = request.date {
            switch DateParser.read(text, timeZone: config.timeZone) {
            case .success(let reading): date = reading.date
            case .failure(let problem):
                throw Failure(description: "error: cannot read --date \"\(text)\" as a date: it "
                    + DateParser.explanation(problem) + "\n  hint: " + DateParser.hint)
            }
        }
        let day = DateParts(date, in: config.timeZone)
        let name = "\(day.isoDay)-\(slug)"
        let file = site.appendingPathComponent(request.bundle ? "content/posts/\(name)/index.md" : "content/posts/\(name).md")
        var text = "---\ntitle: \(yamlString(request.title))\ndate: \(day.isoDay) \(day.hour):\(day.minute):\(day.second)\n"
        if let author = request.author { text += "author: \(yamlString(author))\n" }
        text += "tags: [\(request.tags.map(yamlString).joined(separator: ", "))]\n"
        if request.draft { text += "draft: true\n" }
        text += "---\n\n"
        text += "Write the first paragraph here: it is the summary on the home page.\n\n<!--more-->\n\nThe rest of the post.\n"
        if request.bundle { text += "\nPictures and files put beside this index.md are published with the post.\n" }
        try create(file, text)
        return file
    }

    /// Writes `content/<slug>.md`, a standalone page (`/<slug>/`); returns its path.
    public static func newPage(title: String, site: URL) throws -> URL {
        do { _ = try SiteLoader(root: site).loadConfig() } catch { throw Failure(error) }
        let slug = Slug.make(title)
        guard !slug.isEmpty else {
            throw Failure(description: "error: the title \"\(title)\" has no letters or digits\n"
                + "  hint: give the page a title with a word in it; the file name is made from it")
        }
        let file = site.appendingPathComponent("content/\(slug).md")
        try create(file, "---\ntitle: \(yamlString(title))\n---\n\nWhat this page says.\n")
        return file
    }

    /// Copies the built-in theme to `themes/<name>/` so that it can be changed wholesale; returns the folder.
    public static func newTheme(named name: String, site: URL) throws -> URL {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), name == name.trimmingCharacters(in: .whitespaces)
        else {
            throw Failure(description: "error: \"\(name)\" cannot be a theme's folder name\n"
                + "  hint: use a plain name such as `my-theme`")
        }
        let folder = site.appendingPathComponent("themes/\(name)")
        if FileManager.default.fileExists(atPath: folder.path) {
            throw Failure(description: "error: \(folder.path) already exists\n  hint: pick another name or remove it")
        }
        for (path, text) in EmbeddedTheme.files.sorted(by: { $0.key < $1.key }) {
            try create(folder.appendingPathComponent(path), text)
        }
        return folder
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

    /// A YAML double-quoted string (escapes for `\`, `"`, line breaks and tabs; other control characters and
    /// carriage returns dropped), which is also a TOML basic string.
    static func yamlString(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": continue
            default:
                if ch.value < 0x20 { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
