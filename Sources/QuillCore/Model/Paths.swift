/// A URL path inside the site, always starting with `/` and, for pages, ending with `/` (`/2010/01/30/sun/`).
/// It does not include the base URL's own path; `SiteConfig.url(for:)` adds it.
public struct URLPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Normalises `value` to start with one `/` and contain no `//`, `.` or `..` component: `..` goes up at most
    /// to the site's root, so no URL (and no output path made from one) can lead out of the output folder.
    public init(_ value: String) {
        if value.utf8.first == UInt8(ascii: "/"), !Self.needsNormalising(value) {
            self.value = value  // already normal: the common case, without splitting
            return
        }
        var path = "/" + Self.components(of: value).joined(separator: "/")
        if value.hasSuffix("/") && path != "/" { path += "/" }
        self.value = path
    }

    /// Whether `text` has an empty, `.` or `..` component (`//`, `/./`, `/..`).
    static func needsNormalising(_ text: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "/"), dots = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "/") {
                if previous == b || (dots > 0 && dots <= 2) { return true }
                dots = 0
            } else if b == UInt8(ascii: ".") {
                if previous == UInt8(ascii: "/") || dots > 0 { dots += 1 }
            } else {
                dots = 0
            }
            previous = b
        }
        return dots > 0 && dots <= 2
    }

    /// The components of `text` with empty and `.` ones dropped and each `..` taking one back (none above the top).
    static func components(of text: String) -> [Substring] {
        var kept = [Substring]()
        for component in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(component)
            }
        }
        return kept
    }

    /// Whether `text` names a `..` component (a path that would climb).
    public static func climbs(_ text: String) -> Bool {
        text.split(separator: "/").contains("..")
    }

    /// The site root, `/`.
    public static let root = URLPath("/")

    /// A child path: `URLPath("/tags/").appending("x/")` is `/tags/x/`.
    public func appending(_ component: String) -> URLPath {
        URLPath(value.hasSuffix("/") ? value + component : value + "/" + component)
    }

    /// The file this URL is served from: `/a/` → `a/index.html`, `/feed.xml` → `feed.xml`.
    public var outputPath: OutputPath {
        let relative = value.dropFirst()  // a normal URL path less its `/` is a normal file path
        return OutputPath(value.hasSuffix("/") ? relative + "index.html" : String(relative))
    }

    /// The path as it is written in a link: characters a URL may not hold as they are (space, `%`, `?`, `#`, quotes,
    /// brackets, controls, and every byte of a non-ASCII letter) percent-encoded, as WordPress and Jekyll link
    /// them and as sitemaps require. `/big ideas/c++/` → `/big%20ideas/c++/`, `/café/` → `/caf%C3%A9/`.
    public var encoded: String {
        func isUnsafe(_ b: UInt8) -> Bool {
            b < 0x21 || b >= 0x7F || b == UInt8(ascii: "%") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\\")
                || b == UInt8(ascii: "^") || b == UInt8(ascii: "`") || b == UInt8(ascii: "{") || b == UInt8(ascii: "|")
                || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
        }
        guard value.utf8.contains(where: isUnsafe) else { return value }  // the common case: nothing to encode
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for b in value.utf8 {
            if isUnsafe(b) { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]] } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { value }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }

    /// The site path a URL written on a page names, decoded and from the site's root (`cat.png` on a page in the
    /// folder `/2010/01/30/trip/` → `/2010/01/30/trip/cat.png`; `/blog/about/` on a site served from `/blog/` →
    /// `/about/`), with its query and fragment as written (`?v=2#top`); an empty path for the page itself (`#notes`).
    /// Nil for a URL off the site: another host, `mailto:` or `data:`, a path beside the site's root path.
    static func resolving(_ url: String, inFolder folder: String, rootPath: String) -> (path: String, suffix: Substring)? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("//"), !hasScheme(trimmed) else { return nil }
        let end = trimmed.firstIndex { $0 == "?" || $0 == "#" } ?? trimmed.endIndex
        let suffix = trimmed[end...]
        let written = trimmed[..<end]
        guard !written.isEmpty else { return ("", suffix) }
        var path = written.contains("%") ? written.removingPercentEncoding ?? String(written) : String(written)
        if path.hasPrefix("/") {
            guard path.hasPrefix(rootPath) else { return nil }
            path = "/" + path.dropFirst(rootPath.count)
        } else {
            path = folder + path
        }
        return (URLPath(path).value, suffix)
    }

    /// Whether a URL starts with a scheme (`https:`, `mailto:`, `data:`).
    static func hasScheme(_ url: String) -> Bool {
        // On bytes: a scheme is ASCII, so a byte beyond it ends the question (most URLs here are paths).
        var length = 0
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: ":"): return length > 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                length += 1
            default: return false
            }
        }
        return false
    }
}

/// A file inside the output folder, relative and without a leading `/` (`2010/01/30/sun/index.html`).
public struct OutputPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Normalises `value` as `URLPath` does, relative: never leading out of the output folder.
    public init(_ value: String) {
        if let first = value.utf8.first, first != UInt8(ascii: "/"), value.utf8.last != UInt8(ascii: "/"),
           !URLPath.needsNormalising(value) {
            self.value = value  // already normal
            return
        }
        self.value = URLPath.components(of: value).joined(separator: "/")
    }

    /// The URL this file is served at: `a/index.html` → `/a/`.
    public var urlPath: URLPath {
        if value == "index.html" { return .root }
        if value.hasSuffix("/index.html") { return URLPath("/" + value.dropLast("index.html".count)) }
        return URLPath("/" + value)
    }

    public var isHTML: Bool { value.hasSuffix(".html") }
    public var description: String { value }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
}
