/// A URL path inside the site, always starting with `/` and, for pages, ending with `/` (`/2010/01/30/sun/`).
/// It does not include the base URL's own path; `SiteConfig.url(for:)` adds it.
public struct URLPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Normalises `value` to start with one `/` and contain no `//`.
    public init(_ value: String) {
        if value.utf8.first == UInt8(ascii: "/"), !Self.hasDoubleSlash(value) {
            self.value = value  // already normal: the common case, without splitting
            return
        }
        var path = value.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        path = "/" + path
        if value.hasSuffix("/") && path != "/" { path += "/" }
        self.value = path
    }

    static func hasDoubleSlash(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "/") && previous == b { return true }
            previous = b
        }
        return false
    }

    /// The site root, `/`.
    public static let root = URLPath("/")

    /// A child path: `URLPath("/tags/").appending("x/")` is `/tags/x/`.
    public func appending(_ component: String) -> URLPath { URLPath(value + "/" + component) }

    /// The file this URL is served from: `/a/` → `a/index.html`, `/feed.xml` → `feed.xml`.
    public var outputPath: OutputPath {
        OutputPath(value.hasSuffix("/") ? value + "index.html" : value)
    }

    /// The path as it is written in a link: characters a URL may not hold as they are (space, `%`, `?`, `#`, quotes,
    /// brackets, controls) percent-encoded; letters of any script are kept. `/big ideas/c++/` → `/big%20ideas/c++/`.
    public var encoded: String {
        func isUnsafe(_ b: UInt8) -> Bool {
            b < 0x21 || b == 0x7F || b == UInt8(ascii: "%") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#")
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
}

/// A file inside the output folder, relative and without a leading `/` (`2010/01/30/sun/index.html`).
public struct OutputPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) {
        if let first = value.utf8.first, first != UInt8(ascii: "/"), value.utf8.last != UInt8(ascii: "/"),
           !URLPath.hasDoubleSlash(value) {
            self.value = value  // already normal
            return
        }
        self.value = value.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
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
