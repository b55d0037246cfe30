import Foundation
import QuillMarkdown

/// The URL pattern of posts, such as `/:year/:month/:day/:slug/`.
///
/// Tokens (dates in the site's time zone): `:year`, `:month`, `:day`, `:hour`, `:minute`, `:second` (zero-padded),
/// `:i_month`, `:i_day` (not padded), `:short_year` (`10`), `:y_day` (day of the year, `005`), `:short_month` (`Jan`),
/// `:long_month` (`January`), `:short_day` (`Tue`), `:long_day` (`Tuesday`), `:week` (ISO week, `01`), `:w_year`
/// (its year), `:w_day` (ISO weekday, Monday `1`), `:slug`, `:title` (the file name's slug as written, like
/// Jekyll's), `:name` (the file name's slug, date included), `:categories` (the post's categories, lowercased, joined
/// by `/`; nothing when it has none), `:slugified_categories` (each one slugged) and `:output_ext` (`.html`). A pattern that does not end in `/` names a file:
/// `/:year/:title:output_ext` → `/2010/foo.html`; without an extension `.html` is added, as Jekyll does.
public struct Permalink: Sendable, Hashable {
    public let pattern: String
    /// The pattern cut into text and tokens once, when it is made: each post's URL is then a join, not a scan.
    private let parts: [Part]

    enum Part: Sendable {
        case text(String)
        case token(String, written: String)
    }

