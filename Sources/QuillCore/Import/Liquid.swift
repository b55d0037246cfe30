import Foundation
import QuillMarkdown

/// The Liquid that real Jekyll posts carry, turned into what it produced: code blocks, raw text and URLs. Anything
/// else is left in place and listed with its line, for the author.
struct LiquidConverter {
    /// `_config.yml`'s `url` (no trailing `/`) and `baseurl` (`/blog` or empty).
    var siteURL: String
    var baseURL: String
    /// `post_url` argument (`2010-01-05-foo`, `sub/2010-01-05-foo`) → the post's URL path.
    var postURL: (String) -> String?
    /// `link` argument (`_posts/2010-01-05-foo.md`, `about.md`) → the URL path of that file.
    var linkURL: (String) -> String?
    /// `include` argument (`note.html`, `boxes/tip.md`) → the text of that file of `_includes/`.
    var include: (String) -> String? = { _ in nil }

    /// How deep includes may include others (Jekyll has no limit; a loop would never end).
    static let includeDepth = 4

    /// What one file's conversion did.
    struct Result: Equatable {
        var text: String
        var counts = ImportReport.LiquidCounts()
        /// (line, tag as written) of what was left.
        var leftovers: [(line: Int, tag: String)] = []

        static func == (a: Self, b: Self) -> Bool {
            a.text == b.text && a.counts == b.counts && a.leftovers.map(\.line) == b.leftovers.map(\.line)
                && a.leftovers.map(\.tag) == b.leftovers.map(\.tag)
        }
    }

    private static let tag = try! NSRegularExpression(pattern: #"\{%-?\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}"#,
                                                      options: [.dotMatchesLineSeparators])

