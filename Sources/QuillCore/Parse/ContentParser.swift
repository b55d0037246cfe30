import Foundation
import QuillMarkdown

/// Source files of `content/` → posts and pages: front matter read, dates in the site's zone, Markdown rendered.
/// Every problem of a file is reported, not just the first.
struct ContentParser: Sendable {
    let config: SiteConfig
    let markdown: MarkdownRenderer
    /// Problems that do not stop the file from being built (a code block shown unhighlighted).
    let warnings = Warnings()
    /// Gives a link of the body another URL (see `SourceLinks`); nil leaves every link as written.
    nonisolated(unsafe) var rewriteLink: ((String) -> String?)? = nil
    /// False parses the front matter alone, for what a post's URL needs (`Node.SourceURL`); the body is left empty.
    var rendersBody = true

    init(config: SiteConfig) {
        self.config = config
        markdown = MarkdownRenderer(highlight: config.highlight)
    }

    static let knownKeys: Set<String> = [
        "title", "date", "updated", "lastmod", "author", "tags", "draft", "slug", "summary", "description", "weight",
        "categories", "category", "permalink", "aliases", "excerpt_separator",
    ]

    /// Every key Quill reads from front matter (the rest are free-form `params`).
    static let fieldKeys = knownKeys.union(["image", "image_alt", "search", "toc", "id"])

    /// The known key that the unknown `key` is most likely a misspelling of (`titel` → `title`, `tag` → `tags`).
    static func misspelt(_ key: String) -> String? {
        guard !fieldKeys.contains(key) else { return nil }
        return Suggestion.closest(to: key, among: fieldKeys.sorted())
    }

    /// The fields posts and pages share.
    private struct Common {
        var front: FrontMatter
        var title = ""
        var date: DateParts?
        var updated: DateParts?
        var isDraft = false
        var params: [String: MetadataValue] = [:]
    }

    private func readCommon(_ file: SourceFile, into diagnostics: inout [Diagnostic]) -> Common? {
        let front: FrontMatter
        do {
            front = try FrontMatter.parse(file.text, file: file.path)
        } catch {
            diagnostics.append(error)
            return nil
        }
        var common = Common(front: front)
        let fields = front.fields
        switch fields["title"] {
        case .none:
            if let typo = fields.keys.sorted().first(where: { Self.misspelt($0) == "title" }) {
                diagnostics.append(Diagnostic(
                    front.location(of: typo, in: file.path), "missing title: `\(typo)` is not `title`",
                    hint: "did you mean title? write `title` for the key"))
                break
            }
            diagnostics.append(Diagnostic(
                front.location(of: "title", in: file.path), "missing title",
                hint: front.syntax == .yaml ? "add `title: \"…\"` to the front matter" : "add `title = \"…\"`"))
        case .some(let value):
            guard let text = value.stringValue else {
                diagnostics.append(Self.notAScalar("title", value, front, file, hint: "write `title: \"…\"`"))
                break
            }
            let title = text.trimmingSpaces()
            if title.isEmpty {
                diagnostics.append(Diagnostic(
                    front.location(of: "title", in: file.path), "title is empty", hint: "give the post a title"))
            }
            common.title = title
        }
        common.date = readDate("date", front, file, &diagnostics)
        common.updated = readDate("updated", front, file, &diagnostics) ?? readDate("lastmod", front, file, &diagnostics)
        switch front.typed["draft"] {
        case .none: break
        case .bool(let flag)?: common.isDraft = flag
        case .some:
            diagnostics.append(Diagnostic(
                front.location(of: "draft", in: file.path), "`draft` must be true or false",
                hint: "write `draft: true` without quotes"))
        }
        for (key, value) in front.typed where !Self.knownKeys.contains(key) { common.params[key] = value }
        // A key one slip away from a known one is most likely that one misspelt: said, and kept as a param.
        let typos = front.typed.keys.sorted().compactMap { key -> Diagnostic? in
            guard let known = Self.misspelt(key), fields["title"] != nil || known != "title" else { return nil }
            return Diagnostic(front.location(of: key, in: file.path),
                              "`\(key)` is not a field Quill knows, so templates get it as `params.\(key)`",
                              hint: "did you mean \(known)?", severity: .warning)
        }
        if !typos.isEmpty { warnings.add(typos) }
        return common
    }

