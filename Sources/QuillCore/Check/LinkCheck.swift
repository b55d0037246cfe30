import Foundation

/// The internal links of a built site, checked: every `href`, `src` and `srcset` URL that stays on the site must name
/// a published file, and every `#fragment` an `id` on its page. Works on the pages' HTML alone, so it checks what
/// templates wrote as well as what authors wrote.
public enum LinkCheck {
    /// One broken link on one page.
    public struct Finding: Sendable, Hashable, Comparable {
        /// The page it is on (an output path: `2010/01/30/sun/index.html`).
        public var page: String
        /// The URL as written (character references decoded).
        public var url: String
        public var problem: String
        /// The closest published URL, when there is one.
        public var hint: String?
        /// What it resolved to (`/2024/01/01/hello/#intro`): the same broken link in a post and in its summary on a
        /// list page resolves alike.
        public var target: String = ""

        public static func < (a: Self, b: Self) -> Bool { (a.page, a.url) < (b.page, b.url) }
    }

    /// What one page offers and asks for.
    public struct Page: Sendable {
        /// Its `id`s (and `<a name>`s), the targets of fragments.
        public var ids: Set<String> = []
        /// Its URLs, as written, in document order.
        public var links: [String] = []
    }

    private static let tag = try! NSRegularExpression(
        pattern: #"<!--.*?-->|<([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#,
        options: [.dotMatchesLineSeparators])

    /// The ids and URLs of a page.
    public static func scan(_ html: String) -> Page {
        var page = Page()
        let ns = html as NSString
        for m in tag.matches(in: html, range: NSRange(location: 0, length: ns.length))
        where m.range(at: 1).location != NSNotFound {
            let name = ns.substring(with: m.range(at: 1)).lowercased()
            for (attribute, value) in ImageHTML.attributes(ns.substring(with: m.range(at: 2))) {
                guard let value else { continue }
                let text = ImageHTML.decodeEntities(value.replacingOccurrences(of: "&quot;", with: "\""))
                switch attribute {
                case "id": page.ids.insert(text)
                case "name" where name == "a": page.ids.insert(text)
                case "href" where name != "base", "src":
                    page.links.append(text)
                case "srcset":
                    page.links += text.split(separator: ",").compactMap {
                        $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
                    }
                default: break
                }
            }
        }
        return page
    }

    /// The broken links of `pages` (output path → its page), given every published file's output path and the
    /// site's root path (`/` or `/blog/`).
    public static func check(_ pages: [String: Page], files: Set<String>, rootPath: String) -> [Finding] {
        var findings = Set<Finding>()
        let urls = files.map { OutputPath($0).urlPath.value }
        for (path, page) in pages {
            let here = OutputPath(path).urlPath.value
            let folder = here.hasSuffix("/") ? here : String(here[...(here.lastIndex(of: "/") ?? here.startIndex)])
            for link in page.links {
                guard let (target, fragment) = resolve(link, folder: folder, rootPath: rootPath) else { continue }
                let targetPath: String?
                if target.isEmpty {
                    targetPath = path  // `#x` or `?q`: this page
                } else {
                    targetPath = file(for: target, in: files)
                }
                guard let targetPath else {
                    let near = Suggestion.closest(to: target, among: urls)
                    findings.insert(Finding(page: path, url: link, problem: "no such page",
                                            hint: near.map { "did you mean \(rootPath.dropLast())\($0)?" },
                                            target: target))
                    continue
                }
                guard let fragment, !fragment.isEmpty, targetPath.hasSuffix(".html") else { continue }
                let ids = pages[targetPath]?.ids ?? []
                if !ids.contains(fragment) {
                    let near = Suggestion.closest(to: fragment, among: ids)
                    findings.insert(Finding(page: path, url: link, problem: "no element with id \"\(fragment)\" on "
                                                + (targetPath == path ? "this page" : OutputPath(targetPath).urlPath.value),
                                            hint: near.map { "did you mean #\($0)?" },
                                            target: OutputPath(targetPath).urlPath.value + "#" + fragment))
                }
            }
        }
        return findings.sorted()
    }

    /// The site path a URL names (decoded, from the site's root, without its fragment: `/2010/01/30/sun/`; empty
    /// for this page) and its fragment; nil for a URL off the site (another host, `mailto:`, `data:`).
    static func resolve(_ url: String, folder: String, rootPath: String) -> (String, String?)? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("//"), !BodyImages.hasScheme(trimmed) else { return nil }
        var rest = Substring(trimmed)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...]).removingPercentEncoding
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard !rest.isEmpty else { return ("", fragment) }
        var path = String(rest).removingPercentEncoding ?? String(rest)
        if path.hasPrefix("/") {
            guard path.hasPrefix(rootPath) else { return nil }  // beside a site served from /blog/
            path = "/" + path.dropFirst(rootPath.count)
        } else {
            path = folder + path
        }
        return (URLPath(path).value, fragment)
    }

    /// The published file a site path is served from: `/a/` → `a/index.html`, `/a` → `a` or `a/index.html` (servers
    /// redirect a folder without its slash), `/feed.xml` → `feed.xml`.
    static func file(for path: String, in files: Set<String>) -> String? {
        let direct = URLPath(path).outputPath.value
        if files.contains(direct) { return direct }
        if !path.hasSuffix("/") {
            let folder = URLPath(path + "/").outputPath.value
            if files.contains(folder) { return folder }
        }
        return nil
    }
}