    public static func == (a: Permalink, b: Permalink) -> Bool { a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    public static let `default` = Permalink(validPattern: "/:year/:month/:day/:slug/")
    static let tokens: Set<String> = [
        "year", "month", "day", "hour", "minute", "second", "i_month", "i_day", "short_year", "y_day", "short_month",
        "long_month", "short_day", "long_day", "week", "w_year", "w_day", "slug", "title", "name", "categories",
        "slugified_categories", "output_ext",
    ]

    /// What a post's URL is made of.
    public struct Fields: Sendable {
        public var date: DateParts
        public var slug: String
        /// The file name's slug, case and punctuation kept (Jekyll's `:title`).
        public var title: String
        public var categories: [String]
        /// The file name's slug with its date (Jekyll's `:name`).
        public var name: String

        public init(date: DateParts, slug: String, title: String? = nil, categories: [String] = [], name: String? = nil) {
            (self.date, self.slug, self.title, self.categories) = (date, slug, title ?? slug, categories)
            self.name = name ?? slug
        }
    }

    private init(validPattern: String) {
        pattern = validPattern
        parts = Self.parts(of: validPattern)
    }

    /// Checks every `:token`; throws the first unknown one's name. A site's pattern must name the post (`:slug` or
    /// `:title`); a single post's own `permalink` need not (`requiresSlug: false`).
    public init(_ pattern: String, requiresSlug: Bool = true) throws(UnknownToken) {
        let parts = Self.parts(of: pattern)
        for case .token(let name, _) in parts where !Self.tokens.contains(name) {
            throw UnknownToken(name: name)
        }
        if requiresSlug, !pattern.contains(":slug"), !pattern.contains(":title") {
            throw UnknownToken(name: "", missingSlug: true)
        }
        self.pattern = pattern
        self.parts = parts
    }

    /// A permalink pattern that names a token Quill does not know.
    public struct UnknownToken: Error, Sendable {
        public var name: String
        public var missingSlug = false
    }

    /// A hint listing the tokens, for errors.
    public static let tokenHint = "tokens are :year :month :day :hour :minute :second :i_month :i_day :short_year "
        + ":y_day :short_month :long_month :short_day :long_day :week :w_year :w_day :slug :title :name :categories "
        + ":slugified_categories :output_ext"

    /// The URL of a post with these date parts and slug.
    public func path(date: DateParts, slug: String) -> URLPath { path(Fields(date: date, slug: slug)) }

    /// The URL of a post with these fields.
    public func path(_ fields: Fields) -> URLPath {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .token(let name, let written): out += Self.value(of: Substring(name), fields) ?? written
            }
        }
        return Self.literalPath(out)
    }

    /// `pattern` as text and `:token`s (each the longest known name, as `tokenEnd` finds it).
    static func parts(of pattern: String) -> [Part] {
        var parts = [Part]()
        var text = ""
        var index = pattern.startIndex
        while let colon = pattern[index...].firstIndex(of: ":") {
            text += pattern[index..<colon]
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
            let end = tokenEnd(in: pattern, from: pattern.index(after: colon))
            parts.append(.token(String(pattern[pattern.index(after: colon)..<end]), written: String(pattern[colon..<end])))
            index = end
        }
        text += pattern[index...]
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// A URL as a page's address: `/a/` is a folder, `/a.html` a file, `/a` the file `/a.html` (as Jekyll writes it).
    public static func literalPath(_ url: String) -> URLPath {
        guard !url.hasSuffix("/"), let last = url.split(separator: "/").last, !last.contains(".") else {
            return URLPath(url)
        }
        return URLPath(url + ".html")
    }

    /// The value of one token (its name without `:`) for these fields; nil for a name that is not a token.
    static func value(of token: Substring, _ f: Fields) -> String? {
        let d = f.date
        switch token {
        case "year": return d.year
        case "month": return d.month
        case "day": return d.day
        case "hour": return d.hour
        case "minute": return d.minute
        case "second": return d.second
        case "i_month": return String(Int(d.month) ?? 0)
        case "i_day": return String(Int(d.day) ?? 0)
        case "short_year": return String(d.year.suffix(2))
        case "y_day": return d.dayOfYear
        case "short_month": return String(d.monthName.prefix(3))
        case "long_month": return d.monthName
        case "short_day": return DateParts.dayNames[d.weekday - 1]
        case "long_day": return DateParts.longDayNames[d.weekday - 1]
        case "week": return d.isoWeek.week
        case "w_year": return d.isoWeek.year
        case "w_day": return String(d.weekday == 1 ? 7 : d.weekday - 1)
        case "slug": return f.slug
        case "title": return f.title
        case "name": return f.name
        case "output_ext": return ".html"
        case "categories": return unique(f.categories.map { $0.lowercased() })
        case "slugified_categories": return unique(f.categories.map(Slug.make))
        default: return nil
        }
    }

    /// `parts` without repeats, joined by `/`.
    private static func unique(_ parts: [String]) -> String {
        var seen = Set<String>()
        return parts.filter { seen.insert($0).inserted }.joined(separator: "/")
    }

    /// Token names are letters and underscores (`:i_month`); the longest known name wins, so that `:title_x` is
    /// `:title` followed by `_x` only when `title_x` is not a token.
    private static func tokenEnd(in pattern: String, from start: String.Index) -> String.Index {
        let end = pattern[start...].firstIndex { !($0.isLetter || $0 == "_") } ?? pattern.endIndex
        var candidate = end
        while candidate > start {
            if tokens.contains(String(pattern[start..<candidate])) { return candidate }
            candidate = pattern.index(before: candidate)
        }
        return end
    }

    static func tokenNames(in pattern: String) -> [String] {
        var names = [String]()
        var index = pattern.startIndex
        while let colon = pattern[index...].firstIndex(of: ":") {
            let start = pattern.index(after: colon)
            let end = tokenEnd(in: pattern, from: start)
            names.append(String(pattern[start..<end]))
            index = end
        }
        return names
    }

    private static let asciiKept = Set("._~!$&'()+,;=@".utf8)

    /// Jekyll's "pretty" slug, case kept: runs of characters other than letters, digits and `._~!$&'()+,;=@` become
    /// one `-`, and `-` is trimmed from both ends (`Hello, World!` → `Hello,-World!`).
    public static func prettySlug(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {  // ASCII, the usual file name: the same rule on bytes
            var out = [UInt8]()
            out.reserveCapacity(text.utf8.count)
            var pendingDash = false
            for byte in text.utf8 {
                if byte.isASCIILetter || byte.isASCIIDigit || asciiKept.contains(byte) {
                    if pendingDash && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                    pendingDash = false
                    out.append(byte)
                } else {
                    pendingDash = true
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return prettySlugByCharacter(text)
    }

    /// `prettySlug` character by character: the rule for any text, of which the ASCII path above is the same
    /// rule on bytes (the tests hold the two to the same answers).
    static func prettySlugByCharacter(_ text: String) -> String {
        let kept = Set("._~!$&'()+,;=@")
        var out = ""
        var pendingDash = false
        for ch in text {
            if ch.isLetter || ch.isNumber || kept.contains(ch) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(ch)
            } else {
                pendingDash = true
            }
        }
        return out
    }
}

extension DateParts {
    static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The ISO 8601 week (`01`…`53`, zero-padded) and the year it belongs to, as strftime's `%V` and `%G`.
    var isoWeek: (week: String, year: String) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekOfYear, .yearForWeekOfYear], from: date)
        let week = c.weekOfYear ?? 1
        return ((week < 10 ? "0" : "") + String(week), String(c.yearForWeekOfYear ?? Int(year) ?? 1970))
    }

    /// The day of the year, zero-padded to three digits (`005`), as strftime's `%j`.
    var dayOfYear: String {
        let year = Int(self.year) ?? 1970, day = Int(self.day) ?? 1
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][monthNumber - 1]
        let n = before + day + (leap && monthNumber > 2 ? 1 : 0)
        return (n < 10 ? "00" : n < 100 ? "0" : "") + String(n)
    }
}
