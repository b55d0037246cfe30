import Foundation
import QuillMarkdown
import Yams

/// A Jekyll site → a Quill site, in memory: `site.toml` from `_config.yml`, posts, drafts and pages with their
/// front matter kept, Liquid converted, static files copied, and every old URL kept (or redirected).
///
/// ```swift
/// let source = try JekyllSiteReader.read(URL(fileURLWithPath: "old-blog"))
/// let result = JekyllImporter().convert(source)
/// try ImportWriter.write(result, to: URL(fileURLWithPath: "new-blog"), force: false)
/// print(result.report)
/// ```
public struct JekyllImporter: Sendable {
    /// A new permalink pattern for posts; each post whose URL changes gets a redirect from its old one.
    public var newPermalink: String?
    /// Each post's categories are added to its tags (once each), so that a blog grouped by categories only
    /// (WordPress's) gets tag pages.
    public var categoriesAsTags: Bool

    public init(newPermalink: String? = nil, categoriesAsTags: Bool = false) {
        self.newPermalink = newPermalink
        self.categoriesAsTags = categoriesAsTags
    }

    /// The files of the new site (site-relative path → bytes) and the report.
    public struct Result: Sendable {
        public var files: [String: Data]
        public var report: ImportReport
    }

    static let markdownExtensions: Set<String> = [".md", ".markdown", ".mkd", ".mkdn", ".mkdown"]
    static let ownOutputs = ["feed.xml": "Quill writes /feed.xml (RSS) and /atom.xml", "atom.xml": "Quill writes /atom.xml",
                             "sitemap.xml": "Quill writes /sitemap.xml", "robots.txt": "Quill writes /robots.txt"]
    static let excluded: Set<String> = ["Gemfile", "Gemfile.lock", "node_modules", "vendor", "README.md", "LICENSE"]

    /// One post, draft or page on its way.
    private struct Entry {
        var source: String
        var destination: String
        var kind: Kind
        var front: FrontMatter
        var text: String
        var additions: [(String, String)] = []
        var removals: Set<String> = []
        /// Keys whose value is written anew where the key stands (`date` in ISO 8601).
        var replacements: [String: String] = [:]
        var url = ""  // the Quill URL path, for links to it
        enum Kind { case post, draft, page }
    }