    private func readDate(_ key: String, _ front: FrontMatter, _ file: SourceFile, _ diagnostics: inout [Diagnostic])
        -> DateParts?
    {
        guard let value = front.fields[key] else { return nil }
        guard let text = value.stringValue else {
            diagnostics.append(Self.notAScalar(key, value, front, file, hint: DateParser.hint))
            return nil
        }
        switch DateParser.read(text, timeZone: config.timeZone) {
        case .success(let reading):
            return DateParts(reading.date, in: config.timeZone)
        case .failure(let problem):
            diagnostics.append(Diagnostic(
                front.location(of: key, in: file.path),
                "cannot read `\(key)` \"\(text)\" as a date: it \(DateParser.explanation(problem))",
                hint: DateParser.hint))
            return nil
        }
    }

    /// Parses a file of `content/posts/`.
    func parsePost(_ file: SourceFile) -> Result<Post, BuildFailure> {
        var diagnostics = [Diagnostic]()
        guard let common = readCommon(file, into: &diagnostics) else { return .failure(BuildFailure(diagnostics)) }
        let front = common.front
        let name = Self.fileStem(file.path)
        let jekyll = Self.splitJekyllName(name)
        var date = common.date
        if date == nil, let prefix = jekyll.date, let parsed = DateParser.parse(prefix, timeZone: config.timeZone) {
            date = DateParts(parsed, in: config.timeZone)
        }
        if date == nil, front.fields["date"] == nil {
            diagnostics.append(Diagnostic(
                front.location(of: "date", in: file.path), "missing date",
                hint: "add `date: 2024-05-01 09:30` to the front matter, or name the file `2024-05-01-\(jekyll.slug).md`"))
        }
        var slug = Slug.make(jekyll.slug)
        if let value = front.fields["slug"] {
            slug = Slug.make(value.stringValue ?? "")
            if slug.isEmpty {
                diagnostics.append(Diagnostic(
                    front.location(of: "slug", in: file.path), "slug has no letters or digits",
                    hint: "use words, e.g. `slug: my-first-post`"))
            }
        } else if slug.isEmpty {
            slug = Slug.make(common.title)
        }
        let tags = readTags(front, file, &diagnostics)
        let categories = Self.words(front.fields["category"]) ?? Self.words(front.fields["categories"]) ?? []
        var authorName = config.author
        switch front.fields["author"] {
        case nil: break
        case .table(let table)? where Self.authorName(in: table) != nil:
            authorName = Self.authorName(in: table)!  // `author: {login: ann, email: …}`, as WordPress exports write it
        case let value? where value.stringValue == nil:
            diagnostics.append(Diagnostic(
                front.location(of: "author", in: file.path), "`author` must be a name, not \(value.kind)",
                hint: "write `author: Ann Author` (or `author: {name: Ann Author}`, `display_name` or `login`)"))
        case let value?: authorName = value.stringValue!
        }
        var permalink = config.permalink
        if let value = front.fields["permalink"], URLPath.climbs(value.stringValue ?? "") {
            diagnostics.append(Self.climbingPermalink(value.stringValue ?? "", front, file))
        } else if let value = front.fields["permalink"] {
            do {
                permalink = try Permalink(value.stringValue ?? "", requiresSlug: false)
            } catch {
                diagnostics.append(Diagnostic(
                    front.location(of: "permalink", in: file.path),
                    "unknown permalink token `:\(error.name)`", hint: Permalink.tokenHint))
            }
        }
        let aliases = readAliases(front, file, &diagnostics)
        guard diagnostics.isEmpty, let date else { return .failure(BuildFailure(diagnostics)) }

        let title = Permalink.prettySlug(front.fields["slug"]?.stringValue ?? jekyll.slug)
        let url = permalink.path(.init(date: date, slug: slug, title: title, categories: categories,
                                       name: Slug.make(Self.fileStem(file.path))))
        let (body, description) = renderBody(front, file: file, url: url)
        let authorSlug = Slug.make(authorName)
        var post = Post(
            source: file.path, title: common.title, date: date, updated: common.updated,
            author: Author(name: authorName, slug: authorSlug.isEmpty ? "anonymous" : authorSlug), tags: tags,
            isDraft: common.isDraft, slug: slug, url: url, description: description, params: common.params,
            body: body)
        post.categories = categories
        post.aliases = aliases
        return .success(post)
    }

