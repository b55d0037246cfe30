import Foundation

/// Jekyll 4's URL rules, to know every URL an imported site had (`jekyll/url.rb`, `drops/url_drop.rb`, `page.rb`).
enum JekyllRules {
    /// Jekyll's named permalink styles.
    static let styles = [
        "none": "/:categories/:title:output_ext",
        "date": "/:categories/:year/:month/:day/:title:output_ext",
        "ordinal": "/:categories/:year/:y_day/:title:output_ext",
        "pretty": "/:categories/:year/:month/:day/:title/",
    ]

    /// The pattern of a `permalink` setting: a style name or a pattern (default `date`).
    static func pattern(_ setting: String?) -> String {
        let setting = setting ?? "date"
        return styles[setting] ?? setting
    }

    /// `2010-01-05-hello-world.md` (in any folder) → date text, slug and extension; nil when the name has no date.
    static func postName(_ path: String) -> (date: String, slug: String, ext: String)? {
        let name = String(path.split(separator: "/").last ?? "")
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let stem = String(name[..<dot]), ext = String(name[dot...])
        let split = ContentParser.splitJekyllName(stem)
        guard let date = split.date else { return nil }
        var slug = split.slug
        while slug.hasSuffix(".") { slug.removeLast() }
        return (date, slug, ext)
    }

    /// Jekyll's default slug: runs of anything but letters, marks and digits become `-`, lowercased.
    static func slugify(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for ch in text {
            if ch.isLetter || ch.isNumber {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(ch)
            } else {
                pendingDash = true
            }
        }
        return out.lowercased()
    }

    /// `hello-world` → `Hello World`, Jekyll's title for posts without one.
    static func titleize(_ slug: String) -> String {
        slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// A post's URL by Jekyll's rules (`name` is the file name without extension, `source` the file's path from the
    /// site's root; tokens Jekyll lacks stay as written).
    static func postURL(pattern: String, date: DateParts, slug: String, categories: [String], name: String? = nil,
                        source: String = "") -> String {
        let fields = Permalink.Fields(date: date, slug: slug, title: Permalink.prettySlug(slug), categories: categories,
                                      name: name ?? slug)
        func placeholder(_ token: String) -> String? {
            switch token {
            case "collection": return "posts"  // drafts are posts too
            case "path": return cleanedPath(source)
            default: return Self.placeholder(token, fields)
            }
        }
        var out = ""
        var rest = Substring(pattern)
        while let colon = rest.firstIndex(of: ":") {
            out += rest[..<colon]
            let after = rest[rest.index(after: colon)...]
            let name = after.prefix { $0.isLetter || $0 == "_" }
            var known = String(name)
            var value: String?
            while !known.isEmpty {
                if let v = placeholder(known) { value = v; break }
                known.removeLast()
            }
            out += value ?? ":" + name
            rest = after.dropFirst(value == nil ? name.count : known.count)
        }
        out += rest
        return sanitize(out)
    }

    /// `:path` of a post (Jekyll's `cleaned_relative_path`): its path less the extension, the first `_posts`
    /// taken out, trailing dots dropped (`blog/_posts/2011-03-03-a.md` → `blog//2011-03-03-a`, one `/` in the URL).
    static func cleanedPath(_ source: String) -> String {
        var path = Substring(source)
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") { path = path[..<dot] }
        var text = String(path)
        if let posts = text.range(of: "_posts") { text.removeSubrange(posts) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Jekyll's value of a token: Quill's, but with Jekyll's slugs (accents kept, `C++` → `c`).
    private static func placeholder(_ token: String, _ f: Permalink.Fields) -> String? {
        switch token {
        case "slug": return slugify(f.slug)
        case "name": return slugify(f.name)
        case "slugified_categories":
            var seen = Set<String>()
            return f.categories.map(slugify).filter { seen.insert($0).inserted }.joined(separator: "/")
        default: return Permalink.value(of: Substring(token), f)
        }
    }

    /// A standalone page's URL: its own `permalink`, else `/:path/:basename` with the site style's ending.
    static func pageURL(path: String, permalink: String?, siteSetting: String?) -> String {
        if let permalink { return sanitize(permalink) }
        var parts = path.split(separator: "/").map(String.init)
        let name = parts.removeLast()
        let basename = name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name
        let dir = parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
        if basename == "index" { return sanitize(dir + "/") }
        let setting = siteSetting ?? "date"
        let suffix: String
        switch setting {
        case "pretty": suffix = "/"
        case "date", "ordinal", "none": suffix = ".html"
        default: suffix = setting.hasSuffix("/") ? "/" : setting.hasSuffix(":output_ext") ? ".html" : ""
        }
        return sanitize(dir + "/" + basename + suffix)
    }

    /// jekyll-paginate's `paginate_path` (default `/page:num/`, with a leading slash) when it pages the site: `paginate`
    /// is set and there is an `index.html` with front matter, the page it repeats, in that path's folder or above
    /// (`Pager.pagination_candidate?`). Page n ≥ 2 is written at the path with `:num` replaced by n.
    static func paginatePath(_ config: [String: Any], isPage: (String) -> Bool) -> String? {
        guard let perPage = config["paginate"] as? Int, perPage > 0 else { return nil }
        let path = sanitize(config["paginate_path"] as? String ?? "/page:num/")
        guard path.contains(":num") else { return nil }  // jekyll-paginate stops the build
        var folders = path.split(separator: "/").dropLast().map(String.init)
        while true {
            if isPage((folders + ["index.html"]).joined(separator: "/")) { return path }
            if folders.isEmpty { return nil }
            folders.removeLast()
        }
    }

    /// The file Jekyll writes for `url`: `/a/` → `a/index.html`, `/a` → `a.html`, `/a.html` → itself.
    static func outputFile(_ url: String) -> String { Permalink.literalPath(url).outputPath.value }

    static func sanitize(_ url: String) -> String {
        var s = ("/" + url).replacingOccurrences(of: "..", with: "/").replacingOccurrences(of: "./", with: "")
        while s.contains("//") { s = s.replacingOccurrences(of: "//", with: "/") }
        return s
    }
}