    public func convert(_ source: JekyllSource) -> Result {
        var report = ImportReport()
        let config = readConfig(source, &report)
        let setting = config["permalink"] as? String
        let jekyllPattern = JekyllRules.pattern(setting)
        let timeZone = (config["timezone"] as? String).flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let sitePattern = (try? Permalink(newPermalink ?? jekyllPattern)) ?? .default
        report.permalink = sitePattern.pattern
        var out = [String: Data]()
        var entries = [Entry]()
        var skippedFolders = [String: Int]()
        let excludes = Self.excluded.union((config["exclude"] as? [Any] ?? []).compactMap { $0 as? String })
        let defaults = JekyllDefaults(config, files: source.files.keys)
        func entry(_ path: String, _ kind: Entry.Kind) -> Entry? {
            self.entry(path, source, kind, defaults: defaults.values(for: path, type: kind == .page ? "pages" : "posts"),
                       &report)
        }

        for path in source.files.keys.sorted() {
            let parts = path.split(separator: "/").map(String.init)
            let name = parts.last ?? path
            let ext = name.lastIndex(of: ".").map { String(name[$0...]).lowercased() } ?? ""
            let isContent = Self.markdownExtensions.contains(ext) || ext == ".html" || ext == ".htm"
            let newExt = ext == ".htm" || ext == ".html" ? ".html" : ".md"
            let stem = ext.isEmpty ? name : String(name.dropLast(ext.count))
            if path == "_config.yml" { continue }
            if let i = parts.firstIndex(of: "_posts") {
                guard isContent, JekyllRules.postName(path) != nil, let entry = entry(path, .post)
                else { report.skipped.append("\(path): not a post (posts are named 2010-01-05-title.md)"); continue }
                var e = entry
                let under = parts[..<i] + parts[(i + 1)...].dropLast()
                e.destination = (["content", "posts"] + under + [stem + newExt]).joined(separator: "/")
                entries.append(e)
            } else if parts.first == "_drafts", isContent {
                guard var e = entry(path, .draft) else { continue }
                e.destination = "content/posts/drafts/" + parts.dropFirst().dropLast().map { $0 + "/" }.joined() + stem + newExt
                entries.append(e)
            } else if let hidden = parts.first(where: { $0.hasPrefix("_") || $0.hasPrefix(".") }) ?? parts.first(where: excludes.contains) {
                skippedFolders[parts[...parts.firstIndex(of: hidden)!].joined(separator: "/"), default: 0] += 1
            } else if Self.hasFrontMatter(source.files[path]!) {
                if let why = Self.ownOutputs[path] {
                    report.skipped.append("\(path): \(why)")
                } else if !isContent {
                    report.skipped.append("\(path): a Liquid template; Quill does not run Liquid")
                } else if parts.count == 1, stem == "index" {
                    report.skipped.append("\(path): the home page; Quill makes its own")
                } else if parts.count == 1, stem == "404" {
                    report.skipped.append("\(path): Quill makes its own 404.html")
                } else if var e = entry(path, .page) {
                    e.destination = (["content"] + parts.dropLast() + [stem + newExt]).joined(separator: "/")
                    entries.append(e)
                }
            } else {
                out["static/" + path] = source.files[path]
                report.staticFiles += 1
            }
        }
        for (folder, count) in skippedFolders.sorted(by: { $0.key < $1.key }) {
            report.skipped.append("\(folder)/ (\(count) \(count == 1 ? "file" : "files")): "
                + (folder == "_includes" ? "Jekyll's own folder; what posts and pages include of it is inlined"
                    : folder.hasPrefix("_") ? "Jekyll's own folder; Quill's templates are Mustache themes" : "excluded"))
        }

        // URLs first, so that links between posts can be converted.
        var urls = [String: String]()  // source path → Quill URL path
        for i in entries.indices {
            placeURL(&entries[i], pattern: sitePattern, setting: setting, jekyllPattern: jekyllPattern,
                     timeZone: timeZone, modified: source.modified[entries[i].source], &report)
            urls[entries[i].source] = entries[i].url
        }
        let liquid = LiquidConverter(
            siteURL: Self.trimmedURL(config["url"] as? String ?? ""), baseURL: Self.baseurl(config),
            postURL: { name in
                urls.first { key, _ in
                    guard let i = key.range(of: "_posts/") else { return false }
                    let rest = key[i.upperBound...]
                    return rest.hasPrefix(name + ".") || (rest.split(separator: "/").last ?? "").hasPrefix(name + ".")
                }?.value
            },
            linkURL: { urls[$0.hasPrefix("/") ? String($0.dropFirst()) : $0] },
            include: { name in
                source.files["_includes/" + name].map { SiteLoader.unixLineEndings(String(decoding: $0, as: UTF8.self)) }
            })
        for e in entries {
            switch e.kind {
            case .post: report.posts += 1
            case .draft: report.drafts += 1
            case .page: report.pages += 1
            }
            let header = Self.editedFrontMatter(e)
            let isHTML = e.destination.hasSuffix(".html")
            let firstLine = header.count(where: { $0 == "\n" }) + 1
            let converted = liquid.convert(String(e.front.body), firstLine: firstLine,
                                           isHTML: isHTML)
            report.liquid += converted.counts
            for left in converted.leftovers {
                report.leftForAuthor.append("\(e.destination):\(left.line): \(left.tag.prefix(80))")
            }
            var body = converted.text
            if !isHTML { body = KramdownFences.convert(body).text }
            if isHTML {
                let updated = LegacyHTML.update(body, firstLine: firstLine)
                body = updated.html
                report.centers += updated.centers
                for line in updated.imagesWithoutAlt {
                    report.leftForAuthor.append("\(e.destination):\(line): <img> without alt; "
                        + "add alt=\"what it shows\" (alt=\"\" if it is decoration)")
                }
            }
            out[e.destination] = Data((header + body).utf8)
        }
        let paginatePath = JekyllRules.paginatePath(config) { source.files[$0].map(Self.hasFrontMatter) ?? false }
        if let paginatePath, paginatePath != "/page/:num/" { report.paginationAliases = paginatePath }
        out["site.toml"] = Data(siteTOML(config, pattern: sitePattern, paginationAliases: report.paginationAliases).utf8)
        return Result(files: out, report: report)
    }

    // MARK: Posts and pages

