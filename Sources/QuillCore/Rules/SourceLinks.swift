import Foundation
import QuillGraph

// Links by source file: `[the other post](2010-01-30-mourning-sun.md)`, `[about](../about.md)` (relative to the file
// that links) or `[x](@/posts/2010-01-30-mourning-sun.md#part)` (from `content/`) become the URL of that post or
// page when the site is built, so they survive any later change of its URL. One to a file that is not a post or page
// is an error at its line.

/// The source links of one post or page, rewritten as its Markdown is rendered; the links that name no source are
/// errors once it is done.
final class SourceLinks {
    private let file: SourceFile
    private let context: SiteContext
    private let config: SiteConfig
    private var errors: [Diagnostic] = []
    /// The first error a read of the graph threw, thrown again by `finish`.
    private var thrown: Error?

    init(_ file: SourceFile, _ context: SiteContext, _ config: SiteConfig) {
        (self.file, self.context, self.config) = (file, context, config)
    }

    /// Whether `text` may hold a source link: most posts hold none, and are rendered without looking.
    static func mayHave(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in  // one pass over the bytes: `.md` (and so `.markdown`) or `@/`
            guard b.count > 2 else { return false }
            for i in 0..<(b.count - 2) {
                if b[i] == UInt8(ascii: "."), b[i + 1] == UInt8(ascii: "m"), b[i + 2] == UInt8(ascii: "d") { return true }
                if b[i] == UInt8(ascii: "."), b[i + 1] == UInt8(ascii: "m"), b[i + 2] == UInt8(ascii: "a"), i + 9 <= b.count,
                   b[(i + 1)..<(i + 9)].elementsEqual("markdown".utf8) { return true }
                if b[i] == UInt8(ascii: "@"), b[i + 1] == UInt8(ascii: "/") { return true }
            }
            return false
        }
    }

    /// The source a link names (`content/posts/a.md`) and its `#fragment` (with the `#`, or empty); nil for a
    /// link that names no Markdown source (`/about/`, `https://…`, `notes.txt`). `from` is the linking file.
    static func target(of url: String, from: String) -> (source: String, fragment: Substring)? {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        var fragment: Substring = ""
        if let hash = rest.firstIndex(of: "#") { (rest, fragment) = (rest[..<hash], rest[hash...]) }
        let path: String
        if rest.hasPrefix("@/") {
            path = "content/" + rest.dropFirst(2)
        } else {
            guard rest.hasSuffix(".md") || rest.hasSuffix(".markdown"), !rest.hasPrefix("/"),
                  !URLPath.hasScheme(String(rest)) else { return nil }
            let folder = from.split(separator: "/").dropLast().joined(separator: "/")
            path = folder + "/" + (rest.removingPercentEncoding ?? String(rest))
        }
        var parts = [Substring]()
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return (path, fragment) }  // above the site: named as written, not found
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return (parts.joined(separator: "/"), fragment)
    }

    /// The URL a link becomes: its post's or page's (with the site's root path, and its fragment), or nil to
    /// leave it as written.
    func rewrite(_ url: String) -> String? {
        guard thrown == nil, let (source, fragment) = Self.target(of: url, from: file.path) else { return nil }
        do {
            let sources = try context.read(Node.SourceFiles())
            guard sources.bundles[source] == nil else { return nil }  // a file of a bundle, published as it is
            let isSource = sources.posts.contains(source) || sources.pages.contains(source)
            let target = isSource ? try context.read(Node.SourceURL(source)) : ""
            guard !target.isEmpty else {
                let at = SiteCheck.position(of: url, in: file.text)
                let near = Suggestion.closest(to: source, among: sources.posts + sources.pages)
                errors.append(Diagnostic(
                    SourceLocation(file: file.path, line: at?.line, column: at?.column),
                    isSource ? "link to \(url): \(source) has errors of its own, so it has no URL"
                        : "link to \(url): there is no post or page \(source)",
                    hint: isSource ? "fix \(source) (its errors are listed with the others)"
                        : near.map { "did you mean \(Self.spelling(of: $0, like: url, from: file.path))?" }
                            ?? "link to a file of content/ by its path from this file, or from content/ as @/posts/…"))
                return nil
            }
            return config.relativeURL(for: URLPath(target)) + fragment
        } catch {
            thrown = error
            return nil
        }
    }

    /// The links that named no source, as errors (a read of the graph that failed is thrown).
    func finish() throws -> [Diagnostic] {
        if let thrown { throw thrown }
        var seen = Set<String>()
        return errors.filter { seen.insert($0.description).inserted }
    }

    /// `source` written as the link `like` was: from `content/` (`@/posts/b.md`) or from the linking file.
    private static func spelling(of source: String, like url: String, from file: String) -> String {
        if url.hasPrefix("@/") { return "@/" + source.dropFirst("content/".count) }
        let here = file.split(separator: "/").dropLast()
        let there = source.split(separator: "/")
        var common = 0
        while common < here.count, common < there.count - 1, here[here.startIndex + common] == there[common] { common += 1 }
        return (Array(repeating: "..", count: here.count - common) + there[common...].map(String.init))
            .joined(separator: "/")
    }
}

extension Node {
    /// The URL of a post or page ("" when its front matter has errors), from its front matter alone: what a source
    /// link to it reads, without rendering its body (which may link back).
    struct SourceURL: NamedNode {
        typealias Value = String
        static let kind = "source.url"
        var id: String

        init(_ path: String) { id = path }

        func compute(_ c: SiteContext) throws -> String {
            guard case .success(let file) = try SourceText.read(id, c) else { return "" }
            let isPost = try c.read(SourceFiles()).posts.contains(id)
            var parser = ContentParser(config: try c.config(isPost ? [.timeZone, .permalink, .baseURL, .author]
                                                                     : [.timeZone, .baseURL]))
            parser.rendersBody = false
            let url = isPost ? parser.parsePost(file).map(\.url) : parser.parsePage(file).map(\.url)
            return (try? url.get())?.value ?? ""
        }
    }
}
