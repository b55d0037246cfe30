import CCmarkGFM
import Foundation
import QuillHighlight

/// How code blocks are highlighted: `[highlight]` in site.toml.
///
/// ```toml
/// [highlight]
/// enabled = true       # highlight fenced code with a language at build time
/// line_numbers = false # number the lines of every highlighted block (a block's `{linenos=false}` turns it off)
/// tab_width = 4        # columns per tab, as CSS `tab-size` (the text keeps its tabs)
/// ```
public struct HighlightSettings: Sendable, Hashable {
    public var enabled: Bool
    public var lineNumbers: Bool
    public var tabWidth: Int

    /// The default theme's stylesheet sets `tab-size: 4`; other widths are written on the block.
    public static let defaultTabWidth = 4

    public init(enabled: Bool = true, lineNumbers: Bool = false, tabWidth: Int = HighlightSettings.defaultTabWidth) {
        self.enabled = enabled
        self.lineNumbers = lineNumbers
        self.tabWidth = tabWidth
    }
}

/// A problem with one code block, at its line of the Markdown text (1-based). The block is still written, as plain
/// text.
public struct CodeWarning: Sendable, Hashable {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// A fence's info string: the language, then Hugo's attributes in braces.
///
///     go {linenos=true, hl_lines=[2, "4-6"], linenostart=10}
struct FenceInfo: Equatable {
    var language = ""
    /// nil: as `[highlight] line_numbers` says.
    var lineNumbers: Bool?
    var lineNumberStart = 1
    /// Lines to mark, counted from 1 at the block's first line whatever `linenostart` is (as Hugo counts them).
    var highlightedLines: [ClosedRange<Int>] = []
    /// Whether the info string had attributes at all.
    var hasAttributes = false

    init(language: String = "") { self.language = language }

    static func parse(_ info: String) -> FenceInfo {
        let text = Substring(info).trimmingCharacters(in: " \t")
        var result = FenceInfo()
        guard let brace = text.firstIndex(of: "{") else {
            result.language = String(text.prefix { $0 != " " && $0 != "\t" })
            return result
        }
        result.language = String(text[..<brace].prefix { $0 != " " && $0 != "\t" })
        var body = text[text.index(after: brace)...]
        if let close = body.lastIndex(of: "}") { body = body[..<close] }
        result.hasAttributes = true
        if result.language.isEmpty, !body.contains("=") {  // R Markdown's {r} and Pandoc's {.python}
            let word = body.split(whereSeparator: { $0 == " " || $0 == "," }).first.map { $0.drop { $0 == "." } }
            result.language = word.map(String.init) ?? ""
            result.hasAttributes = false
            return result
        }
        for (key, value) in attributes(body) {
            switch key.lowercased() {
            case "linenos":
                switch value.lowercased() {
                case "false", "no", "0", "": result.lineNumbers = false
                default: result.lineNumbers = true  // true, table, inline: numbers, shown beside the code
                }
            case "linenostart":
                if let n = Int(value), n >= 0, n < 1_000_000_000 { result.lineNumberStart = n }
            case "hl_lines":
                result.highlightedLines = lineRanges(value)
            default:
                break  // Hugo's other options (style, noclasses, anchorlinenos …) have no meaning here
            }
        }
        return result
    }

    /// `key=value` pairs separated by commas or spaces; values may be quoted or bracketed lists.
    static func attributes(_ body: Substring) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var i = body.startIndex
        func skip(_ set: Set<Character>) { while i < body.endIndex, set.contains(body[i]) { i = body.index(after: i) } }
        while i < body.endIndex {
            skip([" ", "\t", ","])
            let keyStart = i
            while i < body.endIndex, body[i] != "=", body[i] != ",", body[i] != " " { i = body.index(after: i) }
            let key = String(body[keyStart..<i])
            skip([" "])
            guard i < body.endIndex, body[i] == "=" else {
                if !key.isEmpty { pairs.append((key, "true")) }
                continue
            }
            i = body.index(after: i)
            skip([" "])
            guard i < body.endIndex else {
                pairs.append((key, ""))
                break
            }
            let valueStart = i
            switch body[i] {
            case "[":
                let start = body.index(after: valueStart)
                i = start
                while i < body.endIndex, body[i] != "]" { i = body.index(after: i) }
                pairs.append((key, String(body[start..<i])))
                if i < body.endIndex { i = body.index(after: i) }
            case "\"", "'":
                let quote = body[i]
                i = body.index(after: i)
                let start = i
                while i < body.endIndex, body[i] != quote { i = body.index(after: i) }
                pairs.append((key, String(body[start..<i])))
                if i < body.endIndex { i = body.index(after: i) }
            default:
                while i < body.endIndex, body[i] != ",", body[i] != " " { i = body.index(after: i) }
                pairs.append((key, String(body[valueStart..<i])))
            }
        }
        return pairs
    }