    /// The post, draft or page at `path`, with the `defaults` its front matter lacks written at the end of it.
    private func entry(_ path: String, _ source: JekyllSource, _ kind: Entry.Kind, defaults: [String: Any],
                       _ report: inout ImportReport) -> Entry? {
        var text = SiteLoader.unixLineEndings(String(decoding: source.files[path]!, as: UTF8.self))
        do {
            if !text.hasPrefix("---") { text = "---\n---\n" + text }
            var front = try FrontMatter.parse(text, file: path)
            let missing = defaults.keys.filter { front.fields[$0] == nil }.sorted()
            if !missing.isEmpty {
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let added = try missing.map { try Yams.dump(object: [$0: defaults[$0]!], sortKeys: true) }.joined()
                lines.insert(Substring(added.dropLast()), at: front.bodyLine - 2)  // before the closing `---`
                text = lines.joined(separator: "\n")
                front = try FrontMatter.parse(text, file: path)
                report.defaultsApplied += 1
            }
            return Entry(source: path, destination: "", kind: kind, front: front, text: text)
        } catch let error as Diagnostic {
            report.leftForAuthor.append("\(path):\(error.location.line ?? 1): not imported: \(error.message)")
            return nil
        } catch {
            report.leftForAuthor.append("\(path):1: not imported: its defaults from _config.yml cannot be written (\(error))")
            return nil
        }
    }

    private func placeURL(_ e: inout Entry, pattern: Permalink, setting: String?, jekyllPattern: String,
                          timeZone: TimeZone, modified: Date?, _ report: inout ImportReport) {
        let fields = e.front.fields
        if fields["title"]?.stringValue == nil {
            let name = JekyllRules.postName(e.source)?.slug ?? ContentParser.fileStem(e.source)
            e.additions.append(("title", SiteScaffold.yamlString(JekyllRules.titleize(name))))
        }
        if case .bool(false)? = e.front.typed["published"] { e.additions.append(("draft", "true")) }  // `no` too
        if e.kind == .page {
            let jekyll = JekyllRules.pageURL(path: e.source, permalink: fields["permalink"]?.stringValue, siteSetting: setting)
            var components = e.destination.split(separator: "/").dropFirst().map(String.init)
            let last = ContentParser.fileStem(components.removeLast())
            if last != "index" { components.append(last) }
            let quill = URLPath("/" + components.map { Slug.make($0) }.joined(separator: "/") + "/")
            e.url = Permalink.literalPath(jekyll).value
            if quill.outputPath.value != JekyllRules.outputFile(jekyll) {
                e.removals.insert("permalink")
                e.additions.append(("permalink", SiteScaffold.yamlString(jekyll)))
                report.ownPermalinks += 1
            }
            return
        }
        // Posts and drafts.
        let name = JekyllRules.postName(e.source)
        var dateText = fields["date"]?.stringValue
        if dateText == nil, name == nil {
            let when = DateParts(modified ?? Date(timeIntervalSince1970: 0), in: timeZone)
            dateText = "\(when.isoDay) \(when.hour):\(when.minute):\(when.second)"
            e.additions.append(("date", dateText!))
        }
        let read = fields["date"]?.stringValue.map { readDate($0, &e, timeZone: timeZone, &report) }
            ?? dateText.flatMap { DateParser.parse($0, timeZone: timeZone) }  // the file's time, for a draft
        guard let parsed = read ?? name.flatMap({ DateParser.parse($0.date, timeZone: timeZone) }) else { return }
        if e.kind == .draft { e.additions.append(("draft", "true")) }
        let date = DateParts(parsed, in: timeZone)
        let fileSlug = name?.slug ?? ContentParser.fileStem(e.source)
        let slugText = fields["slug"]?.stringValue ?? fileSlug
        // Categories: the folders above `_posts`, then `category` or `categories` (a string is a list of words).
        var categories = e.source.split(separator: "/").prefix { $0 != "_posts" && $0 != "_drafts" }.map(String.init)
        let written = fields["category"] ?? fields["categories"]
        switch written {
        case .string(let s)?: categories += s.split(whereSeparator: \.isWhitespace).map(String.init)
        case .some(let v): categories += ContentParser.words(v) ?? []
        case .none: break
        }
        var unique = [String]()
        for c in categories where !unique.contains(c) { unique.append(c) }
        if !unique.isEmpty, unique != ContentParser.words(written) ?? [] {
            e.removals.formUnion(["category", "categories"])
            e.additions.append(("categories", "[" + unique.map(SiteScaffold.yamlString).joined(separator: ", ") + "]"))
        }
        // Tags: a space-separated string is a list of words; categories are added when asked for.
        var tags = ContentParser.words(fields["tags"]) ?? []
        var rewriteTags = false
        if case .string(let s)? = fields["tags"], s.contains(where: \.isWhitespace) {
            tags = s.split(whereSeparator: \.isWhitespace).map(String.init)
            rewriteTags = true
        }
        if categoriesAsTags {
            var slugs = Set(tags.map(Slug.make))
            for category in unique {
                let slug = Slug.make(category)
                guard !slug.isEmpty, slugs.insert(slug).inserted else { continue }  // tags need a letter or digit
                tags.append(category)
                rewriteTags = true
            }
            if rewriteTags { report.categoriesAsTags += 1 }
        }
        if rewriteTags {
            e.removals.insert("tags")
            e.additions.append(("tags", "[" + tags.map(SiteScaffold.yamlString).joined(separator: ", ") + "]"))
        }
        let own = fields["permalink"]?.stringValue
        let stem = ContentParser.fileStem(e.source)
        let jekyll = JekyllRules.postURL(pattern: own ?? jekyllPattern, date: date, slug: slugText, categories: unique,
                                         name: stem, source: e.source)
        var quillSlug = Slug.make(slugText)
        if quillSlug.isEmpty { quillSlug = Slug.make(fields["title"]?.stringValue ?? "") }
        let quillPattern = own.flatMap { try? Permalink($0, requiresSlug: false) } ?? pattern
        let quill = quillPattern.path(.init(date: date, slug: quillSlug, title: Permalink.prettySlug(slugText),
                                            categories: unique, name: Slug.make(stem)))
        e.url = quill.value
        guard quill.outputPath.value != JekyllRules.outputFile(jekyll) else { return }
        if newPermalink != nil && own == nil {
            e.additions.append(("aliases", "[" + SiteScaffold.yamlString(OutputPath(JekyllRules.outputFile(jekyll)).urlPath.value) + "]"))
            report.redirects += 1
        } else {
            e.removals.insert("permalink")
            e.additions.append(("permalink", SiteScaffold.yamlString(jekyll)))
            e.url = Permalink.literalPath(jekyll).value
            report.ownPermalinks += 1
        }
    }