    /// Parses a standalone page; its URL follows its path under `content/`.
    func parsePage(_ file: SourceFile) -> Result<Page, BuildFailure> {
        var diagnostics = [Diagnostic]()
        guard let common = readCommon(file, into: &diagnostics) else { return .failure(BuildFailure(diagnostics)) }
        let front = common.front
        var weight = 0
        if let value = front.typed["weight"] {
            guard case .int(let w) = value else {
                diagnostics.append(Diagnostic(
                    front.location(of: "weight", in: file.path), "`weight` must be a whole number",
                    hint: "write `weight: 1`"))
                return .failure(BuildFailure(diagnostics))
            }
            weight = w
        }
        let aliases = readAliases(front, file, &diagnostics)
        guard diagnostics.isEmpty else { return .failure(BuildFailure(diagnostics)) }
        var components = file.path.split(separator: "/").dropFirst().map(String.init)  // drop "content"
        let last = Self.fileStem(components.removeLast())
        if last != "index" && last != "_index" { components.append(last) }
        if let slug = front.fields["slug"]?.stringValue, !Slug.make(slug).isEmpty {
            if !components.isEmpty { components.removeLast() }
            components.append(Slug.make(slug))
        }
        var url = URLPath("/" + components.map { Slug.make($0) }.joined(separator: "/") + "/")
        if let permalink = front.fields["permalink"]?.stringValue, !permalink.isEmpty {
            guard !URLPath.climbs(permalink) else {
                diagnostics.append(Self.climbingPermalink(permalink, front, file))
                return .failure(BuildFailure(diagnostics))
            }
            url = Permalink.literalPath(permalink)  // a page's own URL, as an imported site had it
        }
        let (body, description) = renderBody(front, file: file, url: url)
        return .success(Page(
            source: file.path, title: common.title, url: url, aliases: aliases, weight: weight,
            isDraft: common.isDraft, date: common.date, updated: common.updated, description: description,
            params: common.params, body: body))
    }

    /// Renders the body as its extension says (`.html` as it is, else Markdown), the summary ending at the post's
    /// or the site's `excerpt_separator` when it has one, else at `<!--more-->` or `<!--break-->`.
    private func renderBody(_ front: FrontMatter, file: SourceFile, url: URLPath) -> (RenderedMarkdown, String) {
        guard rendersBody else { return (.empty, "") }
        let text = String(front.body)
        let pageURL = config.absoluteURL(for: url)
        func render(_ text: String) -> RenderedMarkdown {
            file.path.hasSuffix(".html") ? markdown.renderHTML(text, pageURL: pageURL)
                : markdown.render(text, pageURL: pageURL, rewriteLink: rewriteLink)
        }
        var body = render(text)
        warnings.add(body.warnings.map {
            Diagnostic(SourceLocation(file: file.path, line: front.bodyLine + $0.line - 1, column: 1), $0.message,
                       hint: "report it with the block's code; the page is built with the code unhighlighted",
                       severity: .warning)
        })
        body.warnings = []
        warnings.add(body.leftLiquid.map {
            Diagnostic(SourceLocation(file: file.path, line: front.bodyLine + $0.line - 1, column: $0.column),
                       "Liquid `\($0.text)` is left in the text; Quill does not run Liquid, so the page shows it as written",
                       hint: "write what it stood for in Markdown or HTML, or put it in `code` or a code block to show it "
                           + "as written", severity: .warning)
        })
        body.leftLiquid = []
        // As Jekyll: the post shows the separator as written; the summary is what stands before it.
        let separator = front.fields["excerpt_separator"]?.stringValue ?? config.excerptSeparator
        if !separator.isEmpty, let range = text.range(of: separator) {
            let before = render(text[..<range.lowerBound] + "\n\n<!--more-->\n")
            body.summaryHTML = before.summaryHTML
            body.absoluteSummaryHTML = before.absoluteSummaryHTML
            body.summaryText = before.summaryText
            body.hasSummaryBreak = true
            body.hasMore = true
        }
        if let summary = front.fields["summary"]?.stringValue, !summary.isEmpty {
            let rendered = markdown.render(summary, pageURL: config.absoluteURL(for: url), rewriteLink: rewriteLink)
            body.summaryHTML = rendered.html
            body.absoluteSummaryHTML = rendered.absoluteHTML
            body.summaryText = rendered.summaryText
            body.hasMore = !body.html.isEmpty
        }
        let description = front.fields["description"]?.stringValue ?? Self.truncate(body.summaryText, to: 200)
        return (body, description)
    }

    /// A list as written, or one value (`tags: Server Side` is one tag; `quill import jekyll` turns Jekyll's
    /// space-separated strings into lists).
    static func words(_ value: MetadataValue?) -> [String]? {
        switch value {
        case .none: return nil
        case .array(let items)?: return items.compactMap(\.stringValue)
        case .some(let value): return value.stringValue.map { [$0] } ?? []
        }
    }

    /// `/old/` → `/old/`, `/old` → `/old/` (a folder), `/2010/01/old.html` → that file.
    static func aliasPath(_ text: String) -> URLPath {
        let last = text.split(separator: "/").last ?? ""
        return URLPath(text.hasSuffix("/") || last.contains(".") ? text : text + "/")
    }