    /// `2, "4-6"` or `2 4-6` → [2...2, 4...6].
    static func lineRanges(_ value: String) -> [ClosedRange<Int>] {
        value.split(whereSeparator: { " ,\"'[]".contains($0) }).compactMap { token in
            let parts = token.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(parts[0]), first >= 0 else { return nil }
            if parts.count == 1 { return first...first }
            guard parts.count == 2, let last = Int(parts[1]), last >= first else { return nil }
            return first...last
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return s
    }
}

/// Fenced code blocks → highlighted HTML blocks, before anything is rendered, so each block is highlighted once
/// however many times the document is rendered (page, feed, summary).
enum CodeBlocks {
    /// The HTML of one block, or nil to leave it to cmark-gfm (no language, highlighting off, nothing to add).
    static func html(literal: String, info: String, settings: HighlightSettings, highlights: Bool = true,
                     warning: (String) -> Void) -> String? {
        guard settings.enabled, !info.isEmpty else { return nil }
        let fence = FenceInfo.parse(info)
        let numbered = fence.lineNumbers ?? settings.lineNumbers
        var body: String?
        if highlights, !fence.language.isEmpty {
            switch Highlighter.highlight(literal, as: fence.language) {
            case .highlighted(let html, _): body = html
            case .unknownLanguage: break
            case .failed(let reason):
                warning("the \(fence.language) code block could not be highlighted (\(reason)); it is shown as plain text")
            }
        }
        let wrapsLines = numbered || !fence.highlightedLines.isEmpty
        if body == nil && !wrapsLines && !fence.hasAttributes { return nil }  // cmark-gfm writes it as it always has
        var code = body ?? escape(literal)
        if wrapsLines { code = wrapLines(code, numbered: numbered, start: fence.lineNumberStart, marked: fence.highlightedLines) }
        var out = "<div class=\"highlight\"><pre class=\"chroma\""
        if settings.tabWidth != HighlightSettings.defaultTabWidth { out += " style=\"tab-size: \(settings.tabWidth)\"" }
        out += "><code"
        if !fence.language.isEmpty {
            let language = escape(fence.language)
            out += " class=\"language-\(language)\" data-lang=\"\(language)\""
        }
        out += ">"
        out += code
        out += "</code></pre></div>\n"
        return out
    }

    /// Each line in `<span class="line">`, with `hl` when marked and its number in `data-line` when numbered (the
    /// stylesheet shows it with `::before`, so selecting and copying the code never takes the numbers).
    static func wrapLines(_ html: String, numbered: Bool, start: Int, marked: [ClosedRange<Int>]) -> String {
        var lines = html.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var out = ""
        out.reserveCapacity(html.utf8.count + lines.count * 40)
        for (index, line) in lines.enumerated() {
            let position = index + 1
            out += marked.contains(where: { $0.contains(position) }) ? "<span class=\"line hl\"" : "<span class=\"line\""
            if numbered { out += " data-line=\"\(start + index)\"" }
            out += ">"
            out += line
            out += "</span>\n"
        }
        return out
    }

    /// Escapes as cmark-gfm escapes code: `& < > "`.
    static func escape(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Replaces each fenced block of `nodes` that `html(…)` writes with an HTML block holding that HTML; returns the
    /// replaced nodes (unlinked, still to be freed) with their replacements.
    static func replace(_ nodes: [OpaquePointer], settings: HighlightSettings,
                        warnings: inout [CodeWarning]) -> [(old: OpaquePointer, new: OpaquePointer)] {
        var replaced: [(old: OpaquePointer, new: OpaquePointer)] = []
        var length: Int32 = 0, offset: Int32 = 0, character: CChar = 0  // cmark-gfm writes through all three
        for node in nodes where cmark_node_get_fenced(node, &length, &offset, &character) != 0 {
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            let line = Int(cmark_node_get_start_line(node))
            guard let html = html(literal: literal, info: info, settings: settings,
                                  warning: { warnings.append(CodeWarning(line: line, message: $0)) }),
                  let block = cmark_node_new(CMARK_NODE_HTML_BLOCK) else { continue }
            cmark_node_set_literal(block, html)
            cmark_node_insert_before(node, block)
            cmark_node_unlink(node)
            replaced.append((node, block))
        }
        return replaced
    }
}

extension MarkdownRenderer {
    /// Changes whenever highlighting could change (the library, its definitions, Quill's class mapping).
    public static var highlighterVersion: String { Highlighter.definitionsVersion }

    /// False only when `text` has no ```` ``` ```` or `~~~` fence, so that nothing in it is highlighted whatever
    /// the settings.
    public static func mayHaveCodeFences(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var run: (byte: UInt8, count: Int) = (0, 0)
            for byte in bytes {
                guard byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~") else {
                    run.count = 0
                    continue
                }
                run = byte == run.byte ? (byte, run.count + 1) : (byte, 1)
                if run.count == 3 { return true }
            }
            return false
        }
    }
}

extension MarkdownRenderer {
    /// A code block as Quill writes a fenced one with `info` (`ruby {linenos=true, hl_lines=[2]}`): lines numbered
    /// and marked as the theme shows them, but not highlighted. For HTML posts, which are not Markdown.
    public static func plainCodeBlock(_ code: String, info: String) -> String {
        CodeBlocks.html(literal: code.hasSuffix("\n") ? code : code + "\n", info: info, settings: HighlightSettings(),
                        highlights: false, warning: { _ in })?.trimmingCharacters(in: .newlines)
            ?? "<pre><code>" + CodeBlocks.escape(code) + "</code></pre>"
    }
}