    /// The post's `date` as Jekyll reads it (Ruby's `Time.parse`: a day past its month's end rolls over), written
    /// back as ISO 8601 with its offset when it was in another form, and the rewrite reported; an unreadable date
    /// is left for the author.
    private func readDate(_ written: String, _ e: inout Entry, timeZone: TimeZone, _ report: inout ImportReport) -> Date? {
        // YAML types an unquoted `2010-01-30 03:00:00` as a time, and one without a zone is UTC: Jekyll publishes it
        // at that instant (in a Los Angeles site, on January 29), not at 03:00 in the site's zone. Quoted, it is
        // text, which `Time.parse` reads in the site's zone.
        let yamlTime = Self.isZonelessYAMLTime(e.text, line: e.front.keyLines["date"])
        switch DateParser.read(written, timeZone: yamlTime ? TimeZone(identifier: "UTC")! : timeZone, rollsOver: true) {
        case .success(let reading):
            let text = written.trimmingSpaces()
            if !DateParser.isNormalized(text) {
                let normal = DateParser.normalized(reading, timeZone: timeZone)
                e.replacements["date"] = normal
                report.dateRewrites.append("\(e.destination): \(text) → \(normal)"
                    + (yamlTime ? " (YAML reads a time without a zone as UTC, and so did Jekyll)" : ""))
            }
            return reading.date
        case .failure(let problem):
            report.leftForAuthor.append("\(e.destination):\(e.front.keyLines["date"] ?? 1): Quill cannot read `date` "
                + "\"\(written)\": it \(DateParser.explanation(problem)); write it as 2010-01-05T10:00:00-08:00")
            return nil
        }
    }