    private func readAliases(_ front: FrontMatter, _ file: SourceFile, _ diagnostics: inout [Diagnostic])
        -> [URLPath]
    {
        guard let value = front.fields["aliases"] else { return [] }
        var aliases = [URLPath]()
        for text in Self.words(value) ?? [] {
            guard text.hasPrefix("/"), !text.contains(".."), !text.contains("?"), !text.contains("#") else {
                diagnostics.append(Diagnostic(
                    front.location(of: "aliases", in: file.path), "alias \"\(text)\" is not a path of this site",
                    hint: "write old URLs as paths from the site's root: `aliases: [/2010/01/old-name/]`"))
                continue
            }
            let path = Self.aliasPath(text)
            if !aliases.contains(path) { aliases.append(path) }
        }
        return aliases
    }

    private func readTags(_ front: FrontMatter, _ file: SourceFile, _ diagnostics: inout [Diagnostic]) -> [Tag] {
        let written: [MetadataValue]
        switch front.fields["tags"] {
        case .none: written = []
        case .array(let items)?: written = items
        case let value?: written = [value]  // one name; `tags: 5` is the tag "5"
        }
        if let wrong = written.first(where: { $0.stringValue == nil }) {
            diagnostics.append(Diagnostic(
                front.location(of: "tags", in: file.path), "`tags` must be a list of names, not hold \(wrong.kind)",
                hint: "write `tags: [travel, food]`"))
        }
        let names = written.compactMap(\.stringValue)
        var tags = [Tag]()
        for name in names {
            let trimmed = name.trimmingSpaces()
            guard !trimmed.isEmpty else { continue }
            let slug = Slug.make(trimmed)
            guard !slug.isEmpty else {
                diagnostics.append(Diagnostic(
                    front.location(of: "tags", in: file.path), "tag \"\(trimmed)\" has no letters or digits",
                    hint: "tags name their page (/tags/<name>/), so they need at least one letter or digit"))
                continue
            }
            if !tags.contains(where: { $0.slug == slug }) { tags.append(Tag(name: trimmed, slug: slug)) }
        }
        return tags
    }

    /// The name in an author written as a table: `name`, else `display_name`, else `login` (jekyll-import's
    /// WordPress exports write `login`, `email`, `display_name`…).
    static func authorName(in table: [String: MetadataValue]) -> String? {
        for key in ["name", "display_name", "login"] {
            if let name = table[key]?.stringValue, !name.trimmingSpaces().isEmpty { return name }
        }
        return nil
    }

    /// The error for a permalink with a `..` component, which would lead out of the output folder.
    private static func climbingPermalink(_ text: String, _ front: FrontMatter, _ file: SourceFile) -> Diagnostic {
        Diagnostic(front.location(of: "permalink", in: file.path),
                   "permalink \"\(text)\" climbs out of the site with `..`",
                   hint: "write the URL from the site's root, e.g. `permalink: /about/`")
    }

    /// The error for a field that must be a single value but is a list or a table.
    private static func notAScalar(_ key: String, _ value: MetadataValue, _ front: FrontMatter, _ file: SourceFile,
                                   hint: String) -> Diagnostic {
        Diagnostic(front.location(of: key, in: file.path),
                   "`\(key)` must be \(key == "title" ? "text" : "one date"), not \(value.kind)", hint: hint)
    }

    static func fileStem(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? "")
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        if name == "index", let parent = path.split(separator: "/").dropLast().last { return String(parent) }
        return name
    }

    /// `2010-01-30-mourning-sun` → (date "2010-01-30", slug "mourning-sun").
    static func splitJekyllName(_ name: String) -> (date: String?, slug: String) {
        let chars = Array(name)
        guard chars.count >= 11, chars[4] == "-", chars[7] == "-", chars[10] == "-",
              chars[0..<4].allSatisfy(\.isASCIIDigit), chars[5..<7].allSatisfy(\.isASCIIDigit),
              chars[8..<10].allSatisfy(\.isASCIIDigit)
        else { return (nil, name) }
        return (String(chars[0..<10]), String(chars[11...]))
    }

    private static let punctuation = CharacterSet.punctuationCharacters.union(.whitespaces)

    static func truncate(_ text: String, to limit: Int) -> String {
        guard let limitIndex = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
              limitIndex < text.endIndex else { return text }
        let cut = text[..<limitIndex]
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return cut[..<end].trimming({ $0 == " " || $0 == "\t" || punctuation.contains($0) }, others: punctuation) + "…"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
