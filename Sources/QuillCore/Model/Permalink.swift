/// The URL pattern of posts, such as `/:year/:month/:day/:slug/`.
///
/// Tokens: `:year`, `:month`, `:day`, `:hour`, `:minute`, `:second` (in the site's time zone, zero-padded), `:slug`.
public struct Permalink: Sendable, Hashable {
    public let pattern: String

    public static let `default` = Permalink(validPattern: "/:year/:month/:day/:slug/")
    static let tokens: Set<String> = ["year", "month", "day", "hour", "minute", "second", "slug"]

    private init(validPattern: String) { self.pattern = validPattern }

    /// Checks every `:token`; throws the first unknown one's name.
    public init(_ pattern: String) throws(UnknownToken) {
        for token in Self.tokenNames(in: pattern) where !Self.tokens.contains(token) {
            throw UnknownToken(name: token)
        }
        guard pattern.contains(":slug") else { throw UnknownToken(name: "", missingSlug: true) }
        self.pattern = pattern
    }

    /// A permalink pattern that names a token Quill does not know.
    public struct UnknownToken: Error, Sendable {
        public var name: String
        public var missingSlug = false
    }

    /// The URL of a post with these date parts and slug.
    public func path(date: DateParts, slug: String) -> URLPath {
        var out = ""
        var index = pattern.startIndex
        while index < pattern.endIndex {
            let ch = pattern[index]
            if ch == ":" {
                let nameStart = pattern.index(after: index)
                let nameEnd = pattern[nameStart...].firstIndex { !$0.isLetter } ?? pattern.endIndex
                switch pattern[nameStart..<nameEnd] {
                case "year": out += date.year
                case "month": out += date.month
                case "day": out += date.day
                case "hour": out += date.hour
                case "minute": out += date.minute
                case "second": out += date.second
                case "slug": out += slug
                default: out += pattern[index..<nameEnd]
                }
                index = nameEnd
            } else {
                out.append(ch)
                index = pattern.index(after: index)
            }
        }
        return URLPath(out)
    }

    static func tokenNames(in pattern: String) -> [String] {
        var names = [String]()
        var rest = pattern[...]
        while let colon = rest.firstIndex(of: ":") {
            let after = rest[rest.index(after: colon)...]
            let name = after.prefix { $0.isLetter }
            names.append(String(name))
            rest = after.dropFirst(name.count)
        }
        return names
    }
}