    /// Whether line `line` (1-based) of `text` is a top-level key whose value is a plain (unquoted) YAML 1.1
    /// timestamp with a time and no zone (`date: 2010-01-30 03:00:00`), which YAML, and so Jekyll, reads as UTC.
    static func isZonelessYAMLTime(_ text: String, line: Int?) -> Bool {
        guard let line, line >= 1 else { return false }
        guard let source = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(line - 1).first,
              let colon = source.firstIndex(of: ":") else { return false }
        var value = source[source.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if let comment = value.range(of: " #") { value = String(value[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
        // Psych's timestamp, with a time, without `Z` or an offset.
        return value.wholeMatch(of: /\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?/) != nil
    }

    /// The front matter as written, less the keys removed, with the values replaced, plus the keys added, between
    /// `---` lines.
    private static func editedFrontMatter(_ e: Entry) -> String {
        let lines = e.text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept = [Substring]()
        var dropping = false
        for line in lines[1..<max(1, e.front.bodyLine - 2)] {
            let isTop = !(line.first?.isWhitespace ?? true) && !line.hasPrefix("-") && !line.hasPrefix("#")
            if isTop {
                let key = line.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
                dropping = e.removals.contains(key)
                if let value = e.replacements[key] {
                    kept.append(Substring("\(key): \(value)"))
                    dropping = true  // and the old value's lines
                }
            }
            if !dropping { kept.append(line) }
        }
        var header = "---\n" + kept.map { $0 + "\n" }.joined()
        for (key, value) in e.additions { header += "\(key): \(value)\n" }
        return header + "---\n"
    }

    static func hasFrontMatter(_ data: Data) -> Bool {
        data.starts(with: Array("---\n".utf8)) || data.starts(with: Array("---\r\n".utf8))
    }

    // MARK: Settings

    private func readConfig(_ source: JekyllSource, _ report: inout ImportReport) -> [String: Any] {
        guard let data = source.files["_config.yml"] else {
            report.leftForAuthor.append("site.toml:1: no _config.yml; set title and base_url")
            return [:]
        }
        do {
            // Base-60 integers too big for `Int` are kept as text: Yams's own reading of them traps.
            var scalars = Constructor.defaultScalarMap
            scalars[.int] = { scalar -> Any? in
                FrontMatter.sexagesimalIntOverflows(scalar.string) ? scalar.string : Int.construct(from: scalar)
            }
            return try Yams.load(yaml: String(decoding: data, as: UTF8.self), .default, Constructor(scalars))
                as? [String: Any] ?? [:]
        } catch {
            report.leftForAuthor.append("_config.yml:1: not read (\(error)); set site.toml by hand")
            return [:]
        }
    }

    static func trimmedURL(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// `baseurl` as Jekyll uses it: `/blog`, or empty.
    static func baseurl(_ config: [String: Any]) -> String {
        let value = trimmedURL(config["baseurl"] as? String ?? "")
        return value.isEmpty || value.hasPrefix("/") ? value : "/" + value
    }

    private func siteTOML(_ config: [String: Any], pattern: Permalink, paginationAliases: String?) -> String {
        func q(_ s: String) -> String {
            SiteScaffold.yamlString(s).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        }
        var url = Self.trimmedURL(config["url"] as? String ?? "")
        if url.isEmpty { url = "https://example.org" }
        var toml = "title = \(q(config["title"] as? String ?? "My blog"))\n"
        if let d = config["description"] as? String { toml += "description = \(q(d.trimmingCharacters(in: .whitespacesAndNewlines)))\n" }
        toml += "base_url = \(q(url + Self.baseurl(config) + "/"))\n"
        if let lang = config["lang"] as? String { toml += "language = \(q(lang))\n" }
        let author = config["author"] as? String ?? (config["author"] as? [String: Any])?["name"] as? String
        if let author { toml += "author = \(q(author))\n" }
        if let zone = config["timezone"] as? String, TimeZone(identifier: zone) != nil { toml += "time_zone = \(q(zone))\n" }
        if let perPage = config["paginate"] as? Int, perPage > 0 { toml += "posts_per_page = \(perPage)\n" }
        toml += "permalink = \(q(pattern.pattern))\n"
        if let separator = config["excerpt_separator"] as? String, separator != "<!--more-->", separator != "\n\n" {
            toml += "excerpt_separator = \(q(separator))\n"
        }
        if let paginationAliases { toml += "\n[pagination]\naliases = \(q(paginationAliases))\n" }
        return toml
    }
}

/// A Jekyll site read into memory: every file's bytes and modification time (drafts without a date take it).
public struct JekyllSource: Sendable {
    public var files: [String: Data]
    public var modified: [String: Date]

    public init(files: [String: Data], modified: [String: Date] = [:]) {
        self.files = files
        self.modified = modified
    }
}