    /// Converts `text`, which will be written from line `firstLine` of its new file (lines of what is left are
    /// lines of the converted file); `isHTML` for `.html` bodies. What is left is marked where it stands (an HTML
    /// comment and a visible note), except in code and inside a tag or link, where a note cannot stand.
    /// `depth` counts the includes this text is inside of.
    func convert(_ text: String, firstLine: Int, isHTML: Bool, depth: Int = 0) -> Result {
        var result = Result(text: "")
        let ns = text as NSString
        var out = ""
        var counted = 0  // UTF-8 bytes of `out` whose newlines are in `lineOfOut`
        var lineOfOut = firstLine
        func currentLine() -> Int {
            lineOfOut += out.utf8.dropFirst(counted).reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            counted = out.utf8.count
            return lineOfOut
        }
        var cursor = 0
        while let m = Self.tag.firstMatch(in: text, range: NSRange(location: cursor, length: ns.length - cursor)) {
            out += ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
            let whole = ns.substring(with: m.range)
            let isBlock = m.range(at: 1).location != NSNotFound
            let inner = ns.substring(with: isBlock ? m.range(at: 1) : m.range(at: 2))
            let words = inner.split(whereSeparator: \.isWhitespace).map(String.init)
            cursor = m.range.location + m.range.length
            let tagLine = currentLine()
            if isBlock, let name = words.first, name == "raw" || name == "highlight" {
                let end = "end" + name
                let closing = try! NSRegularExpression(pattern: #"\{%-?\s*"# + end + #"\s*-?%\}"#)
                guard let close = closing.firstMatch(in: text, range: NSRange(location: cursor, length: ns.length - cursor))
                else {
                    out += Self.marked(whole, isHTML: isHTML, after: out)
                    result.leftovers.append((tagLine, whole))
                    continue
                }
                let body = ns.substring(with: NSRange(location: cursor, length: close.range.location - cursor))
                cursor = close.range.location + close.range.length
                if name == "raw" {
                    out += Self.shownAsWritten(body, isHTML: isHTML, after: out)
                    result.counts.raw += 1
                } else {
                    out += codeBlock(body, language: words.count > 1 ? words[1] : "",
                                     attributes: Self.fenceAttributes(inner), isHTML: isHTML, after: out)
                    result.counts.highlight += 1
                }
                continue
            }
            if isBlock, words.first == "include", depth < Self.includeDepth,
               let included = inlined(inner, isHTML: isHTML, line: tagLine, depth: depth, after: out,
                                      rest: ns.substring(from: cursor)) {
                out += included.text
                result.counts += included.counts
                result.counts.include += 1
                result.leftovers += included.leftovers
            } else if let replacement = replacement(isBlock: isBlock, words: words, inner: inner, counts: &result.counts) {
                out += replacement
            } else {
                out += Self.marked(whole, isHTML: isHTML, after: out)
                result.leftovers.append((tagLine, whole))
            }
        }
        out += ns.substring(from: cursor)
        result.text = out
        return result
    }

    // MARK: Includes

    private static let parameter = try! NSRegularExpression(
        pattern: #"([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))"#)
    private static let includeVariable = try! NSRegularExpression(pattern: #"\{\{-?\s*include\.([\w-]+)\s*-?\}\}"#)

    /// `{% include note.html title="Hi" %}` as the text of `_includes/note.html`, its `{{ include.title }}` given
    /// (a parameter given a variable, `body=page.x`, is left for the author) and its own Liquid converted. HTML put
    /// where the tag stands alone on its line becomes an HTML block (blank lines around it and none inside); put
    /// within a line, it stays inline. Nil when the file is not in `_includes/`.
    private func inlined(_ inner: String, isHTML: Bool, line: Int, depth: Int, after out: String, rest: String)
        -> Result?
    {
        let words = inner.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, !words[1].contains("{{"), var body = include(String(words[1])) else { return nil }
        let name = String(words[1])
        let arguments = String(inner.drop(while: { !$0.isWhitespace }).drop(while: \.isWhitespace).dropFirst(name.count))
        var literals = [String: String]()
        var variables = Set<String>()
        let ns = arguments as NSString
        for m in Self.parameter.matches(in: arguments, range: NSRange(location: 0, length: ns.length)) {
            let key = ns.substring(with: m.range(at: 1))
            if let i = [2, 3].first(where: { m.range(at: $0).location != NSNotFound }) {
                literals[key] = ns.substring(with: m.range(at: i))
            } else {
                variables.insert(key)
            }
        }
        // `{{ include.x }}`: the literal given, nothing when not given (as Liquid shows nil), left when a variable.
        let bodyNS = body as NSString
        var substituted = ""
        var last = 0
        for m in Self.includeVariable.matches(in: body, range: NSRange(location: 0, length: bodyNS.length)) {
            let key = bodyNS.substring(with: m.range(at: 1))
            substituted += bodyNS.substring(with: NSRange(location: last, length: m.range.location - last))
            substituted += variables.contains(key) ? bodyNS.substring(with: m.range) : literals[key] ?? ""
            last = m.range.location + m.range.length
        }
        body = substituted + bodyNS.substring(from: last)
        let isMarkdown = JekyllImporter.markdownExtensions.contains(
            name.lastIndex(of: ".").map { String(name[$0...]).lowercased() } ?? "")
        var converted = convert(body, firstLine: line, isHTML: isHTML || !isMarkdown, depth: depth + 1)
        converted.leftovers = converted.leftovers.map { (line, $0.tag) }  // at the include, in the post
        var text = converted.text.trimmingCharacters(in: .newlines)
        let alone = (out.isEmpty || out.hasSuffix("\n")) && (rest.prefix { $0 != "\n" }.allSatisfy(\.isWhitespace))
        if !isHTML && !isMarkdown {
            // Lines of an HTML block run to the first blank line; one inside would end it and make Markdown of the rest.
            text = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.allSatisfy(\.isWhitespace) }.joined(separator: "\n")
            if alone {
                let lead = out.isEmpty || out.hasSuffix("\n\n") ? "" : "\n"
                text = lead + text.drop(while: { $0 == " " || $0 == "\t" }) + "\n"
            } else if Self.startsWithBlockElement(text) {
                // `<aside>` inside a paragraph is not valid HTML: the paragraph is split around it.
                text = "\n\n" + text.drop(while: { $0 == " " || $0 == "\t" }) + "\n\n"
            }
        }
        converted.text = text
        return converted
    }

    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl", "fieldset",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
        "section", "table", "ul",
    ]

    /// Whether `html` starts with an element that cannot stand inside a paragraph.
    static func startsWithBlockElement(_ html: String) -> Bool {
        let trimmed = html.drop(while: \.isWhitespace)
        guard trimmed.first == "<" else { return false }
        let name = trimmed.dropFirst().prefix { $0.isLetter || $0.isNumber }.lowercased()
        return blockElements.contains(name)
    }

    // MARK: What is left

    /// A tag Quill cannot convert, as the author will see it: an HTML comment saying so and the tag in a visible
    /// `<mark>` (the build then warns of it too). In code, inside a tag or a link's URL, where a note cannot stand,
    /// it is left as written (and listed in the report all the same).
    static func marked(_ tag: String, isHTML: Bool, after out: String) -> String {
        let lastOpen = out.lastIndex(of: "<"), lastClose = out.lastIndex(of: ">")
        let insideTag = lastOpen != nil && (lastClose == nil || lastClose! < lastOpen!)
        let line = out[(out.lastIndex(of: "\n").map { out.index(after: $0) } ?? out.startIndex)...]
        let inCodeSpan = line.count(where: { $0 == "`" }) % 2 == 1
        let inURL = out.hasSuffix("(") || out.hasSuffix("=\"") || out.hasSuffix("='") || out.hasSuffix("=")
        if insideTag || inURL || (!isHTML && (inCodeSpan || isInFencedCode(out))) { return tag }
        let escaped = tag.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return "<!-- quill import: Jekyll Liquid left for you: \(escaped.replacingOccurrences(of: "--", with: "- -")) -->"
            + "<mark class=\"liquid-left\">Jekyll Liquid not converted: <code>\(escaped)</code></mark>"
    }

    /// The text of a `{% raw %}` block in Markdown text, its `{{` and `{%` written `&#123;{` and `&#123;%`: the page
    /// shows the same braces, and `quill build` does not take them for Liquid left behind. In code (where an entity
    /// would show as written) and in HTML posts (which are not checked) it stays as it is.
    static func shownAsWritten(_ body: String, isHTML: Bool, after out: String) -> String {
        let line = out[(out.lastIndex(of: "\n").map { out.index(after: $0) } ?? out.startIndex)...]
        guard !isHTML, line.count(where: { $0 == "`" }) % 2 == 0, !isInFencedCode(out), !body.contains("`") else {
            return body
        }
        return body.replacingOccurrences(of: "{{", with: "&#123;{").replacingOccurrences(of: "{%", with: "&#123;%")
    }

    /// Whether the end of `out` is inside a fenced code block (an odd number of fence lines so far).
    private static func isInFencedCode(_ out: String) -> Bool {
        guard out.contains("```") || out.contains("~~~") else { return false }
        var fences = 0
        for line in out.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fences += 1 }
        }
        return fences % 2 == 1
    }

    private func replacement(isBlock: Bool, words: [String], inner: String,
                             counts: inout ImportReport.LiquidCounts) -> String? {
        if isBlock {
            guard words.count == 2 else { return nil }
            switch words[0] {
            case "post_url":
                guard let url = postURL(words[1]) else { return nil }
                counts.postURL += 1
                return url
            case "link":
                guard let url = linkURL(words[1]) else { return nil }
                counts.link += 1
                return baseURL + url
            default: return nil
            }
        }
        let compact = inner.filter { !$0.isWhitespace }
        switch compact {
        case "site.url": counts.siteVariables += 1; return siteURL
        case "site.baseurl": counts.siteVariables += 1; return baseURL
        default: break
        }
        // `"/x.png" | relative_url` and `absolute_url`, with a literal string.
        let parts = inner.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let quote = parts[0].first, quote == "\"" || quote == "'", parts[0].last == quote,
              parts[0].count >= 2 else { return nil }
        var path = String(parts[0].dropFirst().dropLast())
        if !path.hasPrefix("/") && !path.isEmpty { path = "/" + path }
        switch parts[1] {
        case "relative_url": counts.siteVariables += 1; return baseURL + path
        case "absolute_url": counts.siteVariables += 1; return siteURL + baseURL + path
        default: return nil
        }
    }

    /// The options of `{% highlight ruby linenos mark_lines="2 3" %}` as Hugo's fence attributes
    /// (`{linenos=true, hl_lines=[2, 3]}`), or "" when it has none Quill knows. Jekyll's `linenos`, `linenos=table`
    /// and `linenos=inline` number lines; `mark_lines` (Jekyll 4.2+) and `hl_lines` mark them.
    static func fenceAttributes(_ inner: String) -> String {
        var attributes: [String] = []
        var rest = Substring(inner)
        for _ in 0..<2 {  // "highlight" and the language
            rest = rest.drop(while: \.isWhitespace).drop(while: { !$0.isWhitespace })
        }
        for option in rest.matches(of: /([a-z_]+)(?:=("[^"]*"|'[^']*'|\S+))?/) {
            let value = option.2.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
            switch option.1 {
            case "linenos":
                if value != "false" { attributes.append("linenos=true") }
            case "mark_lines", "hl_lines":
                let lines = FenceLines.parse(value ?? "")
                if !lines.isEmpty { attributes.append("hl_lines=[" + lines.joined(separator: ", ") + "]") }
            default:
                break
            }
        }
        return attributes.isEmpty ? "" : " {" + attributes.joined(separator: ", ") + "}"
    }

    /// A fenced block (or `<pre><code>` in HTML) on lines of its own.
    private func codeBlock(_ body: String, language: String, attributes: String = "", isHTML: Bool,
                           after out: String) -> String {
        var code = body
        while code.hasPrefix("\n") { code.removeFirst() }
        while code.hasSuffix("\n") || code.hasSuffix(" ") { code.removeLast() }
        if isHTML {
            // Numbered or marked lines as Quill's Markdown code blocks have them (the theme numbers `data-line`).
            if !attributes.isEmpty { return MarkdownRenderer.plainCodeBlock(code, info: language + attributes) }
            let escaped = code.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            let cls = language.isEmpty ? "" : " class=\"language-\(language)\""
            return "<pre><code\(cls)>\(escaped)</code></pre>"
        }
        var fence = "```"
        while code.contains(fence) { fence += "`" }
        let lead = out.isEmpty || out.hasSuffix("\n") ? "" : "\n"
        return lead + fence + language + attributes + "\n" + code + "\n" + fence
    }
}

