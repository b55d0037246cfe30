import Foundation
import QuillGraph

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
        /// An error, or a warning for a link that works but is worth a look (an off-site page that moved for good).
        public var severity = Diagnostic.Severity.error

        public static func < (a: Self, b: Self) -> Bool { (a.page, a.url) < (b.page, b.url) }
    }

    /// What one page offers and asks for.
    public struct Page: Sendable {
        /// Its `id`s (and `<a name>`s), the targets of fragments.
        public var ids: Set<String> = []
        /// Its URLs, as written, in document order.
        public var links: [String] = []
    }

    /// The ids and URLs of a page: one pass over its bytes (a site of 10,000 posts has 13,000 pages and 175 MB
    /// of them; a regular expression per tag took 50 s there).
    public static func scan(_ html: String) -> Page {
        var html = html
        return html.withUTF8 { scan($0) }
    }

    /// The ids and URLs of a page's bytes (UTF-8), read where they are.
    public static func scan(_ b: UnsafeBufferPointer<UInt8>) -> Page {
        var page = Page()
        do {
            let n = b.count
            func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
            func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 9 || c == 13 || c == 12 }
            func equals(_ start: Int, _ end: Int, _ word: StaticString) -> Bool {
                guard end - start == word.utf8CodeUnitCount else { return false }
                let w = word.utf8Start
                for k in 0..<(end - start) where lower(b[start + k]) != w[k] { return false }
                return true
            }
            var i = 0
            while i < n {
                guard b[i] == UInt8(ascii: "<") else {
                    i += 1
                    continue
                }
                if i + 3 < n, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    var j = i + 4  // a comment: skipped to its `-->`
                    while j + 2 < n, !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                    i = j + 3
                    continue
                }
                var j = i + 1
                guard j < n, (b[j] | 0x20) >= UInt8(ascii: "a"), (b[j] | 0x20) <= UInt8(ascii: "z") else {
                    i += 1
                    continue
                }
                let nameStart = j
                while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "/") { j += 1 }
                let isAnchor = equals(nameStart, j, "a"), isBase = equals(nameStart, j, "base")
                while j < n, b[j] != UInt8(ascii: ">") {  // attributes
                    if isSpace(b[j]) || b[j] == UInt8(ascii: "/") {
                        j += 1
                        continue
                    }
                    let attrStart = j
                    while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: "="), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "/") { j += 1 }
                    let attrEnd = j
                    while j < n, isSpace(b[j]) { j += 1 }
                    guard j < n, b[j] == UInt8(ascii: "=") else { continue }
                    j += 1
                    while j < n, isSpace(b[j]) { j += 1 }
                    guard j < n else { break }
                    var valueStart = j, valueEnd: Int
                    if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                        let quote = b[j]
                        valueStart = j + 1
                        j = valueStart
                        while j < n, b[j] != quote { j += 1 }
                        valueEnd = j
                        if j < n { j += 1 }
                    } else {
                        while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: ">") { j += 1 }
                        valueEnd = j
                    }
                    let kind: Int
                    if equals(attrStart, attrEnd, "href") { kind = isBase ? 0 : 1 } else if equals(attrStart, attrEnd, "src") {
                        kind = 1
                    } else if equals(attrStart, attrEnd, "srcset") { kind = 2 } else if equals(attrStart, attrEnd, "id") {
                        kind = 3
                    } else if isAnchor, equals(attrStart, attrEnd, "name") { kind = 3 } else { kind = 0 }
                    guard kind != 0 else { continue }
                    var value = String(decoding: UnsafeBufferPointer(rebasing: b[valueStart..<valueEnd]), as: UTF8.self)
                    if value.contains("&") { value = ImageHTML.decodeEntities(value) }
                    switch kind {
                    case 1: page.links.append(value)
                    case 2:
                        page.links += value.split(separator: ",").compactMap {
                            $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
                        }
                    default: page.ids.insert(value)
                    }
                }
                i = j + 1
            }
        }
        return page
    }

    /// The broken links of `pages` (output path → its page), given every published file's output path and the
    /// site's root path (`/` or `/blog/`).
    public static func check(_ pages: [String: Page], files: Set<String>, rootPath: String) -> [Finding] {
        check(pages, in: ScannedSite(files: files, pages: pages), rootPath: rootPath)
    }

    /// The broken links of `pages` (output path → its page), which are on `site`, served from `rootPath`.
    static func check(_ pages: [String: Page], in site: any PublishedSite, rootPath: String) -> [Finding] {
        /// A link resolved: the site path, its fragment, and the published file it names (nil: none).
        struct Resolved {
            var target: String
            var fragment: String?
            var file: String?
        }
        let paths = pages.keys.sorted()
        // A few parts per core: each has its own memo, and most links are in every part.
        let chunks = min(2 * ProcessInfo.processInfo.activeProcessorCount, max(1, paths.count / 64))
        // On every core, each part with its own memo of resolved links: most links (the menu, tags, feeds) are the
        // same on every page.
        let parts = (try? Parallel.map(chunks) { part -> [Finding] in
            var memo = [String: Resolved?]()
            var findings = [Finding]()
            for index in stride(from: part, to: paths.count, by: chunks) {
                let path = paths[index]
                let here = OutputPath(path).urlPath.value
                let folder = here.hasSuffix("/") ? here : String(here[...(here.lastIndex(of: "/") ?? here.startIndex)])
                for link in pages[path]!.links {
                    let key = link.hasPrefix("/") || link.hasPrefix("#") ? link : folder + "\u{0}" + link
                    let resolved: Resolved?
                    if let known = memo[key] {
                        resolved = known
                    } else {
                        resolved = resolve(link, folder: folder, rootPath: rootPath).map { target, fragment in
                            Resolved(target: target, fragment: fragment,
                                     file: target.isEmpty ? nil : file(for: target, in: site))
                        }
                        memo[key] = .some(resolved)
                    }
                    guard let resolved else { continue }  // off the site
                    guard let targetPath = resolved.target.isEmpty ? path : resolved.file else {
                        let paths = site.urlPaths()
                        let near = sameName(resolved.target, among: paths) ?? Suggestion.closest(to: resolved.target, among: paths)
                        // A relative link says where it led: `images/sun.png` in a post is under the post's URL.
                        let relative = !link.hasPrefix("/") && !link.hasPrefix("#")
                        findings.append(Finding(page: path, url: link,
                                                problem: relative ? "no such page or file (it resolves to "
                                                    + "\(rootPath.dropLast())\(resolved.target))" : "no such page",
                                                hint: near.map { "did you mean \(rootPath.dropLast())\($0)?" },
                                                target: resolved.target))
                        continue
                    }
                    guard let fragment = resolved.fragment, !fragment.isEmpty, targetPath.hasSuffix(".html") else { continue }
                    let ids = site.ids(of: targetPath)
                    guard !ids.contains(fragment) else { continue }
                    let near = Suggestion.closest(to: fragment, among: ids)
                    findings.append(Finding(page: path, url: link, problem: "no element with id \"\(fragment)\" on "
                                                + (targetPath == path ? "this page" : OutputPath(targetPath).urlPath.value),
                                            hint: near.map { "did you mean #\($0)?" },
                                            target: OutputPath(targetPath).urlPath.value + "#" + fragment))
                }
            }
            return findings
        }) ?? []
        return Set(parts.joined()).sorted()
    }

    /// The published file with the name `target` asks for that shares the most of its path (`/2024/01/04/d/
    /// images/sun.png` → `/images/sun.png`; `/2024/02/01/hello/` → `/2024/01/01/hello/`), as a site path; nil when
    /// no file has that name, or two share as much.
    static func sameName(_ target: String, among urlPaths: [String]) -> String? {
        let files = urlPaths.map { URLPath($0).outputPath.value }
        let wanted = URLPath(target).outputPath.value.split(separator: "/")
        guard let name = wanted.last else { return nil }
        let tail = name == "index.html" && wanted.count > 1 ? wanted.suffix(2) : wanted.suffix(1)
        var best: (file: String, shared: Int)?, tie = false
        for file in files where file.hasSuffix(tail.joined(separator: "/")) {
            let parts = file.split(separator: "/")
            guard parts.suffix(tail.count).elementsEqual(tail) else { continue }
            var shared = 0
            while shared < min(parts.count, wanted.count), parts[parts.count - 1 - shared] == wanted[wanted.count - 1 - shared] {
                shared += 1
            }
            if best == nil || shared > best!.shared || (shared == best!.shared && file < best!.file) {
                tie = best.map { $0.shared == shared } ?? false
                best = (file, shared)
            } else if shared == best!.shared {
                tie = true
            }
        }
        guard let best, !tie else { return nil }
        return OutputPath(best.file).urlPath.value
    }

    /// The site path a URL names (decoded, from the site's root, without its fragment: `/2010/01/30/sun/`; empty
    /// for this page) and its fragment; nil for a URL off the site (another host, `mailto:`, `data:`).
    static func resolve(_ url: String, folder: String, rootPath: String) -> (String, String?)? {
        guard let (path, suffix) = URLPath.resolving(url, inFolder: folder, rootPath: rootPath) else { return nil }
        let fragment = suffix.firstIndex(of: "#").map { String(suffix[suffix.index(after: $0)...]) }
        return (path, fragment.map { $0.removingPercentEncoding ?? $0 })
    }

    /// The published file a site path is served from: `/a/` → `a/index.html`, `/a` → `a` or `a/index.html` (servers
    /// redirect a folder without its slash), `/feed.xml` → `feed.xml`.
    static func file(for path: String, in files: any PublishedSite) -> String? {
        let direct = URLPath(path).outputPath.value
        if files.contains(direct) { return direct }
        if !path.hasSuffix("/") {
            let folder = URLPath(path + "/").outputPath.value
            if files.contains(folder) { return folder }
        }
        return nil
    }
}