/// `"2 4-6"` → `["2", "\"4-6\""]`: line numbers and ranges as a fence attribute's list.
enum FenceLines {
    static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { token in
            if Int(token) != nil { return String(token) }
            let parts = token.split(separator: "-")
            guard parts.count == 2, Int(parts[0]) != nil, Int(parts[1]) != nil else { return nil }
            return "\"\(token)\""
        }
    }
}

/// kramdown's fences, in the forms cmark-gfm does not read as a language: a block with no language followed by an
/// attribute list (`{: .language-ruby}` or `{:.ruby}`) gets the language on its opening fence. (`~~~ ruby` and
/// ```` ```ruby ```` are fences with a language as they are.)
enum KramdownFences {
    static func convert(_ text: String) -> (text: String, converted: Int) {
        guard text.contains("{:") else { return (text, 0) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var converted = 0
        var open: (index: Int, fence: String)?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let current = open {
                if trimmed.hasPrefix(current.fence), trimmed.allSatisfy({ $0 == current.fence.first }) {
                    open = nil
                    if index + 1 < lines.count, let language = language(ofAttributeList: lines[index + 1]) {
                        lines[current.index] += language
                        lines.remove(at: index + 1)
                        converted += 1
                    }
                }
            } else if let fence = ["```", "~~~"].first(where: { trimmed.hasPrefix($0) }) {
                let run = String(trimmed.prefix { $0 == fence.first })
                let info = trimmed.dropFirst(run.count).trimmingCharacters(in: .whitespaces)
                open = info.isEmpty ? (index, run) : nil
                if !info.isEmpty {  // a fence with a language: skip to its end
                    var end = index + 1
                    while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix(run) { end += 1 }
                    index = end
                }
            }
            index += 1
        }
        return (lines.joined(separator: "\n"), converted)
    }

    /// `{: .language-ruby}`, `{:.ruby}` or `{: .highlight .language-ruby}` → "ruby".
    static func language(ofAttributeList line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{:"), trimmed.hasSuffix("}") else { return nil }
        let classes = trimmed.dropFirst(2).dropLast().split(separator: " ").filter { $0.hasPrefix(".") }
            .map { $0.dropFirst() }
        if let language = classes.first(where: { $0.hasPrefix("language-") }) {
            return String(language.dropFirst("language-".count))
        }
        return classes.first(where: { $0 != "highlight" }).map(String.init)
    }
}
